import { describe, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { snapshot, SNAPSHOT_VERSION } from '../../core/kernel/inspect/snapshot';
import { isLoadFailure } from '../../core/kernel/loader';
import { oracleIt } from '../support/oracle';
import { buildWithGcc } from '../support/gcc';

describe('kernel snapshots', () => {
  oracleIt(
    'show tasks, blocked threads, wait queues, fds and memory maps, and change nothing',
    ['riscv64-unknown-elf-gcc'],
    () => {
      const src = `#include "rt.h"
      int main(void) {
        char *m = (char *)rt_syscall(222, 0, 3 * 4096, 3, 0x22, -1, 0);
        m[0] = 1;
        if (rt_syscall(220, 17, 0, 0, 0, 0, 0) == 0) { char c; rt_read(0, &c, 1); rt_exit(c); }
        m[1] = 2; /* copy-on-write fault in the parent */
        int st; rt_syscall(260, -1, (long)&st, 0, 0, 0, 0);
        printf("child %x\\n", st);
        return 0;
      }`;
      const board = new Board({ ramSize: 16 << 20 });
      let out = '';
      const k = new Kernel(board, { onOutput: (b) => (out += new TextDecoder().decode(b)) });
      k.vfs.writeFile(
        '/bin/snap',
        new Uint8Array(readFileSync(buildWithGcc([{ name: 'snap.c', text: src }]))),
      );
      const init = k.spawn('/bin/snap', ['snap']);
      if (isLoadFailure(init)) throw new Error(init.message);
      expect(k.run(10_000_000)).toBe('idle');
      const s1 = snapshot(k);
      const s2 = snapshot(k);
      expect(s2).toEqual(s1);
      expect(JSON.parse(JSON.stringify(s1))).toEqual(s1);
      expect(s1.version).toBe(SNAPSHOT_VERSION);
      expect(SNAPSHOT_VERSION).toBe(1);
      expect(s1.tasks.map((t) => [t.pid, t.ppid, t.name, t.state])).toEqual([
        [1, 0, 'snap', 'alive'],
        [2, 1, 'snap', 'alive'],
      ]);
      expect(s1.tasks[0]!.threads[0]).toMatchObject({ state: 'blocked', waitingOn: 'pid1.child_waiters' });
      expect(s1.tasks[1]!.threads[0]).toMatchObject({ state: 'blocked', waitingOn: 'console.read' });
      expect(s1.waitQueues).toEqual(
        expect.arrayContaining([
          { name: 'pid1.child_waiters', tids: [1] },
          { name: 'console.read', tids: [2] },
        ]),
      );
      expect(s1.tasks[1]!.fds.map((f) => [f.fd, f.name])).toEqual([
        [0, '/dev/console'],
        [1, '/dev/console'],
        [2, '/dev/console'],
      ]);
      const mmap = s1.tasks[0]!.vmas.find((v) => v.kind === 'mmap')!;
      expect(mmap).toMatchObject({ start: 0x4000_0000, end: 0x4000_3000, resident: 3, prot: 3 });
      expect(s1.tasks[0]!.vmas.map((v) => v.kind)).toEqual(
        expect.arrayContaining(['text', 'stack', 'guard', 'kernel']),
      );
      expect(s1.runQueue).toEqual([]);
      // Counters: the fork, the child's blocked read and the parent's wait4 are all in there.
      expect(s1.counters.syscalls).toBeGreaterThanOrEqual(4);
      expect(s1.counters.syscallsByNumber).toMatchObject({ '220': 1, '222': 1, '63': 1, '260': 1 });
      expect(s1.counters.contextSwitches).toBeGreaterThanOrEqual(2);
      expect(s1.counters.pageFaults).toBeGreaterThan(0); // copy-on-write after the fork
      expect(s1.counters.messagesSent).toBe(0);
      expect(s1.frames.used).toBeGreaterThan(0);
      k.console.feed(Uint8Array.of(9, 10));
      expect(k.run(10_000_000)).toBe('exited');
      expect(out).toBe('\t\nchild 900\n'); // the echo, then the parent
      expect(snapshot(k).tasks).toEqual([]);
    },
  );
});
