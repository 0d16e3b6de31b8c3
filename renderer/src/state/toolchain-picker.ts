// The build toolbar's toolchain picker: which toolchains the session offers (futcc built in, the
// PATH's RISC-V GCC when found) and the workspace's choice, written to its manifest through
// build.setToolchain so the next build uses it. A tiny observable the picker subscribes to; DOM-free.
import type {
  Method,
  ParamsOf,
  ToolchainChoice,
  ToolchainInfo,
  ToolchainsResult,
} from '../../../core/protocol/messages';

export interface ToolchainPickerState {
  /** The manifest's choice; null until the session answered (or when it has no builder). */
  current: ToolchainChoice | null;
  toolchains: ToolchainInfo[];
  busy: boolean;
  /** The last failure (GCC gone from PATH since the list was read, a broken manifest). */
  error: string | null;
}

/** One entry of the picker. */
export interface ToolchainOption {
  value: ToolchainChoice;
  label: string;
  disabled: boolean;
  /** The tooltip: the compiler's path, or why it cannot be chosen. */
  title: string;
}

type Request = <M extends Method>(method: M, params: ParamsOf<M>) => Promise<unknown>;

const MANIFEST = 'futura.json';

export class ToolchainPicker {
  private state: ToolchainPickerState = { current: null, toolchains: [], busy: false, error: null };
  private readonly listeners = new Set<() => void>();

  /** `request` rejects on an error reply. */
  constructor(private readonly request: Request) {}

  get = (): ToolchainPickerState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<ToolchainPickerState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** Asks the session again (a workspace opened, the manifest changed). */
  async load(): Promise<void> {
    try {
      const r = (await this.request('build.toolchains', {})) as ToolchainsResult;
      this.set({ current: r.current, toolchains: r.toolchains, error: null });
    } catch {
      // No builder, no workspace: nothing to pick from.
      this.set({ current: null, toolchains: [] });
    }
  }

  async choose(toolchain: ToolchainChoice): Promise<void> {
    if (toolchain === this.state.current || this.state.busy) return;
    this.set({ busy: true, error: null });
    try {
      const r = (await this.request('build.setToolchain', { toolchain })) as ToolchainsResult;
      this.set({ current: r.current, toolchains: r.toolchains, busy: false });
    } catch (err) {
      this.set({ busy: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** A workspace.changed event: the manifest edited by hand (or by another window) is re-read. */
  onWorkspaceChanged(paths: readonly string[]): void {
    if (paths.includes(MANIFEST)) void this.load();
  }
}

/** The picker's entries: futcc (built-in), then GCC with its version, or disabled saying why. */
export function toolchainOptions(s: ToolchainPickerState): ToolchainOption[] {
  return s.toolchains.map((t) => ({
    value: t.name,
    label: t.name === 'gcc' && !t.available ? 'GCC (not found)' : t.label,
    disabled: !t.available,
    title: t.available ? (t.path ?? 'built into Futura Studio') : (t.reason ?? 'not available'),
  }));
}
