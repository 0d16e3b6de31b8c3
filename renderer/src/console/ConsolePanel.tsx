// The guest console: xterm.js wired to console.output / console.input / console.resize.
// Ctrl+Shift+C copies the selection (plain Ctrl+C must reach the guest as ^C); pasting is the
// browser's own paste event (Ctrl+Shift+V, the Edit menu), which xterm.js turns into input.
import { useEffect, useRef, type ReactNode } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { useStudio } from '../ui/context';

const THEME = {
  background: '#15171c',
  foreground: '#d7dae0',
  cursor: '#7aa2f7',
  selectionBackground: '#3b4261',
};

export function ConsolePanel(): ReactNode {
  const studio = useStudio();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const term = new Terminal({
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      theme: THEME,
      cursorBlink: true,
      scrollback: 5000,
      convertEol: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    term.write('\x1b[2mFutura console — boot the machine (F5) to talk to its shell.\x1b[0m\r\n');

    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
      if (e.key === 'C' || e.key === 'c') {
        const sel = term.getSelection();
        if (sel) void navigator.clipboard?.writeText(sel);
        return false;
      }
      return true;
    });

    const offData = term.onData((d) => studio.consoleInput(d));
    const offOut = studio.onConsoleOutput((d) => term.write(d));

    let last = '';
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refit = (): void => {
      if (el.clientWidth === 0 || el.clientHeight === 0) return; // hidden tab
      fit.fit();
      const size = `${term.cols}x${term.rows}`;
      if (size === last) return;
      last = size;
      // Debounced: a drag of the splitter must not flood the session.
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => studio.consoleResize(term.cols, term.rows), 150);
    };
    const ro = new ResizeObserver(refit);
    ro.observe(el);
    refit();

    return () => {
      if (timer) clearTimeout(timer);
      ro.disconnect();
      offData.dispose();
      offOut();
      term.dispose();
    };
  }, [studio]);

  return <div className="console-host panel-fill" ref={host} data-testid="console" />;
}
