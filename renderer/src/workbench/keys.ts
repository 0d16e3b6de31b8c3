// Keyboard shortcuts of the workbench, as a pure mapping from a key event to a command.
import type { MenuCommand } from '../bridge/futura-api';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Ctrl on Linux/Windows, Cmd on macOS: either counts as the primary modifier. */
export function commandForKey(e: KeyLike): MenuCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return null;
  if (mod && e.shiftKey && key === 'b') return 'build.build';
  if (mod && e.shiftKey && key === 's') return 'file.saveAll';
  if (mod && !e.shiftKey && key === 's') return 'file.save';
  if (!mod && e.shiftKey && key === 'F11') return 'debug.stepOut';
  if (mod || e.shiftKey) return null;
  switch (key) {
    case 'F5':
      return 'run.boot';
    case 'F6':
      return 'run.pauseResume';
    case 'F10':
      return 'run.step';
    case 'F8':
      return 'debug.continue';
    case 'F11':
      return 'debug.stepInto';
    default:
      return null;
  }
}

export const SHORTCUT_LABELS: Partial<Record<MenuCommand, string>> = {
  'build.build': 'Ctrl+Shift+B',
  'file.save': 'Ctrl+S',
  'file.saveAll': 'Ctrl+Shift+S',
  'run.boot': 'F5',
  'run.pauseResume': 'F6',
  'run.step': 'F10',
  'debug.continue': 'F8',
  'debug.stepInto': 'F11',
  'debug.stepOut': 'Shift+F11',
};
