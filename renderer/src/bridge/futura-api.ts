// The narrow API the Electron preload exposes as `window.futura`. Shared by the preload (which
// implements it) and the renderer (which consumes it), so both sides agree at compile time.
import type { Response, SessionEvent } from '../../../core/protocol/messages';

/** A request as the renderer sends it; the session validates it again on arrival. */
export interface OutgoingRequest {
  id: number;
  method: string;
  params: unknown;
}

export interface FuturaBridge {
  /** Sends one request to the session and resolves with its response (never rejects on errors). */
  request(msg: OutgoingRequest): Promise<Response>;
  /** Subscribes to session events; returns the unsubscribe function. */
  onEvent(cb: (event: SessionEvent) => void): () => void;
}

/** Menu commands the Electron main process forwards to the renderer (File ▸ Save, Run ▸ Boot…). */
export const MENU_COMMANDS = [
  'workspace.open',
  'file.new',
  'file.save',
  'file.saveAll',
  'build.build',
  'build.rebuild',
  'run.boot',
  'run.reboot',
  'run.pauseResume',
  'run.step',
  'run.reset',
  'debug.continue',
  'debug.stepInto',
  'debug.stepOut',
  'view.explorer',
  'view.problems',
  'view.output',
  'view.console',
  'view.processes',
  'view.memory',
  'view.waitqueues',
  'view.channels',
  'view.scheduler',
  'view.timers',
  'view.display',
  'view.charts',
  'view.debug',
  'help.about',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

declare global {
  interface Window {
    /** Present only inside the Electron app (set by the preload). */
    futura?: FuturaWindowApi;
  }
}

/** What the preload exposes: the session API plus the application menu's commands. */
export interface FuturaWindowApi extends FuturaBridge {
  /** Subscribes to menu commands chosen in the native menu; returns the unsubscribe function. */
  onMenu(cb: (command: MenuCommand, arg?: string) => void): () => void;
}

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}
