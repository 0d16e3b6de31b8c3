// Builds window.futura from an ipcRenderer-like object. Separate from preload.ts (which only
// wires it to Electron) so its shape and behaviour are tested without Electron.
import type { Response, SessionEvent } from '../core/protocol/messages';
import {
  isMenuCommand,
  type FuturaWindowApi,
  type MenuCommand,
  type OutgoingRequest,
} from '../renderer/src/bridge/futura-api';
import { IPC } from './ipc-channels';

/** The subset of Electron's ipcRenderer the API needs. */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createFuturaApi(ipc: IpcLike): FuturaWindowApi {
  const subscribe = <A extends unknown[]>(channel: string, handle: (...args: A) => void): (() => void) => {
    const listener = (_event: unknown, ...args: unknown[]): void => handle(...(args as A));
    ipc.on(channel, listener);
    return () => {
      ipc.removeListener(channel, listener);
    };
  };
  const api: FuturaWindowApi = {
    // Only plain data crosses the bridge: the message is rebuilt, never passed through.
    request: (msg: OutgoingRequest) =>
      ipc.invoke(IPC.request, { id: msg.id, method: msg.method, params: msg.params }) as Promise<Response>,
    onEvent: (cb: (event: SessionEvent) => void) =>
      subscribe<[SessionEvent]>(IPC.event, (event) => cb(event)),
    onMenu: (cb: (command: MenuCommand, arg?: string) => void) =>
      subscribe<[unknown, unknown]>(IPC.menu, (command, arg) => {
        if (isMenuCommand(command)) cb(command, typeof arg === 'string' ? arg : undefined);
      }),
  };
  return Object.freeze(api);
}
