// The workbench: toolbar, dockable panels, status bar, and the global keyboard shortcuts.
import { useEffect, type ReactNode } from 'react';
import { isDirty } from '../state/app-state';
import { useStudio } from '../ui/context';
import { Dock } from './Dock';
import { commandForKey } from './keys';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';

export function App(): ReactNode {
  const studio = useStudio();

  useEffect(() => {
    // Capture phase: the shortcuts work even while Monaco or the terminal has the focus.
    const onKey = (e: KeyboardEvent): void => {
      const cmd = commandForKey(e);
      if (!cmd) return;
      e.preventDefault();
      e.stopPropagation();
      studio.run(cmd);
    };
    // Browser mode: warn before a reload or tab close drops unsaved edits. (Electron's window
    // closes through the main process, which does not ask yet.)
    const onUnload = (e: BeforeUnloadEvent): void => {
      if (!window.futura && Object.values(studio.state.docs).some(isDirty)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [studio]);

  return (
    <div className="app">
      <Toolbar />
      <Dock />
      <StatusBar />
    </div>
  );
}
