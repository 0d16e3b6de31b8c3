import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFuturaApi, type IpcLike } from '../../electron/preload-api';
import { IPC } from '../../electron/ipc-channels';

type Listener = (event: unknown, ...args: unknown[]) => void;

class FakeIpc implements IpcLike {
  invoked: { channel: string; args: unknown[] }[] = [];
  listeners = new Map<string, Set<Listener>>();
  reply: unknown = { id: 1, ok: true, result: {} };
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(this.reply);
  }
  on(channel: string, l: Listener): void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(l);
    this.listeners.set(channel, set);
  }
  removeListener(channel: string, l: Listener): void {
    this.listeners.get(channel)?.delete(l);
  }
  emit(channel: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(channel) ?? []) l({ sender: 'ipc' }, ...args);
  }
}

const electronMock = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  ipc: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electronMock.exposed.set(key, api) },
  ipcRenderer: electronMock.ipc,
}));

describe('preload API (window.futura)', () => {
  let ipc: FakeIpc;
  beforeEach(() => {
    ipc = new FakeIpc();
  });

  it('is exactly request, onEvent and onMenu, and frozen', () => {
    const api = createFuturaApi(ipc);
    expect(Object.keys(api).sort()).toEqual(['onEvent', 'onMenu', 'request']);
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends requests as plain rebuilt data on the request channel', async () => {
    const api = createFuturaApi(ipc);
    const msg = { id: 7, method: 'file.read', params: { path: 'a.c' }, extra: 'dropped' };
    await expect(api.request(msg)).resolves.toEqual(ipc.reply);
    expect(ipc.invoked).toEqual([
      { channel: IPC.request, args: [{ id: 7, method: 'file.read', params: { path: 'a.c' } }] },
    ]);
  });

  it('delivers events without the IPC event object, until unsubscribed', () => {
    const api = createFuturaApi(ipc);
    const seen: unknown[] = [];
    const off = api.onEvent((e) => seen.push(e));
    ipc.emit(IPC.event, { event: 'console.output', data: 'hi' });
    off();
    ipc.emit(IPC.event, { event: 'console.output', data: 'gone' });
    expect(seen).toEqual([{ event: 'console.output', data: 'hi' }]);
    expect(ipc.listeners.get(IPC.event)?.size).toBe(0);
  });

  it('passes only known menu commands', () => {
    const api = createFuturaApi(ipc);
    const seen: unknown[] = [];
    api.onMenu((c, arg) => seen.push([c, arg]));
    ipc.emit(IPC.menu, 'build.build');
    ipc.emit(IPC.menu, 'workspace.open', '/home/me/ws');
    ipc.emit(IPC.menu, 'rm -rf');
    expect(seen).toEqual([
      ['build.build', undefined],
      ['workspace.open', '/home/me/ws'],
    ]);
  });

  it('the preload exposes it as window.futura through the context bridge', async () => {
    await import('../../electron/preload');
    const api = electronMock.exposed.get('futura') as Record<string, unknown>;
    expect([...electronMock.exposed.keys()]).toEqual(['futura']);
    expect(Object.keys(api).sort()).toEqual(['onEvent', 'onMenu', 'request']);
  });
});
