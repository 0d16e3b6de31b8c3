// The workbench's controller: turns user commands into session requests and session events into
// state. DOM-free, so it is unit-tested under Node with a fake transport.
import type { Method, ParamsOf, SessionEvent } from '../../../core/protocol/messages';
import { PROTOCOL_VERSION } from '../../../core/protocol/messages';
import type { MenuCommand } from '../bridge/futura-api';
import { RequestError, type SessionClient } from '../client/session-client';
import type { ResultOf } from '../client/results';
import { DebugController } from '../debug/debug-controller';
import { toLiveSnapshot } from '../live/adapter';
import { FipcLinkControl } from '../live/fipc-link-control';
import { KillControl } from '../live/panels/ProcessesKill';
import { addSample, emptyHistory } from '../live/rates';
import type { LiveSnapshot } from '../live/types';
import { trackVmas, type VmaTrack } from '../live/vma-diff';
import { sortProblems } from '../editor/markers';
import { initialState, isDirty, MAX_OUTPUT_LINES, type AppState, type OutputLine } from './app-state';
import { focusedSpace, withCpuShares, withIdleShares } from './selection';
import { withWaitSince } from './wait-since';
import { Store } from './store';
import { ToolchainPicker } from './toolchain-picker';

/** What the user reads when a method is not implemented by the session yet. */
export function unavailableMessage(method: Method): string {
  if (method.startsWith('build.')) return 'Build is not available yet: this session has no toolchain.';
  if (method.startsWith('machine.')) return 'The machine is not available yet: this session cannot boot.';
  if (method.startsWith('console.')) return 'The console is not available yet.';
  if (method.startsWith('observe.')) return 'Live views are not available yet.';
  return `${method} is not available yet.`;
}

export class Studio {
  readonly store = new Store<AppState>(initialState());
  private readonly consoleListeners = new Set<(data: string) => void>();
  private readonly viewListeners = new Set<(cmd: MenuCommand) => void>();
  private revealNonce = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private wasConnected = false;
  readonly debug: DebugController;
  /** The FIPC view's "Link to node" form (fipc.link); errors stay in the form. */
  readonly fipcLink = new FipcLinkControl((method, params) => this.client.request(method, params));
  /** The build toolbar's toolchain picker (build.toolchains / build.setToolchain). */
  readonly toolchain = new ToolchainPicker((method, params) => this.client.request(method, params));
  /** The Processes view's Kill (machine.kill); the outcome stays in the view. */
  readonly kill = new KillControl((method, params) => this.client.request(method, params));

  constructor(private readonly client: SessionClient) {
    this.debug = new DebugController({
      store: this.store,
      request: (method, params) => this.call(method, params),
      open: (path, line) => void this.openFile(path, { line, col: 1 }),
    });
    client.onEvent((e) => this.onEvent(e));
    client.onStatus((s) => {
      this.store.update({ connection: s });
      // After a reconnect, the session may have changed while we were away.
      if (s === 'open' && this.wasConnected) void this.refreshFiles();
      if (s === 'open') this.wasConnected = true;
    });
    this.store.update({ connection: client.status });
    if (client.status === 'open') this.wasConnected = true;
  }

  get state(): AppState {
    return this.store.get();
  }

  /** Greets the session, opens the default workspace and subscribes to the live streams. */
  async start(): Promise<void> {
    try {
      const hello = await this.client.request('hello', {
        version: PROTOCOL_VERSION,
        client: 'futura-studio-ui',
      });
      // Keep a workspace the session already has (`futura serve --workspace DIR`, a reload).
      const root = hello.workspace ?? (await this.client.request('workspace.open', {})).root;
      this.store.update({ workspaceRoot: root });
      await this.refreshFiles();
      await this.toolchain.load();
    } catch (err) {
      this.fail('Could not open the workspace', err);
      return;
    }
    await this.call('observe.subscribe', { streams: ['snapshot', 'framebuffer', 'counters'], hz: 10 }, true);
  }

  async openWorkspace(path: string): Promise<void> {
    const ws = await this.call('workspace.open', { path });
    if (!ws) return;
    this.store.update({ workspaceRoot: ws.root, docs: {}, tabs: [], active: null, problems: [] });
    await this.refreshFiles();
    await this.toolchain.load();
  }

