// The session protocol: typed requests, responses and events, defined once and shared by every
// front end (Electron IPC, the browser mode's WebSocket, direct calls from the CLI and tests).
// Requests are validated on arrival with these schemas, so a malformed or unknown message gets an
// error reply rather than reaching the session.
import { z } from 'zod';
import { DebugRequestParams, type DebugStoppedEvent } from './debug';
import { FipcLinkRequestParams } from './fipc-link';
import { GdbRequestParams, type GdbStatusEvent } from './gdb';
import type { SnapshotEvent } from './snapshot-stream';

export const PROTOCOL_VERSION = 1;

const relPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte');

export const DiagnosticSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  col: z.number().int(),
  severity: z.enum(['error', 'warning', 'note']),
  message: z.string(),
  /** Exclusive end column on the same line, for a range. */
  endCol: z.number().int().optional(),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

export const FileEntrySchema = z.object({
  path: z.string(),
  kind: z.enum(['file', 'dir']),
  size: z.number(),
  mtimeMs: z.number(),
});
export type FileEntry = z.infer<typeof FileEntrySchema>;

const empty = z.object({}).strict();

/** What a client can observe: kernel snapshots, framebuffer frames, counters for charts. */
export const OBSERVE_STREAMS = ['snapshot', 'framebuffer', 'counters'] as const;
export type ObserveStream = (typeof OBSERVE_STREAMS)[number];

/** Every request's params, by method. */
export const RequestParams = {
  hello: z.object({ version: z.number().int(), client: z.string().max(200) }).strict(),
  'workspace.open': z.object({ path: z.string().max(4096).optional() }).strict(),
  'workspace.list': empty,
  'file.read': z.object({ path: relPath }).strict(),
  'file.save': z.object({ path: relPath, content: z.string() }).strict(),
  'file.create': z.object({ path: relPath, kind: z.enum(['file', 'dir']) }).strict(),
  'file.rename': z.object({ from: relPath, to: relPath }).strict(),
  'file.delete': z.object({ path: relPath }).strict(),
  'build.run': z.object({ clean: z.boolean().optional() }).strict(),
  /** The toolchains this machine offers (futcc always; the PATH's RISC-V GCC when found) and the workspace's choice. */
  'build.toolchains': empty,
  /** Writes the workspace manifest's `toolchain` field (atomically); the next build uses it. */
  'build.setToolchain': z.object({ toolchain: z.enum(['futcc', 'gcc']) }).strict(),
  'machine.boot': empty,
  'machine.status': empty,
  'machine.reset': empty,
  'machine.pause': empty,
  'machine.resume': empty,
  'machine.step': z.object({ instructions: z.number().int().min(1).max(1_000_000).optional() }).strict(),
  'machine.configure': z
    .object({
      clock: z.enum(['virtual', 'real']).optional(),
      preempt: z.boolean().optional(),
      ramMiB: z.number().int().min(16).max(1024).optional(),
    })
    .strict(),
  /**
   * Signals one guest task from outside (the IDE's Kill), also while paused. SIGKILL (default) ends
   * it at once ("killed from the IDE" in the kernel log); SIGTERM/SIGINT act as kill(2) would (the
   * task may catch them). SIGKILL to pid 1 (init) takes the whole guest down, as Linux panics when
   * init dies: every task left is killed and the machine halts. An unknown or ended pid: not-found.
   */
  'machine.kill': z
    .object({
      pid: z.number().int().min(1),
      signal: z.union([z.literal(9), z.literal(15), z.literal(2)]).optional(),
    })
    .strict(),
  'console.input': z.object({ data: z.string().max(65536) }).strict(),
  'console.resize': z
    .object({ cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) })
    .strict(),
  /**
   * This client's observation (each connection has its own streams and rate; the machine samples
   * at the fastest rate any client asked for). An empty `streams` stops this client's observation.
   */
  'observe.subscribe': z
    .object({
      streams: z.array(z.enum(OBSERVE_STREAMS)).max(3),
      hz: z.number().min(0.1).max(30),
    })
    .strict(),
  ...DebugRequestParams,
  ...GdbRequestParams,
  ...FipcLinkRequestParams,
} as const;

export type Method = keyof typeof RequestParams;
export type ParamsOf<M extends Method> = z.infer<(typeof RequestParams)[M]>;

