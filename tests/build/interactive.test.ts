// `futura boot` on a real terminal: driven through a pseudo-terminal (Python's pty module, the
// only portable pty at hand without a native Node addon). Raw mode hands keys to the guest: Enter
// arrives as CR and the guest TTY turns it into a line, ^C interrupts the guest's foreground
// task instead of futura, and Ctrl-] leaves futura with status 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findTool } from '../support/oracle';
import { MINI } from './support';

const BIN = fileURLToPath(new URL('../../bin/futura.mjs', import.meta.url));

// Waits for each expected output before typing the next keys; prints the output and the status.
const DRIVER = `
import os, pty, select, sys, time, json
steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
out = b''
def wait_for(s, t):
    global out
    end = time.time() + t
    while s.encode() not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                d = os.read(fd, 4096)
            except OSError:
                return
            if not d:
                return
            out += d
for expect, keys in steps:
    wait_for(expect, 90)
    os.write(fd, keys.encode())
wait_for('\\x00never', 3)
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({'out': out.decode('utf-8', 'replace'), 'status': os.WEXITSTATUS(status)}))
`;

const python = findTool('python3');

describe('futura boot on a terminal', () => {
  it.skipIf(python === null)(
    `raw console: typed lines, ^C to the guest, Ctrl-] quits${python === null ? ' [skipped: python3 not installed]' : ''}`,
    () => {
      const steps = [
        ['fsh$ ', 'echo typed\r'],
        ['typed\r\nfsh$ ', 'hang\r'],
        ['fsh$ hang\r\n', '\x03'],
        ['killed by signal 2', ''],
        ['fsh$ ', '\x1d'],
      ];
      const r = spawnSync(
        python!,
        ['-c', DRIVER, JSON.stringify(steps), process.execPath, BIN, 'boot', MINI, '--no-cache'],
        {
          timeout: 180_000,
          env: { ...process.env, FUTURA_CACHE_DIR: mkdtempSync(join(tmpdir(), 'futura-tty-')) },
        },
      );
      const res = JSON.parse(r.stdout.toString()) as { out: string; status: number };
      const out = res.out;
      expect(out).toContain('Ctrl-] quits');
      // The guest echoes (the host terminal is raw); ONLCR of the pty turns \n into \r\n.
      expect(out).toContain('fsh$ echo typed\r\ntyped\r\nfsh$ ');
      expect(out).toContain('^C');
      expect(out).toMatch(/pid \d+ \(hang\) killed by signal 2/);
      expect(out).toContain('futura boot: quit');
      expect(res.status).toBe(0);
    },
    200_000,
  );
});
