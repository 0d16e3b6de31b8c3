// The sample userland booted by the Futura kernel: init starts the services and the shell; the
// builtins, programs, pipes and redirections behave as a user would see them on the console.
import { describe, expect } from 'vitest';
import { oracleIt, RV_GCC } from '../support/oracle';
import { commandOutput, shellSession } from './sample';

const T = 120_000;

describe('fsh on the booted sample userland', () => {
  oracleIt(
    'boots to the prompt with the services registered, and exit ends the session',
    [RV_GCC],
    async () => {
      const r = await shellSession(['chan', 'exit 3']);
      expect(r.out.startsWith("Futura shell. Type 'help' for the builtins.\nfsh:/$ ")).toBe(true);
      const chan = commandOutput(r.out, 'chan').split('\n');
      expect(chan[0]).toMatch(/^\s+ID OWNER QUEUED\s+MSGS\s+SIZE STATE\s+SERVICES$/);
      const services = chan.slice(1).map((l) => l.trim().split(/\s+/).pop());
      expect(services).toEqual(expect.arrayContaining(['fsd', 'posixd', 'futuraway']));
      expect(r.out).toContain('fsh:/$ exit 3\ninit: session ended, stopping services\n');
      expect(r.outcome).toBe('exited');
      expect(r.status).toBe(3 << 8); // init exits with the session's status
    },
    T,
  );

  oracleIt(
    'builtins: echo, pwd, cd, mkdir, ls, cat, rm, help, sleep, kill, $?',
    [RV_GCC],
    async () => {
      const r = await shellSession([
        'echo hello   "big world" \'$?\' a\\ b',
        'echo -n no-newline',
        'pwd',
        'mkdir /tmp/d /tmp/d/e',
        'mkdir -p /tmp/p/q/r',
        'cd /tmp/d',
        'pwd',
        'echo text > f1',
        'ls',
        'ls -l /tmp/d',
        'cat f1 f1',
        'cat missing',
        'echo $?',
        'rm e',
        'rm -r /tmp/d/e /tmp/p',
        'ls /tmp',
        'cd /nowhere',
        'sleep 0.25',
        'kill 4242',
        'help',
      ]);
      const o = (l: string): string => commandOutput(r.out, l);
      expect(o('echo hello   "big world" \'$?\' a\\ b')).toBe('hello big world $? a b\n');
      expect(r.out).toContain('fsh:/$ echo -n no-newline\nno-newlinefsh:/$ ');
      expect(o('pwd')).toBe('/\n');
      expect(r.out).toContain('fsh:/tmp/d$ pwd\n/tmp/d\n');
      expect(o('ls')).toBe('e/\nf1\n');
      expect(o('ls -l /tmp/d')).toBe('d        0 e/\n-        5 f1\n');
      expect(o('cat f1 f1')).toBe('text\ntext\n');
      expect(o('cat missing')).toBe('fsh: cat: missing: No such file or directory\n');
      expect(o('echo $?')).toBe('1\n');
      expect(o('rm e')).toBe('fsh: rm: e: Is a directory\n');
      expect(o('ls /tmp')).toBe('d/\n');
      expect(o('cd /nowhere')).toBe('fsh: cd: /nowhere: No such file or directory\n');
      expect(o('kill 4242')).toBe('fsh: kill: 4242: No such process\n');
      const help = o('help');
      for (const b of [
        'cd',
        'pwd',
        'ls',
        'cat',
        'echo',
        'mkdir',
        'rm',
        'ps',
        'kill',
        'mem',
        'chan',
        'sleep',
        'help',
        'exit',
      ])
        expect(help).toMatch(new RegExp(`^  ${b} `, 'm'));
    },
    T,
  );

  oracleIt(
    'sleep waits on the virtual clock (fractions of a second too); a bad argument is an error',
    [RV_GCC],
    async () => {
      const plain = await shellSession(['echo x']);
      const slept = await shellSession(['echo x', 'sleep 2.5', 'sleep x', 'echo $?', 'sleep .5s', 'sleep .']);
      const extra = slept.kernel.clock.nowMs - plain.kernel.clock.nowMs;
      expect(extra).toBeGreaterThanOrEqual(2500);
      expect(extra).toBeLessThan(2600);
      expect(commandOutput(slept.out, 'sleep 2.5')).toBe('');
      expect(commandOutput(slept.out, 'sleep x')).toBe('fsh: sleep: x: invalid time interval\n');
      expect(commandOutput(slept.out, 'echo $?')).toBe('1\n');
      expect(commandOutput(slept.out, 'sleep .5s')).toBe('fsh: sleep: .5s: invalid time interval\n');
      expect(commandOutput(slept.out, 'sleep .')).toBe('fsh: sleep: .: invalid time interval\n');
    },
    T,
  );

  oracleIt(
    'ps, mem and chan read /proc',
    [RV_GCC],
    async () => {
      const r = await shellSession(['ps', 'mem', 'mem 1', 'chan']);
      const ps = commandOutput(r.out, 'ps').trimEnd().split('\n');
      expect(ps[0]).toBe('  PID  PPID STATE    PRIO  CPU(ms) NAME');
      const rows = ps.slice(1).map((l) => l.trim().split(/\s+/));
      expect(rows.map((c) => c[5])).toEqual(['init', 'fsd', 'posixd', 'futurawayd', 'fsh']);
      expect(rows[0]!.slice(0, 2)).toEqual(['1', '0']);
      expect(rows.find((c) => c[5] === 'fsh')![2]).toBe('running');
      const mem = commandOutput(r.out, 'mem').split('\n');
      expect(mem[0]).toBe('RANGE             PERM KIND   PAGES');
      expect(mem.some((l) => /^00400000-[0-9a-f]{8} r-xp text/.test(l))).toBe(true);
      expect(mem.some((l) => /^7ffb0000-7fff0000 rw-p stack {2}64$/.test(l))).toBe(true);
      expect(mem.find((l) => l.startsWith('mapped '))).toMatch(/^mapped \d+ KiB, resident \d+ KiB$/);
      expect(mem.find((l) => l.startsWith('system: '))).toMatch(/^system: \d+ of \d+ frames free$/);
      expect(commandOutput(r.out, 'mem 1')).toMatch(/text/);
      const chan = commandOutput(r.out, 'chan').trimEnd().split('\n');
      expect(chan[1]!.trim().split(/\s+/)).toEqual(['1', '0', '0', '0', '4096', 'open', '-']);
    },
    T,
  );

  oracleIt(
    'pipes, > >> < redirection, unknown commands (127) and exit statuses in $?',
    [RV_GCC],
    async () => {
      const r = await shellSession([
        'echo one > /tmp/r',
        'echo two >> /tmp/r',
        'cat < /tmp/r',
        'cat < /tmp/r | cat | cat > /tmp/r2',
        'cat /tmp/r2',
        'ls /bin | cat',
        'hello x | cat',
        'nosuch arg',
        'echo $?',
        '/bin/nosuch',
        'echo $? $?',
        'cat < /tmp/none',
        'echo $?',
        'fsh -c "exit 7"',
        'echo $?',
      ]);
      const o = (l: string): string => commandOutput(r.out, l);
      expect(o('cat < /tmp/r')).toBe('one\ntwo\n');
      expect(o('cat < /tmp/r | cat | cat > /tmp/r2')).toBe('');
      expect(o('cat /tmp/r2')).toBe('one\ntwo\n');
      expect(o('ls /bin | cat').split('\n')).toEqual(
        expect.arrayContaining(['fbtest', 'forktree', 'fsh', 'hello', 'mmapdemo', 'pingpong', 'sleepers']),
      );
      expect(o('hello x | cat')).toBe('Hello from Futura! (1 argument)\n  argv[1] = x\n');
      expect(o('nosuch arg')).toBe('fsh: nosuch: command not found\n');
      expect(o('echo $?')).toBe('127\n');
      expect(o('/bin/nosuch')).toBe('fsh: /bin/nosuch: command not found\n');
      expect(o('echo $? $?')).toBe('127 127\n');
      expect(o('cat < /tmp/none')).toBe('fsh: /tmp/none: No such file or directory\n');
      expect(r.out).toContain('fsh:/$ fsh -c "exit 7"\nfsh:/$ echo $?\n7\n');
    },
    T,
  );

  oracleIt(
    'the demos end by themselves with their expected output',
    [RV_GCC],
    async () => {
      const r = await shellSession([
        'hello a "b c"',
        'pingpong -n 250',
        'forktree',
        'forktree -d 4',
        'sleepers -n 3 -r 2',
        'mmapdemo -s 5',
        'fbtest -n 2 -d 10',
        'fscat -w /tmp/f via-fsd',
        'fscat /tmp/f',
        'fscat -s /tmp/f',
        'fscat -l /tmp',
      ]);
      const o = (l: string): string => commandOutput(r.out, l);
      expect(o('hello a "b c"')).toBe('Hello from Futura! (2 arguments)\n  argv[1] = a\n  argv[2] = b c\n');
      expect(o('pingpong -n 250')).toMatch(/^pingpong: 250 round trips in \d+ ms\n$/);
      expect(o('forktree')).toBe('forktree: depth 3, 15 tasks\n');
      expect(o('forktree -d 4')).toBe('forktree: depth 4, 31 tasks\n');
      expect(o('sleepers -n 3 -r 2')).toBe(
        [
          'sleeper 0: round 1 at 10 ms',
          'sleeper 1: round 1 at 20 ms',
          'sleeper 0: round 2 at 20 ms',
          'sleeper 2: round 1 at 30 ms',
          'sleeper 1: round 2 at 40 ms',
          'sleeper 2: round 2 at 60 ms',
          'sleepers: 3 done after 60 ms',
          '',
        ].join('\n'),
      );
      const mm = o('mmapdemo -s 5');
      expect(mm).toContain('round 3: heap +192 KiB\n');
      expect(mm).toContain('round 2: unmapped, heap back to its start\n');
      expect(mm.endsWith('mmapdemo: done\n')).toBe(true);
      const fbt = o('fbtest -n 2 -d 10');
      expect(fbt).toMatch(
        /^fbtest: 800x600, pitch 3200, 32 bpp\nfbtest: 2 frames in \d+ ms, \d+\.\d\d fps\n$/,
      );
      // The rate is frames over the virtual time it printed; each frame waited 10 ms at least.
      const [, ms, fps] = /(\d+) ms, (\d+\.\d\d) fps/.exec(fbt)!;
      expect(Number(ms)).toBeGreaterThanOrEqual(20);
      expect(Math.round(Number(fps) * 100)).toBe(Math.floor(200_000 / Number(ms)));
      // The last frame (f = 1) fills the screen: r = (x + 1) & 255, g = (y + 1) & 255, b = 0x40.
      const fb = r.board.fb;
      for (const [x, y] of [
        [0, 0],
        [254, 3],
        [799, 599],
      ] as const)
        expect(fb.pixels[y * fb.width + x]).toBe(
          (0xff000000 | (((x + 1) & 255) << 16) | (((y + 1) & 255) << 8) | 0x40) >>> 0,
        );
      expect(o('fscat /tmp/f')).toBe('via-fsd\n');
      expect(o('fscat -s /tmp/f')).toBe('/tmp/f: file, 8 bytes\n');
      expect(o('fscat -l /tmp')).toBe('f\n');
    },
    T,
  );

  oracleIt(
    '-f keeps pingpong and mmapdemo going past their ends until ^C',
    [RV_GCC],
    async () => {
      const r = await shellSession([
        'pingpong -f',
        { afterMs: 3000, text: '\x03' },
        'mmapdemo -f -s 1',
        { afterMs: 200, text: '\x03' },
      ]);
      const pp = commandOutput(r.out, 'pingpong -f');
      expect(pp).toMatch(/^pingpong: 1000 round trips\npingpong: 2000 round trips\n/);
      expect(pp).toContain('pingpong: 6000 round trips\n'); // past the default 5000
      expect(pp.endsWith('^C\n')).toBe(true);
      const mm = commandOutput(r.out, 'mmapdemo -f -s 1');
      expect(mm).toContain('round 4: heap +256 KiB\n'); // past the default 3 rounds
      expect(mm).not.toContain('mmapdemo: done');
      expect(mm.endsWith('^C\n')).toBe(true);
    },
    T,
  );

  oracleIt(
    'the TTY edits the line: backspace, ^U; ^C at the prompt does not end the shell; ^D does',
    [RV_GCC],
    async () => {
      const r = await shellSession([
        { text: 'echo abcX\x7fd\n' },
        { text: 'echo wrong\x15echo right\n' },
        { text: 'echo never\x03' },
        'echo still here',
        { text: '\x04' },
      ]);
      expect(r.out).toContain('fsh:/$ echo abcX\b \bd\nabcd\n');
      expect(r.out).toContain('\nright\n');
      expect(r.out).not.toContain('\nwrong\n');
      expect(r.out).not.toContain('\nnever\n');
      expect(r.out).toContain('fsh:/$ echo never^C\n');
      expect(commandOutput(r.out, 'echo still here')).toBe('still here\n');
      expect(r.out.endsWith('fsh:/$ \ninit: session ended, stopping services\n')).toBe(true);
      expect(r.status).toBe(0);
    },
    T,
  );

  oracleIt(
    '^C ends the running job (every task of its group), not the shell; $? is 130',
    [RV_GCC],
    async () => {
      const r = await shellSession(['sleepers -f', { afterMs: 200, text: '\x03' }, 'echo $?', 'ps']);
      const job = commandOutput(r.out, 'sleepers -f');
      expect(job).toMatch(/^sleeper 0: round 1 at 10 ms\n/);
      expect(job.endsWith('^C\n')).toBe(true);
      expect(commandOutput(r.out, 'echo $?')).toBe('130\n');
      const names = commandOutput(r.out, 'ps')
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/)[5]);
      expect(names).toEqual(['init', 'fsd', 'posixd', 'futurawayd', 'fsh']);
      const killed = r.kernel.log.filter((l) => /\(sleepers\) killed by signal 2/.test(l));
      expect(killed).toHaveLength(5); // the parent and its four sleepers
    },
    T,
  );

  oracleIt(
    'fbtest -c draws into a compositor surface; fsh runs scripts and -c lines',
    [RV_GCC],
    async () => {
      const script = 'echo from a script\nhello s | cat\nnosuch\necho status $?\nexit 4\necho not reached\n';
      const r = await shellSession(
        ['fbtest -c -n 1 -d 0', 'fsh /tmp/s.fsh', 'echo $?', 'fsh -c "echo x | cat"'],
        {
          files: { '/tmp/s.fsh': script },
        },
      );
      expect(commandOutput(r.out, 'fbtest -c -n 1 -d 0')).toMatch(
        /^fbtest: surface 1 \(320x240\) on the compositor\nfbtest: 1 frames in \d+ ms, \d+\.\d\d fps\n$/,
      );
      const fb = r.board.fb;
      // Frame 0 of the gradient, opaque, at the surface's position (240, 180).
      for (const [x, y] of [
        [0, 0],
        [17, 5],
        [200, 100],
      ] as const)
        expect(fb.pixels[(180 + y) * fb.width + 240 + x]).toBe(
          (0xff000000 | (x << 16) | (y << 8) | 0x40) >>> 0,
        );
      expect(fb.pixels[0]).toBe(0xff20252e); // outside the surface: the compositor's background
      expect(commandOutput(r.out, 'fsh /tmp/s.fsh')).toBe(
        'from a script\nHello from Futura! (1 argument)\n  argv[1] = s\nfsh: nosuch: command not found\nstatus 127\n',
      );
      expect(commandOutput(r.out, 'echo $?')).toBe('4\n');
      expect(commandOutput(r.out, 'fsh -c "echo x | cat"')).toBe('x\n');
    },
    T,
  );

  oracleIt(
    'a session is reproducible: two boots give byte-identical consoles and framebuffers',
    [RV_GCC],
    async () => {
      const script = ['ps', 'pingpong -n 50', 'sleepers -n 2 -r 1', 'fbtest -c -n 1 -d 0', 'mem', 'chan'];
      const a = await shellSession(script);
      const b = await shellSession(script);
      expect(a.out).toBe(b.out);
      expect(Buffer.from(a.board.fb.pixels.buffer).equals(Buffer.from(b.board.fb.pixels.buffer))).toBe(true);
      expect(a.kernel.clock.nowMs).toBe(b.kernel.clock.nowMs);
    },
    T,
  );
});