  async refreshFiles(): Promise<void> {
    const files = await this.call('workspace.list', {});
    if (files) this.store.update({ files });
  }

  // --- documents -------------------------------------------------------------------------------

  async openFile(path: string, at?: { line: number; col: number }): Promise<boolean> {
    if (!this.state.docs[path]) {
      const r = await this.call('file.read', { path });
      if (!r) return false;
      this.store.update((s) => ({
        docs: s.docs[path] ? s.docs : { ...s.docs, [path]: { path, saved: r.content, current: r.content } },
      }));
    }
    this.store.update((s) => ({
      tabs: s.tabs.includes(path) ? s.tabs : [...s.tabs, path],
      active: path,
      reveal: at ? { path, line: at.line, col: at.col, nonce: ++this.revealNonce } : s.reveal,
    }));
    return true;
  }

  activate(path: string): void {
    if (this.state.tabs.includes(path)) this.store.update({ active: path });
  }

  /** Closes a tab; its unsaved edits are dropped (the UI asks first). */
  closeTab(path: string): void {
    this.store.update((s) => {
      const idx = s.tabs.indexOf(path);
      const tabs = s.tabs.filter((t) => t !== path);
      const docs = { ...s.docs };
      delete docs[path];
      const active = s.active === path ? (tabs[Math.min(idx, tabs.length - 1)] ?? null) : s.active;
      return { tabs, docs, active };
    });
  }

  edit(path: string, text: string): void {
    const doc = this.state.docs[path];
    if (!doc || doc.current === text) return;
    this.store.update((s) => ({ docs: { ...s.docs, [path]: { ...doc, current: text } } }));
  }

  async save(path = this.state.active): Promise<boolean> {
    if (!path) return false;
    const doc = this.state.docs[path];
    if (!doc) return false;
    const content = doc.current;
    const ok = await this.call('file.save', { path, content });
    if (ok === null) return false;
    this.store.update((s) => {
      const d = s.docs[path];
      return d ? { docs: { ...s.docs, [path]: { ...d, saved: content } } } : {};
    });
    return true;
  }

  async saveAll(): Promise<number> {
    const dirty = Object.values(this.state.docs).filter(isDirty);
    let saved = 0;
    for (const d of dirty) if (await this.save(d.path)) saved++;
    return saved;
  }

  // --- explorer --------------------------------------------------------------------------------

  async create(path: string, kind: 'file' | 'dir'): Promise<boolean> {
    if ((await this.call('file.create', { path, kind })) === null) return false;
    await this.refreshFiles();
    if (kind === 'file') await this.openFile(path);
    return true;
  }

  async rename(from: string, to: string): Promise<boolean> {
    if ((await this.call('file.rename', { from, to })) === null) return false;
    // Open documents at or under the old path follow the rename.
    const moved = (p: string): string | null =>
      p === from ? to : p.startsWith(from + '/') ? to + p.slice(from.length) : null;
    this.store.update((s) => {
      const docs: AppState['docs'] = {};
      for (const [p, d] of Object.entries(s.docs)) {
        const np = moved(p) ?? p;
        docs[np] = { ...d, path: np };
      }
      return {
        docs,
        tabs: s.tabs.map((t) => moved(t) ?? t),
        active: s.active ? (moved(s.active) ?? s.active) : null,
      };
    });
    await this.refreshFiles();
    return true;
  }

  async remove(path: string): Promise<boolean> {
    if ((await this.call('file.delete', { path })) === null) return false;
    for (const t of this.state.tabs) if (t === path || t.startsWith(path + '/')) this.closeTab(t);
    await this.refreshFiles();
    return true;
  }

  // --- build and run ---------------------------------------------------------------------------

  async build(clean = false): Promise<void> {
    await this.saveAll();
    this.store.update({
      output: [{ kind: 'info', text: clean ? 'Rebuilding…' : 'Building…' }],
      build: { running: true, done: 0, total: 0, result: null },
    });
    const r = await this.call('build.run', clean ? { clean: true } : {}, true);
    if (r === null) this.store.update((s) => ({ build: { ...s.build, running: false } }));
  }