export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  params: ParamsOf<M>;
}

/** Error codes carried by error responses. */
export const ErrorCode = {
  BadMessage: 'bad-message',
  UnknownMethod: 'unknown-method',
  BadParams: 'bad-params',
  VersionMismatch: 'version-mismatch',
  NotFound: 'not-found',
  Exists: 'exists',
  Forbidden: 'forbidden',
  Failed: 'failed',
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export type Response =
  | { id: number; ok: true; result: unknown }
  | { id: number | null; ok: false; error: { code: ErrorCodeValue; message: string } };

export type MachineState = 'off' | 'booting' | 'running' | 'paused' | 'halted';

export interface MachineConfig {
  /**
   * virtual: time advances with retired instructions and jumps over idle sleeps (deterministic);
   * real: guest time is the wall clock's (sleeps take real time, the guest runs at full speed).
   */
  clock: 'virtual' | 'real';
  /** Preempt the running thread at each 100 Hz tick. */
  preempt: boolean;
  /** Guest RAM; a change takes effect at the next boot. */
  ramMiB: number;
}

/** Result of machine.status, machine.boot/pause/resume/reset/step and machine.configure. */
export interface MachineStatus {
  state: MachineState;
  /** Why it halted (init exited, a fault), when it did. */
  reason?: string;
  /** Instructions retired since boot. */
  instret: number;
  /** Guest virtual time in milliseconds. */
  timeMs: number;
  config: MachineConfig;
  console: { cols: number; rows: number };
}

/** Result of machine.kill: the task signalled, the signal, and whether the task has ended by the reply. */
export interface KillResult {
  pid: number;
  name: string;
  signal: number;
  ended: boolean;
}

/** Result of build.run (also sent as the build.finished event). */
export interface BuildOutcome {
  ok: boolean;
  diagnostics: Diagnostic[];
  ms: number;
  /** Objects compiled and reused from the cache, programs linked (when the builder says). */
  stats?: BuildStats;
}

export interface BuildStats {
  compiled: number;
  reused: number;
  linked: number;
}

export type ToolchainChoice = 'futcc' | 'gcc';

/** One toolchain the IDE can offer: futcc is built in; GCC is the first RISC-V GCC on PATH, if any. */
export interface ToolchainInfo {
  name: ToolchainChoice;
  available: boolean;
  /** What the picker shows: "futcc (built-in)", "riscv64-unknown-elf-gcc 13.2.0". */
  label: string;
  /** The compiler's executable and version, when found. */
  path?: string;
  version?: string;
  /** Why it cannot be chosen (e.g. "no riscv64-unknown-elf-gcc or riscv32-unknown-elf-gcc on PATH"). */
  reason?: string;
}

/** Result of build.toolchains and build.setToolchain. */
export interface ToolchainsResult {
  /** What the next build uses: the manifest's `toolchain`, futcc when it names none. */
  current: ToolchainChoice;
  toolchains: ToolchainInfo[];
}

/**
 * Counter samples for the charts: cumulative totals since boot (`values`: instructions, syscalls,
 * messages, switches) and the per-second rates over the last interval (`rates`: mips,
 * syscallsPerSec, messagesPerSec, switchesPerSec). `t` is host milliseconds.
 */
export interface CountersEvent {
  event: 'counters';
  t: number;
  values: Record<string, number>;
  rates?: Record<string, number>;
}

/** Events the session pushes to its clients. */
export type SessionEvent =
  | { event: 'console.output'; data: string }
  | { event: 'build.progress'; done: number; total: number; file?: string }
  | { event: 'build.finished'; ok: boolean; diagnostics: Diagnostic[]; ms: number; stats?: BuildStats }
  | { event: 'machine.state'; state: MachineState; reason?: string }
  | { event: 'workspace.changed'; paths: string[] }
  | SnapshotEvent
  /** A frame the guest drew: RGBA bytes (opaque), row after row, width * height * 4 of them. */
  | { event: 'framebuffer'; width: number; height: number; pixels: Uint8Array }
  | CountersEvent
  /** The debugger stopped the machine: a breakpoint, a watchpoint, a finished step, an event. */
  | DebugStoppedEvent
  /** The IDE's GDB stub: listening, a debugger connected or gone (machine.gdb). */
  | GdbStatusEvent;

export type ServerMessage = Response | SessionEvent;
