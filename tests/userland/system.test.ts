// init's service management, libfutura's own tests in the guest (printf compared with the host's
// printf), and the compositor's output.
import { describe, expect } from 'vitest';
import { oracleIt, RV_GCC } from '../support/oracle';
import { bootUserland } from './boot';
import { commandOutput, sampleImage, shellSession } from './sample';
import {
  blueOverRed,
  frameDigest,
  over,
  premultiply,
  SCENE_SHA256,
  sceneMismatch,
  visiblePixels,
} from './scene';
import { hostPrintfLines } from './printf-host';

const T = 120_000;

describe('init', () => {
  oracleIt(
    'restarts a failing service at most 5 times in 60 s, says so, and exits when no child is left',
    [RV_GCC],
    async () => {
      const conf = [
        '[service:flaky]',
        'exec=/bin/hello',
        'args=from-init',
        'respawn=yes',
        '',
        '[service:once]',
        'exec=/bin/forktree',
        'args=-d 1',
        'respawn=no',
        '',
      ].join('\n');
      const r = bootUserland(await sampleImage(), { files: { '/etc/init.conf': conf } });
      expect(r.outcome).toBe('exited');
      expect(r.status).toBe(0);
      const hellos = r.out.split('Hello from Futura! (1 argument)\n  argv[1] = from-init\n').length - 1;
      expect(hellos).toBe(6); // the first start and five restarts
      for (let k = 1; k <= 5; k++)
        expect(r.out).toContain(`init: service flaky exited (status 0); restarting (${k} of 5 in 60 s)\n`);
      expect(r.out).toContain('init: service flaky exited (status 0) 6 times in 60 s; giving up on it\n');
      expect(r.out).toContain('forktree: depth 1, 3 tasks\ninit: service once exited (status 0)\n');
      expect(r.out.endsWith('init: no children left\n')).toBe(true);
    },
    T,
  );

  oracleIt(
    'the limit is a sliding 60 s window: a service ending every 13.5 s is restarted for ever',
    [RV_GCC],
    async () => {
      // mmapdemo -s 1500 runs 3 rounds of three 1.5 s pauses: it ends every 13.5 s (virtual clock), so
      // a fifth restart comes 54 s after the first, and each later one finds the oldest out of the window.
      const conf = ['[service:slow]', 'exec=/bin/mmapdemo', 'args=-s 1500', 'respawn=yes', ''].join('\n');
      const r = bootUserland(await sampleImage(), {
        files: { '/etc/init.conf': conf },
        budget: 8_000_000,
      });
      expect(r.outcome).toBe('budget'); // still going
      const counts = [
        ...r.out.matchAll(/^init: service slow exited \(status 0\); restarting \((\d) of 5 in 60 s\)$/gm),
      ].map((m) => Number(m[1]));
      // More restarts than the limit in all, never more than 5 in any 60 s.
      expect(counts.length).toBeGreaterThan(6);
      expect(counts).toEqual([1, 2, 3, 4, ...Array<number>(counts.length - 4).fill(5)]);
      expect(r.out).not.toContain('giving up');
      expect(r.kernel.clock.nowMs).toBeGreaterThan(counts.length * 13_500);
    },
    T,
  );

  oracleIt(
    'starts services in dependency order, not file order, and reports a bad exec',
    [RV_GCC],
    async () => {
      const conf = [
        '[service:c]',
        'exec=/bin/hello',
        'args=c',
        'depends=b',
        'priority=1',
        '[service:a]',
        'exec=/bin/hello',
        'args=a',
        'priority=5',
        '[service:b]',
        'exec=/bin/hello',
        'args=b',
        'depends=a',
        'priority=2',
        '[service:bad]',
        'exec=/bin/does-not-exist',
        'priority=9',
        'depends=c',
      ].join('\n');
      const r = bootUserland(await sampleImage(), { files: { '/etc/init.conf': conf } });
      const order = [...r.out.matchAll(/argv\[1\] = (\w)/g)].map((m) => m[1]);
      expect(order).toEqual(['a', 'b', 'c']);
      expect(r.out).toContain('init: cannot start bad (/bin/does-not-exist): No such file or directory\n');
      expect(r.out).toContain('init: service bad exited (status 127)\n');
    },
    T,
  );
});

