// The remote protocol's framing and the stub's replies, through a raw socket client: checksums,
// escapes, run-length input, acks, NoAck mode, interrupts while running, errors for bad memory.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  decodeBody,
  encodePacket,
  hexToBytes,
  latin1,
  RspReader,
  toLatin1,
} from '../../core/host/gdb/packets';
import { startGdbServer } from '../../core/host/gdb/server';
import type { DebugTarget, ResumeControl, StopReason } from '../../core/host/gdb/stub';
import { G_LAYOUT, targetXml } from '../../core/host/gdb/target-xml';

describe('RSP framing', () => {
  it('frames with a modulo-256 checksum and escapes the four special bytes', () => {
    expect(toLatin1(encodePacket('OK'))).toBe('$OK#9a');
    const framed = encodePacket(Uint8Array.from([0x24, 0x23, 0x7d, 0x2a, 0x41]));
    expect(Array.from(framed.subarray(1, 10))).toEqual([
      0x7d, 0x04, 0x7d, 0x03, 0x7d, 0x5d, 0x7d, 0x0a, 0x41,
    ]);
    const reader = new RspReader();
    const got = reader.push(framed);
    expect(got).toEqual([{ kind: 'packet', data: Uint8Array.from([0x24, 0x23, 0x7d, 0x2a, 0x41]) }]);
  });

  it('expands run-length encoding and reports a bad checksum as a nak', () => {
    expect(toLatin1(decodeBody(latin1('0* ')))).toBe('0000');
    const r = new RspReader();
    expect(r.push(latin1('$g#00'))).toEqual([{ kind: 'nak' }]);
    expect(r.badChecksums).toBe(1);
    expect(r.push(latin1('+\x03$?#3f'))).toEqual([
      { kind: 'interrupt' },
      { kind: 'packet', data: latin1('?') },
    ]);
  });

  it('assembles packets split across chunks', () => {
    const r = new RspReader();
    expect(r.push(latin1('$qSupp'))).toEqual([]);
    expect(r.push(latin1('orted#3'))).toEqual([]);
    const last = r.push(latin1('7'));
    expect(last.length).toBe(1);
    expect(hexToBytes('zz')).toBeNull();
  });

  it('describes 33 integer, 32 FP and 3 FP CSR registers', () => {
    const xml = targetXml();
    expect(xml.match(/<reg /g)?.length).toBe(68);
    expect(xml).toContain('<architecture>riscv:rv32</architecture>');
    expect(G_LAYOUT.reduce((n, r) => n + r.bytes, 0)).toBe(33 * 4 + 32 * 8 + 12);
  });
});

/** A target that spins until interrupted and has 16 bytes of memory at 0x1000. */
class SpinTarget implements DebugTarget {
  regs = new Map<number, bigint>([[32, 0x400000n]]);
  mem = new Uint8Array(16).map((_, i) => i);
  readRegister(n: number): bigint | null {
    return n <= 68 ? (this.regs.get(n) ?? 0n) : null;
  }
  writeRegister(n: number, v: bigint): boolean {
    this.regs.set(n, v);
    return true;
  }
  readMemory(addr: number, len: number): Uint8Array | null {
    if (addr < 0x1000 || addr + len > 0x1010) return null;
    return this.mem.slice(addr - 0x1000, addr - 0x1000 + len);
  }
  writeMemory(addr: number, bytes: Uint8Array): boolean {
    if (addr < 0x1000 || addr + bytes.length > 0x1010) return false;
    this.mem.set(bytes, addr - 0x1000);
    return true;
  }
  async resume(mode: 'step' | 'continue', ctl: ResumeControl): Promise<StopReason> {
    if (mode === 'step') return { kind: 'step' };
    while (!ctl.interrupted()) await new Promise((r) => setTimeout(r, 2));
    return { kind: 'interrupt' };
  }
  kill(): void {}
}

/** A minimal client: sends packets, collects replies (acks stripped). */
async function client(
  port: number,
): Promise<{ ask: (p: string) => Promise<string>; raw: (s: string) => void; close: () => void }> {
  const sock: Socket = await new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
  });
  const reader = new RspReader();
  const replies: string[] = [];
  let waiter: (() => void) | null = null;
  sock.on('data', (d: Buffer) => {
    for (const i of reader.push(d)) if (i.kind === 'packet') replies.push(toLatin1(i.data));
    waiter?.();
  });
  const next = async (): Promise<string> => {
    while (replies.length === 0) await new Promise<void>((r) => (waiter = r));
    return replies.shift()!;
  };
  return {
    ask: (p) => {
      sock.write(encodePacket(p));
      return next();
    },
    raw: (s) => sock.write(s),
    close: () => sock.destroy(),
  };
}

describe('GDB stub over a socket', () => {
  it('answers queries, memory reads and writes, errors, and stops on ^C while running', async () => {
    const t = new SpinTarget();
    const server = await startGdbServer(t, 0);
    const c = await client(server.port);
    expect(await c.ask('qSupported:swbreak+')).toContain('qXfer:features:read+');
    expect(await c.ask('QStartNoAckMode')).toBe('OK');
    expect(await c.ask('?')).toBe('S05');
    expect(await c.ask('m1002,4')).toBe('02030405');
    expect(await c.ask('m2000,4')).toBe('E14');
    expect(await c.ask('M1000,2:abcd')).toBe('OK');
    expect(Array.from(t.mem.subarray(0, 2))).toEqual([0xab, 0xcd]);
    expect(await c.ask('X1004,0:')).toBe('OK');
    expect(await c.ask('p20')).toBe('00004000');
    expect(await c.ask('P5=78563412')).toBe('OK');
    expect(t.regs.get(5)).toBe(0x12345678n);
    expect(await c.ask('Z0,400010,2')).toBe('OK');
    expect(await c.ask('Z2,1000,4')).toBe('');
    expect(await c.ask('vMustReplyEmpty')).toBe('');
    const xml = await c.ask('qXfer:features:read:target.xml:0,20');
    expect(xml).toMatch(/^m<\?xml/);
    const stopped = c.ask('c');
    await new Promise((r) => setTimeout(r, 20));
    c.raw('\x03');
    expect(await stopped).toBe('S02');
    c.raw(toLatin1(encodePacket('k')));
    expect(await server.done).toBe('killed');
    c.close();
  });
});
