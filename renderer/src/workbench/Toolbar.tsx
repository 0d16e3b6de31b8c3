// The toolbar: file, build and run commands, with their shortcuts in the tooltips.
import type { ReactNode } from 'react';
import type { MenuCommand } from '../bridge/futura-api';
import { isDirty } from '../state/app-state';
import { useApp, useStudio } from '../ui/context';
import { SHORTCUT_LABELS } from './keys';
import { ToolchainSelect } from './ToolchainSelect';

interface ButtonProps {
  cmd: MenuCommand;
  label: string;
  icon: string;
  disabled?: boolean;
  primary?: boolean;
}

function ToolButton({ cmd, label, icon, disabled, primary }: ButtonProps): ReactNode {
  const studio = useStudio();
  const keys = SHORTCUT_LABELS[cmd];
  return (
    <button
      type="button"
      className={primary ? 'tool primary' : 'tool'}
      title={keys ? `${label} (${keys})` : label}
      disabled={disabled}
      onClick={() => studio.run(cmd)}
      data-cmd={cmd}
    >
      <span className="tool-icon" aria-hidden="true">
        {icon}
      </span>
      {label}
    </button>
  );
}

export function Toolbar(): ReactNode {
  const studio = useStudio();
  const machine = useApp((s) => s.machine.state);
  const building = useApp((s) => s.build.running);
  const anyDirty = useApp((s) => Object.values(s.docs).some(isDirty));
  const root = useApp((s) => s.workspaceRoot);
  const on = machine !== 'off' && machine !== 'halted';

  const openFolder = (): void => {
    // Browser mode has no native dialog: ask for a path on the server's machine.
    const path = window.prompt('Open workspace folder (a path on this machine):', root ?? '');
    if (path) void studio.openWorkspace(path);
  };

  return (
    <header className="toolbar" role="toolbar" aria-label="Main toolbar">
      <span className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Futura Studio
      </span>
      <div className="tool-group">
        {!window.futura && (
          <button type="button" className="tool" title="Open a workspace folder" onClick={openFolder}>
            <span className="tool-icon" aria-hidden="true">
              ▤
            </span>
            Open…
          </button>
        )}
        <ToolButton cmd="file.saveAll" label="Save All" icon="⤓" disabled={!anyDirty} />
      </div>
      <div className="tool-group">
        <ToolButton cmd="build.build" label="Build" icon="⚒" primary disabled={building} />
        <ToolButton cmd="build.rebuild" label="Rebuild" icon="↻" disabled={building} />
        <ToolchainSelect />
      </div>
      <div className="tool-group">
        <ToolButton cmd="run.boot" label={on ? 'Reboot' : 'Boot'} icon="▶" />
        <ToolButton
          cmd="run.pauseResume"
          label={machine === 'paused' ? 'Resume' : 'Pause'}
          icon="‖"
          disabled={!on}
        />
        <ToolButton cmd="run.step" label="Step" icon="⤼" disabled={machine !== 'paused'} />
        <ToolButton cmd="run.reset" label="Reset" icon="■" disabled={!on} />
      </div>
      <span className="workspace-path" title={root ?? ''}>
        {root ?? ''}
      </span>
    </header>
  );
}