describe('init orders', () => {
  oracleIt(
    'services without dependencies by priority (lower first, file order among equals); a cycle falls back to file order',
    [RV_GCC],
    async () => {
      const svc = (name: string, prio: number, extra = ''): string =>
        `[service:${name}]\nexec=/bin/hello\nargs=${name}\npriority=${prio}\n${extra}`;
      const img = await sampleImage();
      const started = (conf: string): string[] => {
        const r = bootUserland(img, { files: { '/etc/init.conf': conf } });
        return [...r.out.matchAll(/argv\[1\] = (\w+)/g)].map((m) => m[1]!);
      };
      expect(started([svc('x', 3), svc('y', 1), svc('z', 2), svc('w', 1)].join(''))).toEqual([
        'y',
        'w',
        'z',
        'x',
      ]);
      const cycle = [svc('p', 1, 'depends=q\n'), svc('q', 2, 'depends=p\n'), svc('r', 0)].join('');
      const r = bootUserland(img, { files: { '/etc/init.conf': cycle } });
      expect(r.out).toContain(
        'init: dependency cycle among services\ninit: starting services in file order\n',
      );
      expect(started(cycle)).toEqual(['p', 'q', 'r']);
    },
    T,
  );
});

describe('init reaps', () => {
  oracleIt(
    'an orphan: adopted by init (PPID 1) while it runs, reaped when it exits',
    [RV_GCC],
    async () => {
      const r = await shellSession(['libtest -o 500', { afterMs: 100, text: 'ps\n' }, 'ps']);
      const pid = Number(/^libtest: left child (\d+)$/m.exec(commandOutput(r.out, 'libtest -o 500'))?.[1]);
      expect(pid).toBeGreaterThan(5);
      const [during, after] = r.out
        .split('fsh:/$ ps\n')
        .slice(1)
        .map((t) =>
          t
            .slice(0, t.indexOf('fsh:/$'))
            .trimEnd()
            .split('\n')
            .slice(1)
            .map((l) => l.trim().split(/\s+/)),
        );
      // Alive (it yields, so it is ready), its parent gone, init its parent now.
      const row = during!.find((c) => c[0] === String(pid));
      expect([row?.[1], row?.[2], row?.[5]]).toEqual(['1', 'ready', 'libtest']);
      expect(after!.map((c) => c[5])).toEqual(['init', 'fsd', 'posixd', 'futurawayd', 'fsh']);
      expect(r.kernel.exits.get(pid)).toBe(0);
    },
    T,
  );
});

describe('init at the end of the session', () => {
  const orphanAtExit = async (args: string) => {
    const r = await shellSession([`libtest -o 100000${args}`, { afterMs: 50, text: 'exit\n' }]);
    const pid = Number(/^libtest: left child (\d+)$/m.exec(r.out)?.[1]);
    return { r, pid };
  };

  oracleIt(
    'stops the tasks left over too (an orphan still running), so init exits with the session',
    [RV_GCC],
    async () => {
      const { r, pid } = await orphanAtExit('');
      expect(pid).toBeGreaterThan(5);
      expect(r.outcome).toBe('exited');
      expect(r.status).toBe(0);
      expect(r.kernel.exits.get(pid)).toBe(15); // SIGTERM
      expect(r.out).not.toContain('killing them');
    },
    T,
  );

  oracleIt(
    'kills a task that ignores SIGTERM after a grace of 1 s, and says so',
    [RV_GCC],
    async () => {
      const { r, pid } = await orphanAtExit(' -t');
      expect(r.outcome).toBe('exited');
      expect(
        r.out.endsWith(
          'init: session ended, stopping services\ninit: tasks still running after 1000 ms; killing them\n',
        ),
      ).toBe(true);
      expect(r.kernel.exits.get(pid)).toBe(9); // SIGKILL
    },
    T,
  );
});

describe('a service killed under the shell', () => {
  oracleIt(
    'is restarted by init, and clients find the new instance through the registry',
    [RV_GCC],
    async () => {
      const r = await shellSession([
        'fscat -s /etc/init.conf',
        'kill 2',
        'sleep 0.1',
        'fscat -s /etc/init.conf',
        'chan',
      ]);
      expect(r.out).toContain('init: service fsd exited (status 0); restarting (1 of 5 in 60 s)\n');
      const stat = r.out.split('fsh:/$ fscat -s /etc/init.conf\n').slice(1);
      expect(stat.map((s) => s.slice(0, s.indexOf('\n')))).toEqual([
        '/etc/init.conf: file, 818 bytes',
        '/etc/init.conf: file, 818 bytes',
      ]);
      const fsdRow = commandOutput(r.out, 'chan')
        .split('\n')
        .find((l) => l.endsWith(' fsd'));
      expect(fsdRow?.trim().split(/\s+/)[1]).not.toBe('2'); // owned by the new fsd, not pid 2
    },
    T,
  );
});

describe('init without a configuration', () => {
  oracleIt(
    'falls back to the shell as the session',
    [RV_GCC],
    async () => {
      const r = bootUserland(await sampleImage(), {
        argv: ['/sbin/init', '/etc/none.conf'],
        input: ['chan', 'exit 5'],
      });
      expect(r.out).toContain('init: cannot use /etc/none.conf; starting /bin/fsh\n');
      // No services: only the kernel's two channels.
      expect(commandOutput(r.out, 'chan').trimEnd().split('\n')).toHaveLength(3);
      expect(r.status).toBe(5 << 8);
    },
    T,
  );
});

