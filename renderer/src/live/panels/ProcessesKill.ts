// The Processes view's Kill action: machine.kill on the selected task (SIGKILL unless told
// otherwise), with the outcome or the session's refusal kept for the view to show. Works on a
// paused machine too (the session serves it between slices). DOM-free, a tiny observable store.
import type { KillResult, Method, ParamsOf } from '../../../../core/protocol/messages';

export interface KillState {
  busy: boolean;
  /** What the last kill did, or why it failed; null before the first. */
  message: string | null;
  error: boolean;
}

/** Rejects with the session's error (its message is shown). */
type Request = <M extends Method>(method: M, params: ParamsOf<M>) => Promise<unknown>;

export type KillSignal = 9 | 15 | 2;

/** The Kill button for the selected task (undefined: none selected): live tasks only, one at a time. */
export function killButton(
  task: { pid: number; name: string; state: string } | undefined,
  kill: KillState | undefined,
): { label: string; disabled: boolean; title: string } {
  if (!task) return { label: 'Kill', disabled: true, title: 'Select a task to kill' };
  const ended = task.state === 'zombie';
  return {
    label: `Kill ${task.pid}`,
    disabled: ended || (kill?.busy ?? false),
    title: ended ? `pid ${task.pid} has ended` : `Send SIGKILL to pid ${task.pid} (${task.name})`,
  };
}

const SIGNAL_NAMES: Record<KillSignal, string> = { 9: 'SIGKILL', 15: 'SIGTERM', 2: 'SIGINT' };

export class KillControl {
  private state: KillState = { busy: false, message: null, error: false };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly request: Request) {}

  get = (): KillState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: KillState): void {
    this.state = next;
    for (const l of this.listeners) l();
  }

  async kill(task: { pid: number; name: string }, signal: KillSignal = 9): Promise<void> {
    if (this.state.busy) return;
    const who = `pid ${task.pid} (${task.name})`;
    this.set({ busy: true, message: `sending ${SIGNAL_NAMES[signal]} to ${who}…`, error: false });
    try {
      const r = (await this.request('machine.kill', { pid: task.pid, signal })) as KillResult;
      const what = r.ended
        ? `${who} killed by ${SIGNAL_NAMES[signal]}`
        : `${SIGNAL_NAMES[signal]} sent to ${who} (still running: it handles the signal)`;
      this.set({ busy: false, message: what, error: false });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.set({ busy: false, message: `cannot kill ${who}: ${why}`, error: true });
    }
  }
}
