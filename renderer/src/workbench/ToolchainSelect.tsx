// The toolchain picker beside the Build button: futcc (built-in) or the PATH's RISC-V GCC, saved
// in the workspace's manifest; GCC is greyed out, with the reason in its tooltip, when not found.
import { useSyncExternalStore, type ReactNode } from 'react';
import { toolchainOptions } from '../state/toolchain-picker';
import { useApp, useStudio } from '../ui/context';

export function ToolchainSelect(): ReactNode {
  const picker = useStudio().toolchain;
  const st = useSyncExternalStore(picker.subscribe, picker.get);
  const building = useApp((s) => s.build.running);
  if (st.current === null) return null;
  const options = toolchainOptions(st);
  const chosen = options.find((o) => o.value === st.current);
  const unavailable = options.filter((o) => o.disabled).map((o) => `${o.label}: ${o.title}`);
  const title =
    st.error ?? [`Toolchain for the next build: ${chosen?.label ?? st.current}`, ...unavailable].join('\n');
  return (
    <label className={`toolchain-select small${st.error ? ' error' : ''}`} title={title}>
      <span className="muted">Toolchain</span>{' '}
      <select
        value={st.current}
        disabled={st.busy || building}
        onChange={(e) => void picker.choose(e.target.value === 'gcc' ? 'gcc' : 'futcc')}
        aria-label="Toolchain"
        data-testid="toolchain-select"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled} title={o.title}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