describe('libfutura in the guest', () => {
  oracleIt(
    'libtest passes every check, and its printf cases print exactly what the host printf prints',
    [RV_GCC, 'cc'],
    async () => {
      const r = await shellSession(['libtest -s']);
      const out = commandOutput(r.out, 'libtest -s');
      const lines = out.split('\n');
      expect(lines.filter((l) => l.startsWith('FAIL') || l.startsWith('not ok'))).toEqual([]);
      for (const s of [
        'string',
        'ctype',
        'stdlib',
        'malloc',
        'snprintf',
        'printf cases',
        'stdio',
        'posix',
        'syscalls',
        'fipc',
        'signals',
        'services',
      ])
        expect(lines).toContain(`ok - ${s}`);
      expect(out).toMatch(/^libtest: \d{3,} checks, 0 failed$/m);
      const host = hostPrintfLines();
      const guest = lines.filter((l) => l.startsWith('P|'));
      expect(guest.length).toBeGreaterThan(40);
      expect(guest).toEqual(host);
    },
    T,
  );
});

describe('libfutura on the console', () => {
  oracleIt(
    'stdout is line-buffered, the prompt is flushed before stdin is read, getchar and fgets read typed lines',
    [RV_GCC],
    async () => {
      const r = await shellSession(['libtest -i', 'alpha', 'beta']);
      // "held " waits in the buffer for the newline while write(2)'s "direct " goes out at once;
      // "name? " is on the console before the lines are typed (input waits until every task blocks).
      expect(commandOutput(r.out, 'libtest -i')).toBe(
        "direct held line\nname? alpha\nbeta\ngetchar read 'alpha'\nfgets read 'beta'\n",
      );
    },
    T,
  );
});

describe('futurawayd', () => {
  oracleIt(
    'two overlapping translucent surfaces: premultiplied source-over in z order onto 0xFF20252E',
    [RV_GCC],
    async () => {
      const r = await shellSession(['fwaydemo']);
      expect(commandOutput(r.out, 'fwaydemo')).toBe('fwaydemo: surfaces 1 and 2 composited\n');
      const fb = r.board.fb;
      const px = visiblePixels(r.board);
      expect(px[0]).toBe(0xff20252e);
      expect(px[110 * fb.width + 110]).toBe(0xff901217); // red alone over the background
      expect(px[170 * fb.width + 200]).toBe(blueOverRed());
      expect(px[165 * fb.width + 175]).toBe(0xff00ff00); // the damaged square, opaque green
      expect(sceneMismatch(r.board)).toBe('');
      expect(frameDigest(px)).toBe(SCENE_SHA256);
    },
    T,
  );

  oracleIt(
    'DAMAGE: overlapping rects merge into their union, a rect past the edge is clipped to the surface',
    [RV_GCC],
    async () => {
      // fwaydemo -d damages (10,10 20x20), (20,20 20x20) and (110,90 50x50) of the blue 120x100
      // surface at (160,150), then commits green everywhere: green lands in the union (10..40)^2
      // and in (110..120, 90..100), nowhere else.
      const r = await shellSession(['fwaydemo -d']);
      expect(commandOutput(r.out, 'fwaydemo -d')).toBe('fwaydemo: surfaces 1 and 2 composited\n');
      const fb = r.board.fb;
      const at = (sx: number, sy: number): number => fb.pixels[(150 + sy) * fb.width + 160 + sx]!;
      const green = 0xff00ff00;
      const blue = over(premultiply(0x800000ff), 0xff20252e);
      const blueOnRed = blueOverRed();
      const want: [number, number, number][] = [
        [12, 12, green], // in the first rect
        [38, 38, green], // in the second
        [35, 12, green], // in neither, but in their union
        [12, 35, green],
        [41, 12, blueOnRed], // past the union (over the red surface there)
        [45, 60, blue], // below the red surface
        [115, 95, green], // the clipped rect, inside the surface
        [105, 95, blue],
        [125, 95, 0xff20252e], // the clipped rect's part past the surface: background
      ];
      expect(want.map(([x, y]) => [x, y, at(x, y)])).toEqual(want);
    },
    T,
  );

  oracleIt(
    'SET_Z reorders: with -z the red surface is on top in the overlap',
    [RV_GCC],
    async () => {
      const r = await shellSession(['fwaydemo -z']);
      const fb = r.board.fb;
      const redOnBlue = over(premultiply(0x80ff0000), over(premultiply(0x800000ff), 0xff20252e));
      expect(fb.pixels[170 * fb.width + 200]).toBe(redOnBlue);
    },
    T,
  );
});
