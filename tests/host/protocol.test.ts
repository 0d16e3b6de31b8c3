import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../core/protocol/validate';

describe('protocol validation', () => {
  it('accepts a well-formed request', () => {
    const r = parseRequest(JSON.stringify({ id: 1, method: 'file.read', params: { path: 'init/init.c' } }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.request).toEqual({ id: 1, method: 'file.read', params: { path: 'init/init.c' } });
  });

  it('answers malformed messages with typed errors, never throwing', () => {
    const cases: Array<[unknown, string]> = [
      ['{not json', 'bad-message'],
      [42, 'bad-message'],
      [null, 'bad-message'],
      [[1, 2], 'bad-message'],
      [{ method: 'file.read' }, 'bad-message'],
      [{ id: 2, method: 'rm -rf' }, 'unknown-method'],
      [{ id: 3, method: '__proto__' }, 'unknown-method'],
      [{ id: 4, method: 'file.read', params: {} }, 'bad-params'],
      [{ id: 5, method: 'file.read', params: { path: 7 } }, 'bad-params'],
      [{ id: 6, method: 'observe.subscribe', params: { streams: ['snapshot'], hz: 1000 } }, 'bad-params'],
      [{ id: 7, method: 'machine.boot', params: { extra: true } }, 'bad-params'],
      [{ id: 8, method: 'machine.step', params: { instructions: 1.5 } }, 'bad-params'],
      [{ id: 9, method: 'machine.step', params: { instructions: 2_000_000 } }, 'bad-params'],
      [{ id: 10, method: 'machine.configure', params: { ramMiB: 8 } }, 'bad-params'],
      [{ id: 11, method: 'console.resize', params: { cols: 0, rows: 24 } }, 'bad-params'],
      [{ id: 12, method: 'console.input', params: { data: 'x'.repeat(70_000) } }, 'bad-params'],
      [{ id: 13, method: 'observe.subscribe', params: { streams: ['snapshot', 'x'], hz: 10 } }, 'bad-params'],
      [{ id: 14, method: 'build.run', params: { clean: 'yes' } }, 'bad-params'],
    ];
    for (const [raw, code] of cases) {
      const r = parseRequest(raw);
      expect(r.ok, JSON.stringify(raw)).toBe(false);
      if (!r.ok && !r.reply.ok) expect(r.reply.error.code).toBe(code);
    }
  });

  it('accepts the machine, console and observation requests the UI sends', () => {
    const ok: unknown[] = [
      { id: 1, method: 'machine.status' },
      { id: 2, method: 'machine.step', params: {} },
      { id: 3, method: 'machine.configure', params: { clock: 'real', preempt: true, ramMiB: 128 } },
      { id: 4, method: 'console.input', params: { data: 'ls\r' } },
      { id: 5, method: 'observe.subscribe', params: { streams: [], hz: 1 } },
      {
        id: 6,
        method: 'observe.subscribe',
        params: { streams: ['snapshot', 'framebuffer', 'counters'], hz: 30 },
      },
      { id: 7, method: 'build.run', params: { clean: true } },
    ];
    for (const raw of ok) expect(parseRequest(raw).ok, JSON.stringify(raw)).toBe(true);
  });

  it('survives random garbage', () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      const len = rnd() % 64;
      let s = '';
      for (let j = 0; j < len; j++) s += String.fromCharCode(rnd() % 128);
      expect(() => parseRequest(s)).not.toThrow();
      expect(() =>
        parseRequest({ id: rnd(), method: 'file.save', params: { path: s, content: s } }),
      ).not.toThrow();
    }
  });
});
