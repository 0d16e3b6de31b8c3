// What the session streams as `snapshot` data is the kernel's inspect snapshot; the renderer's
// adapter must turn a real one (not only a hand-written one) into what the live panels show.
import { describe, expect, it } from 'vitest';
import { Board } from '../../core/machine/board';
import { Kernel, snapshot } from '../../core/kernel';
import { toLiveSnapshot } from '../../renderer/src/live/adapter';
import { ECHO_ASM, mustAssemble, SPIN_ASM } from './session-support';

describe('kernel snapshot → live panels', () => {
  it('maps tasks, address spaces, wait queues, the run queue and timers', () => {
    const k = new Kernel(new Board({ ramSize: 16 << 20 }));
    k.vfs.writeFile('/bin/echo', mustAssemble(ECHO_ASM), 0o755);
    k.vfs.writeFile('/bin/spin', mustAssemble(SPIN_ASM), 0o755);
    k.spawn('/bin/echo', ['echo']);
    k.spawn('/bin/spin', ['spin']);
    k.run(100_000);
    const live = toLiveSnapshot(JSON.parse(JSON.stringify(snapshot(k))));
    expect(live).not.toBeNull();
    expect(live!.now).toBe(k.clock.nowMs);
    expect(live!.tasks.map((t) => [t.pid, t.name, t.state])).toEqual([
      [1, 'echo', 'blocked'],
      [2, 'spin', 'running'],
    ]);
    const text = live!.spaces.find((s) => s.pid === 1)!.vmas.find((v) => v.prot === 'r-x');
    expect(text).toBeDefined();
    expect(text!.resident % 4096).toBe(0);
    expect(text!.resident).toBeGreaterThan(0);
    expect(live!.waitQueues).toContainEqual({
      id: 'console.read',
      owner: 'console',
      waiters: [{ tid: 1, reason: 'console.read', since: -1 }],
    });
    expect(live!.scheduler?.current).toBe(2);
  });
});
