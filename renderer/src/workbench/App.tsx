// The workbench: toolbar, dockable panels, status bar, and the global keyboard shortcuts.
import { useEffect, type ReactNode } from 'react';
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
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [studio]);

  return (
    <div className="app">
      <Toolbar />
      <Dock />
      <StatusBar />
    </div>
  );
}
