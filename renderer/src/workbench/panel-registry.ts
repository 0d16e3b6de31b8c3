// Every panel of the workbench: its id, title and where it goes in the default layout. The View
// menu's commands map to these ids.
import type { MenuCommand } from '../bridge/futura-api';

export type PanelId =
  | 'explorer'
  | 'editor'
  | 'problems'
  | 'output'
  | 'console'
  | 'processes'
  | 'memory'
  | 'waitqueues'
  | 'channels'
  | 'scheduler'
  | 'timers'
  | 'display'
  | 'charts'
  | 'debug';

export interface PanelDef {
  id: PanelId;
  title: string;
  /** Where the panel goes: beside another panel, or inside its group ('within'). */
  near: PanelId | null;
  direction: 'left' | 'right' | 'above' | 'below' | 'within';
}

/** In insertion order: each panel's reference is added before it. */
export const PANELS: readonly PanelDef[] = [
  { id: 'editor', title: 'Editor', near: null, direction: 'within' },
  { id: 'explorer', title: 'Explorer', near: 'editor', direction: 'left' },
  { id: 'console', title: 'Console', near: 'editor', direction: 'below' },
  { id: 'output', title: 'Build Output', near: 'console', direction: 'within' },
  { id: 'problems', title: 'Problems', near: 'console', direction: 'within' },
  { id: 'processes', title: 'Processes', near: 'editor', direction: 'right' },
  { id: 'memory', title: 'Memory Map', near: 'processes', direction: 'within' },
  { id: 'waitqueues', title: 'Wait Queues', near: 'processes', direction: 'within' },
  { id: 'channels', title: 'FIPC Channels', near: 'processes', direction: 'within' },
  { id: 'scheduler', title: 'Scheduler', near: 'processes', direction: 'within' },
  { id: 'timers', title: 'Timers', near: 'processes', direction: 'within' },
  { id: 'charts', title: 'Charts', near: 'processes', direction: 'below' },
  { id: 'display', title: 'Display', near: 'charts', direction: 'within' },
  { id: 'debug', title: 'Debug', near: 'charts', direction: 'within' },
];

export function panelForCommand(cmd: MenuCommand): PanelId | null {
  if (!cmd.startsWith('view.')) return null;
  const id = cmd.slice('view.'.length);
  return PANELS.some((p) => p.id === id) ? (id as PanelId) : null;
}
