// The host's record of ended tasks stays bounded however many tasks a guest runs through, keeps the
// newest, and lets a watcher read only what ended since its last look.
import { describe, expect, it } from 'vitest';
import { ExitLog } from '../../core/kernel/task/exits';

describe('ExitLog', () => {
  it('keeps the newest records up to its capacity, oldest forgotten first', () => {
    const log = new ExitLog(3);
    for (let pid = 1; pid <= 5; pid++) log.set(pid, pid << 8);
    expect(log.size).toBe(3);
    expect(log.total).toBe(5);
    expect([...log]).toEqual([
      [3, 3 << 8],
      [4, 4 << 8],
      [5, 5 << 8],
    ]);
    expect(log.has(2)).toBe(false);
    expect(log.get(5)).toBe(5 << 8);
    expect([...log.values()]).toEqual([3 << 8, 4 << 8, 5 << 8]);
  });

  it('a pid recorded again becomes the newest, so it outlives older ones', () => {
    const log = new ExitLog(2);
    log.set(1, 0);
    log.set(2, 0);
    log.set(1, 9);
    log.set(3, 0);
    expect([...log].map(([pid]) => pid)).toEqual([1, 3]);
    expect(log.get(1)).toBe(9);
  });

  it('since(mark) gives what ended after the mark, even past the capacity', () => {
    const log = new ExitLog(4);
    log.set(10, 1);
    const mark = log.total;
    expect(log.since(mark)).toEqual([]);
    log.set(11, 2);
    log.set(12, 3);
    expect(log.since(mark)).toEqual([
      [11, 2],
      [12, 3],
    ]);
    for (let pid = 13; pid < 23; pid++) log.set(pid, 0);
    // Ten more than the capacity ended since: only the four still held come back.
    expect(log.since(mark).map(([pid]) => pid)).toEqual([19, 20, 21, 22]);
  });

  it('stays bounded across a million exits', () => {
    const log = new ExitLog();
    for (let pid = 1; pid <= 1_000_000; pid++) log.set(pid, 0);
    expect(log.size).toBe(log.capacity);
    expect(log.has(1_000_000)).toBe(true);
    expect(log.has(1)).toBe(false);
  });

  it('refuses a capacity below one', () => {
    expect(() => new ExitLog(0)).toThrow(RangeError);
  });
});
