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
    ];
    for (const [raw, code] of cases) {
      const r = parseRequest(raw);
      expect(r.ok, JSON.stringify(raw)).toBe(false);
      if (!r.ok && !r.reply.ok) expect(r.reply.error.code).toBe(code);
    }
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
