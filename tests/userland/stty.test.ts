// The console's size end to end on the booted sample (docs/tty.md): `futura boot`'s path
// (bootImage + runConsole) starts the kernel with the terminal's size and passes each resize on;
// fsh's `stty` reads it with ioctl(TIOCGWINSZ) through libfutura's <sys/ioctl.h>.
import { describe, expect } from 'vitest';
import { bootImage } from '../../core/host/boot/boot';
import { runConsole } from '../../core/host/boot/console-run';
import { oracleIt, RV_GCC } from '../support/oracle';
import { commandOutput, sampleImage } from './sample';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('stty and the terminal size', () => {
  oracleIt(
    'stty reads the size given at boot, then the size after a resize of the terminal',
    [RV_GCC],
    async () => {
      let out = '';
      const booted = bootImage(await sampleImage(), {
        console: { cols: 100, rows: 37 },
        kernel: { onOutput: (b) => (out += new TextDecoder().decode(b)) },
      });
      if (typeof booted === 'string') throw new Error(booted);
      let feed: (b: Uint8Array) => void = () => {};
      let end: () => void = () => {};
      let resize: (cols: number, rows: number) => void = () => {};
      const run = runConsole(
        booted,
        {
          input: (data, done) => {
            feed = data;
            end = done;
          },
          resize: (set) => (resize = set),
        },
        { lineAtATime: true, stopOnExitOf: 'fsh', maxInstructions: 2_000_000_000 },
      );
      feed(enc('stty size\nstty\nstty bogus\necho $?\n'));
      for (let i = 0; i < 2000 && !/\$ echo \$\?\n2\nfsh:\/\$ $/.test(out); i++)
        await new Promise((r) => setTimeout(r, 5));
      resize(132, 50);
      feed(enc('stty size\nexit 4\n'));
      end();
      const r = await run;
      expect(r.end).toMatchObject({ kind: 'task-exited', name: 'fsh' });
      expect(out).toContain('fsh:/$ stty size\n37 100\nfsh:/$ stty\nrows 37; columns 100;\n');
      expect(commandOutput(out, 'stty bogus')).toBe('fsh: stty: usage: stty [size]\n');
      expect(out).toContain('2\nfsh:/$ stty size\n50 132\nfsh:/$ exit 4\n');
    },
    120_000,
  );
});
