// The status bar: connection, machine state, guest MIPS, uptime, last build, and notices.
import { useEffect, useState, type ReactNode } from 'react';
import { latestMips } from '../live/rates';
import { useApp, useStudio } from '../ui/context';

export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function StatusBar(): ReactNode {
  const studio = useStudio();
  const connection = useApp((s) => s.connection);
  const machine = useApp((s) => s.machine);
  const rates = useApp((s) => s.rates);
  const build = useApp((s) => s.build);
  const notice = useApp((s) => s.notice);
  const now = useNow(machine.bootedAt !== null);
  const mips = latestMips(rates);

  return (
    <footer className="statusbar" role="status">
      <span className={`status-item conn-${connection}`} title="Connection to the session">
        ● {connection === 'open' ? 'connected' : connection === 'connecting' ? 'connecting…' : 'disconnected'}
      </span>
      <span className={`status-item machine-${machine.state}`} data-testid="machine-state">
        Machine: {machine.available ? machine.state : 'not available'}
        {machine.reason ? ` (${machine.reason})` : ''}
      </span>
      <span className="status-item">MIPS: {mips === null ? '—' : mips.toFixed(1)}</span>
      <span className="status-item">
        Uptime: {machine.bootedAt === null ? '—' : formatUptime(now - machine.bootedAt)}
      </span>
      <span className={`status-item build-${build.result ? (build.result.ok ? 'ok' : 'failed') : 'none'}`}>
        {build.running
          ? `Building ${build.done}/${build.total || '?'}`
          : build.result
            ? `Build ${build.result.ok ? 'ok' : 'failed'} (${plural(build.result.errors, 'error')}, ${plural(build.result.warnings, 'warning')}, ${build.result.ms} ms)`
            : 'Not built'}
      </span>
      <span className="status-spacer" />
      {notice && (
        <button
          type="button"
          className={`status-notice notice-${notice.kind}`}
          title="Dismiss"
          onClick={() => studio.dismissNotice()}
        >
          {notice.text} ✕
        </button>
      )}
    </footer>
  );
}