  async bootOrReboot(): Promise<void> {
    if (this.state.machine.state !== 'off' && this.state.machine.state !== 'halted') {
      if ((await this.call('machine.reset', {}, true)) === null) return;
    }
    await this.call('machine.boot', {}, true);
  }

  async pauseResume(): Promise<void> {
    const running = this.state.machine.state === 'running';
    await this.call(running ? 'machine.pause' : 'machine.resume', {}, true);
  }

  /** F10: a source-level step over when the debugger stopped the machine, else one instruction. */
  async step(): Promise<void> {
    if (await this.debug.step('over')) return;
    await this.call('machine.step', { instructions: 1 }, true);
  }

  async reset(): Promise<void> {
    await this.call('machine.reset', {}, true);
  }

  // --- console ---------------------------------------------------------------------------------

  onConsoleOutput(listener: (data: string) => void): () => void {
    this.consoleListeners.add(listener);
    return () => this.consoleListeners.delete(listener);
  }

  consoleInput(data: string): void {
    void this.call('console.input', { data }, true, false);
  }

  consoleResize(cols: number, rows: number): void {
    void this.call('console.resize', { cols, rows }, true, false);
  }

  // --- commands --------------------------------------------------------------------------------

  /** Panel commands (View menu) are the workbench's business: it registers here. */
  onViewCommand(listener: (cmd: MenuCommand) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  run(cmd: MenuCommand): void {
    switch (cmd) {
      case 'file.save':
        void this.save();
        return;
      case 'file.saveAll':
        void this.saveAll();
        return;
      case 'build.build':
        void this.build(false);
        return;
      case 'build.rebuild':
        void this.build(true);
        return;
      case 'run.boot':
      case 'run.reboot':
        void this.bootOrReboot();
        return;
      case 'run.pauseResume':
        void this.pauseResume();
        return;
      case 'run.step':
        void this.step();
        return;
      case 'run.reset':
        void this.reset();
        return;
      case 'debug.continue':
        if (this.state.machine.state === 'paused') void this.call('machine.resume', {}, true);
        return;
      case 'debug.stepInto':
        void this.debug.step('into');
        return;
      case 'debug.stepOut':
        void this.debug.step('out');
        return;
      default:
        for (const l of this.viewListeners) l(cmd);
    }
  }

  /** Selects a task app-wide (Processes, the Memory Map's task list); the other views follow. */
  selectTask(pid: number | null): void {
    if (pid === this.state.selectedPid) return;
    this.store.update((s) => ({
      selectedPid: pid,
      vmaTrack: this.track(null, s.live, pid),
    }));
  }

  dismissNotice(): void {
    this.store.update({ notice: null });
  }

  // --- internals -------------------------------------------------------------------------------

  private onEvent(e: SessionEvent): void {
    switch (e.event) {
      case 'console.output':
        for (const l of this.consoleListeners) l(e.data);
        return;
      case 'build.progress':
        this.store.update((s) => ({
          build: { ...s.build, running: true, done: e.done, total: e.total },
          output: e.file
            ? this.appendOutput(s.output, { kind: 'progress', text: `[${e.done}/${e.total}] ${e.file}` })
            : s.output,
        }));
        return;
      case 'build.finished': {
        const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
        const warnings = e.diagnostics.filter((d) => d.severity === 'warning').length;
        const lines: OutputLine[] = e.diagnostics.map((d) => ({
          kind: d.severity === 'error' ? 'error' : 'info',
          text: `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`,
        }));
        lines.push({
          kind: e.ok ? 'success' : 'error',
          text: `${e.ok ? 'Build succeeded' : 'Build failed'} in ${e.ms} ms — ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
        });
        this.store.update((s) => ({
          problems: sortProblems(e.diagnostics),
          build: {
            running: false,
            done: s.build.total,
            total: s.build.total,
            result: { ok: e.ok, ms: e.ms, errors, warnings },
          },
          output: lines.reduce((acc, l) => this.appendOutput(acc, l), s.output),
        }));
        return;
      }
      case 'machine.state':
        if (e.state === 'running') this.debug.onRunning();
        else if (e.state === 'off' || e.state === 'halted') this.debug.onOff();
        this.store.update((s) => ({
          machine: {
            state: e.state,
            reason: e.reason ?? null,
            available: true,
            bootedAt:
              e.state === 'off'
                ? null
                : (s.machine.bootedAt ??
                  (e.state === 'running' || e.state === 'booting' ? Date.now() : null)),
          },
          ...(e.state === 'off' ? { live: null, vmaTrack: null, frame: null, rates: emptyHistory() } : {}),
        }));
        return;
      case 'workspace.changed':
        // Saves arrive in bursts (Save All): refresh the tree once per burst.
        if (this.refreshTimer) clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => void this.refreshFiles(), 100);
        void this.reloadClean(e.paths);
        this.toolchain.onWorkspaceChanged(e.paths);
        return;
      case 'snapshot':
        this.store.update((s) => {
          const next = toLiveSnapshot(e.data);
          const live = next ? withWaitSince(s.live, withCpuShares(s.live, next)) : null;
          return { live, vmaTrack: this.track(s.vmaTrack, live, s.selectedPid) };
        });
        return;
      case 'framebuffer':
        this.store.update({ frame: { width: e.width, height: e.height, pixels: e.pixels } });
        return;
      case 'counters':
        this.store.update((s) => ({
          rates: addSample(s.rates, e.t, e.values),
          live: withIdleShares(s.live, s.rates.last?.values, e.values),
        }));
        return;
      case 'debug.stopped':
        void this.debug.onStopped(e.stop);
        return;
      case 'gdb.status':
        this.debug.gdb.onStatus(e.status);
        return;
    }
  }

  /** The Memory Map's task after a snapshot or a selection: its VMAs' changes since the last. */
  private track(prev: VmaTrack | null, live: LiveSnapshot | null, selected: number | null): VmaTrack | null {
    const space = focusedSpace(live, selected);
    return space ? trackVmas(prev, space.pid, space.vmas, Date.now()) : null;
  }

  /** Open documents changed on disk (by another program) follow the disk unless they have edits. */
  private async reloadClean(paths: string[]): Promise<void> {
    for (const path of paths) {
      const doc = this.state.docs[path];
      if (!doc || isDirty(doc)) continue;
      const r = await this.call('file.read', { path }, false, false);
      if (!r || r.content === doc.saved) continue;
      this.store.update((s) => {
        const d = s.docs[path];
        if (!d || isDirty(d)) return {};
        return { docs: { ...s.docs, [path]: { path, saved: r.content, current: r.content } } };
      });
    }
  }

  private appendOutput(out: OutputLine[], line: OutputLine): OutputLine[] {
    const next = out.length >= MAX_OUTPUT_LINES ? out.slice(out.length - MAX_OUTPUT_LINES + 1) : out.slice();
    next.push(line);
    return next;
  }

  /**
   * Sends a request; errors become a notice (and, for build, an output line) and null.
   * `optional` marks methods a session may not implement yet: `unknown-method` is then reported
   * as "not available yet" rather than as a failure.
   */
  private async call<M extends Method>(
    method: M,
    params: ParamsOf<M>,
    optional = false,
    loud = true,
  ): Promise<ResultOf<M> | null> {
    try {
      return await this.client.request(method, params);
    } catch (err) {
      if (optional && err instanceof RequestError && err.code === 'unknown-method') {
        if (method.startsWith('machine.'))
          this.store.update((s) => ({ machine: { ...s.machine, available: false } }));
        if (!loud || method.startsWith('observe.')) return null;
        const text = unavailableMessage(method);
        this.store.update((s) => ({
          notice: { text, kind: 'info' },
          output: method.startsWith('build.')
            ? this.appendOutput(s.output, { kind: 'info', text })
            : s.output,
        }));
        return null;
      }
      if (loud) this.fail(`${method} failed`, err);
      return null;
    }
  }

  private fail(what: string, err: unknown): void {
    const text = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    this.store.update((s) => ({
      notice: { text, kind: 'error' },
      output: this.appendOutput(s.output, { kind: 'error', text }),
    }));
  }
}
