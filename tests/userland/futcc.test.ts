// The sample userland built by futcc alone (no external compiler): it boots to the shell, libtest
// passes in the guest, the demos and services work, and the compositor's frame is the same one
// the GCC build and the TypeScript model give.
import { describe, expect, it } from 'vitest';
import { oracleIt } from '../support/oracle';
import { hostPrintfLines } from './printf-host';
import { commandOutput, shellSession } from './sample';
import { frameDigest, SCENE_SHA256, sceneMismatch, visiblePixels } from './scene';

const T = 300_000;

describe('the sample userland built with futcc', () => {
  let booted: ReturnType<typeof shellSession> | null = null;
  const session = (): ReturnType<typeof shellSession> =>
    (booted ??= shellSession(
      ['libtest -s', 'fwaydemo', 'forktree', 'pingpong -n 100', 'echo a b | cat', 'nosuch', 'echo $?'],
      { toolchain: 'futcc' },
    ));

  it(
    'boots to fsh; libtest, the demos, pipes and the compositor behave as with GCC',
    async () => {
      const r = await session();
      expect(r.out.startsWith("Futura shell. Type 'help' for the builtins.\nfsh:/$ ")).toBe(true);
      const lib = commandOutput(r.out, 'libtest -s');
      expect(lib.split('\n').filter((l) => l.startsWith('FAIL') || l.startsWith('not ok'))).toEqual([]);
      expect(lib).toMatch(/^libtest: \d{3,} checks, 0 failed$/m);
      expect(commandOutput(r.out, 'fwaydemo')).toBe('fwaydemo: surfaces 1 and 2 composited\n');
      expect(sceneMismatch(r.board)).toBe('');
      expect(frameDigest(visiblePixels(r.board))).toBe(SCENE_SHA256);
      expect(commandOutput(r.out, 'forktree')).toBe('forktree: depth 3, 15 tasks\n');
      expect(commandOutput(r.out, 'pingpong -n 100')).toMatch(/^pingpong: 100 round trips in \d+ ms\n$/);
      expect(commandOutput(r.out, 'echo a b | cat')).toBe('a b\n');
      expect(commandOutput(r.out, 'nosuch')).toBe('fsh: nosuch: command not found\n');
      expect(commandOutput(r.out, 'echo $?')).toBe('127\n');
      expect(r.outcome).toBe('exited');
    },
    T,
  );

  oracleIt(
    "futcc-built printf prints what the host's printf prints",
    ['cc'],
    async () => {
      const r = await session();
      const guest = commandOutput(r.out, 'libtest -s')
        .split('\n')
        .filter((l) => l.startsWith('P|'));
      expect(guest).toEqual(hostPrintfLines());
    },
    T,
  );
});
