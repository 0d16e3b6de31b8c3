// "GDB stub on port [3333]": switches the session's GDB remote stub and shows its status line
// (waiting for gdb on 127.0.0.1:3333 / gdb connected from …).
import { useSyncExternalStore, type ReactNode } from 'react';
import { useStudio } from '../ui/context';

export function GdbToggle(): ReactNode {
  const sw = useStudio().debug.gdb;
  const st = useSyncExternalStore(sw.subscribe, sw.get);
  const on = st.status.enabled;
  return (
    <div className="gdb-stub small" data-testid="gdb-stub">
      <label>
        <input
          type="checkbox"
          checked={on}
          disabled={st.busy}
          onChange={(e) => void sw.setEnabled(e.target.checked)}
        />{' '}
        GDB stub on port{' '}
      </label>
      <input
        className="gdb-port mono"
        type="number"
        min={0}
        max={65535}
        value={on && st.status.port !== null ? st.status.port : st.port}
        disabled={on || st.busy}
        onChange={(e) => sw.setPort(Number(e.target.value))}
        aria-label="GDB port"
        style={{ width: '6em' }}
      />
      <span className="muted" data-testid="gdb-status">
        {' '}
        {st.error ?? (on ? st.status.message : '')}
      </span>
    </div>
  );
}
