// `futura demo remote` and its engine: the demo guests (built by Futura's own assembler and linker)
// complete a ping-pong across two nodes, and on a faulty link the transcript's counts show the
// retransmissions and CRC drops that made it work.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../core/cli/main';
import { runRemoteDemo } from '../../core/host/fipc/demo';

describe('remote demo', () => {
  it('runs a clean ping-pong: every round trip, no retransmission, no CRC error', () => {
    const lines: string[] = [];
    const r = runRemoteDemo({ count: 8, faults: {}, out: (l) => lines.push(l) });
    expect(r.ok).toBe(true);
    expect(r.pingStatus).toBe(0);
    expect(r.pongStatus).toBe(0);
    expect(r.retransmits).toBe(0);
    expect(r.crcErrors).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain('a: pong → channel');
    expect(text).toMatch(/a → b {2}channel 3: PING #0 \(16 bytes/);
    expect(text).toMatch(/b → a {2}channel 3: PONG #7 \(16 bytes/);
    expect(text).toContain('ok: 8 round trips');
    // 8 pings + STOP one way, 8 pongs the other.
    const imports = r.peers.flatMap((p) => p.channels).filter((c) => c.role === 'import');
    expect(imports.map((c) => c.delivered + c.sent).sort()).toEqual([17, 17]);
  });

  it('gets through a lossy, corrupting link, and the counts show how', () => {
    const lines: string[] = [];
    const r = runRemoteDemo({
      count: 30,
      faults: { loss: 0.2, corrupt: 0.15, duplicate: 0.1, reorder: 0.1, seed: 11 },
      out: (l) => lines.push(l),
    });
    expect(r.ok).toBe(true);
    expect(r.lost).toBeGreaterThan(0);
    expect(r.retransmits).toBeGreaterThan(0);
    expect(r.crcErrors).toBeGreaterThan(0);
    expect(r.crcErrors).toBeLessThanOrEqual(r.corrupted);
    const text = lines.join('\n');
    expect(text).toContain(`retransmissions      ${r.retransmits}`);
    expect(text).toContain(`CRC errors dropped   ${r.crcErrors}`);
  });
});

describe('futura demo remote', () => {
  afterEach(() => vi.restoreAllMocks());

  async function demo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      stdout += String(c);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      stderr += String(c);
      return true;
    });
    const code = await main(['demo', 'remote', ...args]);
    vi.restoreAllMocks();
    return { code, stdout, stderr };
  }

  it('prints the transcript and the counts as JSON', async () => {
    const r = await demo('--count', '4', '--loss', '0.25', '--seed', '5', '--json');
    expect(r.code).toBe(0);
    const counts = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(counts.ok).toBe(true);
    expect(counts.lost).toBeGreaterThan(0);
    expect(r.stdout).toContain('ok: 4 round trips');
  });

  it('runs over an encrypted link with --encrypted', async () => {
    const r = await demo('--count', '3', '--encrypted', '--corrupt', '0.2', '--seed', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('encrypted: X25519 + ChaCha20-Poly1305');
    expect(r.stdout).toMatch(/records sealed {7}\d+ \(rejected: tampered \d+/);
    expect(r.stdout).toContain('ok: 3 round trips');
  });

  it('refuses bad rates', async () => {
    const r = await demo('--loss', '1.5');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--loss must be a probability');
  });
});
