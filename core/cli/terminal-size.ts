// The host terminal's window size for the guest console (docs/tty.md): `futura boot` and
// `futura run` pass it at start and on every resize of the terminal, so TIOCGWINSZ in the guest
// reads the real size and its foreground gets SIGWINCH.

/** The size of `out` when it is a terminal, else null. */
export function terminalSize(
  out: NodeJS.WriteStream = process.stdout,
): { cols: number; rows: number } | null {
  if (out.isTTY !== true || !(out.columns > 0) || !(out.rows > 0)) return null;
  return { cols: out.columns, rows: out.rows };
}

/** Calls `set` with the terminal's size now and after each resize; returns what stops watching. */
export function watchTerminalSize(
  set: (cols: number, rows: number) => void,
  out: NodeJS.WriteStream = process.stdout,
): () => void {
  if (out.isTTY !== true) return () => {};
  const send = (): void => {
    const s = terminalSize(out);
    if (s) set(s.cols, s.rows);
  };
  send();
  out.on('resize', send);
  return () => void out.off('resize', send);
}
