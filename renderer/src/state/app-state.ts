// The workbench's state: one immutable object in a Store (see store.ts).
import type {
  BreakpointState,
  DisassemblyLine,
  RegisterSet,
  StackFrame,
  StopEvent,
  Variable,
} from '../../../core/protocol/debug';
import type { Diagnostic, FileEntry, MachineState } from '../../../core/protocol/messages';
import type { ConnectionStatus } from '../client/transport';
import { emptyHistory, type RateHistory } from '../live/rates';
import type { FramebufferFrame, LiveSnapshot } from '../live/types';
import type { VmaTrack } from '../live/vma-diff';

export interface DocState {
  path: string;
  /** Content as last read from or saved to disk. */
  saved: string;
  /** Content in the editor. */
  current: string;
}

export interface OutputLine {
  kind: 'info' | 'error' | 'success' | 'progress';
  text: string;
}

export interface BuildState {
  running: boolean;
  done: number;
  total: number;
  result: { ok: boolean; ms: number; errors: number; warnings: number } | null;
}

export interface MachineView {
  state: MachineState;
  reason: string | null;
  /** Host time (ms) at which the machine last started running; null when off. */
  bootedAt: number | null;
  available: boolean;
}

/** A request for the editor to show a location; `nonce` makes repeated jumps distinct. */
export interface RevealRequest {
  path: string;
  line: number;
  col: number;
  nonce: number;
}

/** The debugger: source breakpoints (kept across rebuilds and boots) and the views of a stop. */
export interface DebugState {
  /** Breakpoint lines by workspace path. */
  breakpoints: Record<string, number[]>;
  /** What the session says of them (verified, the line they moved to, hits). */
  resolved: BreakpointState[];
  stop: StopEvent | null;
  /** The stop's file as a workspace path, when it is one of the workspace's files. */
  stopPath: string | null;
  frames: StackFrame[];
  frame: number;
  locals: Variable[];
  registers: RegisterSet | null;
  /** The registers at the previous stop, to mark the changed ones. */
  previous: RegisterSet | null;
  disassembly: DisassemblyLine[];
  memory: { address: number; hex: string } | null;
  memoryError: string | null;
}

export function initialDebug(): DebugState {
  return {
    breakpoints: {},
    resolved: [],
    stop: null,
    stopPath: null,
    frames: [],
    frame: 0,
    locals: [],
    registers: null,
    previous: null,
    disassembly: [],
    memory: null,
    memoryError: null,
  };
}

export interface AppState {
  connection: ConnectionStatus;
  workspaceRoot: string | null;
  files: FileEntry[];
  docs: Record<string, DocState>;
  tabs: string[];
  active: string | null;
  problems: Diagnostic[];
  output: OutputLine[];
  build: BuildState;
  machine: MachineView;
  live: LiveSnapshot | null;
  /** The task selected in Processes; the other live views focus on it (null: none chosen). */
  selectedPid: number | null;
  /** The Memory Map's task across snapshots, with its recent changes. */
  vmaTrack: VmaTrack | null;
  frame: FramebufferFrame | null;
  rates: RateHistory;
  notice: { text: string; kind: 'info' | 'error' } | null;
  reveal: RevealRequest | null;
  debug: DebugState;
}

export function initialState(): AppState {
  return {
    connection: 'connecting',
    workspaceRoot: null,
    files: [],
    docs: {},
    tabs: [],
    active: null,
    problems: [],
    output: [],
    build: { running: false, done: 0, total: 0, result: null },
    machine: { state: 'off', reason: null, bootedAt: null, available: true },
    live: null,
    selectedPid: null,
    vmaTrack: null,
    frame: null,
    rates: emptyHistory(),
    notice: null,
    reveal: null,
    debug: initialDebug(),
  };
}

export const isDirty = (d: DocState | undefined): boolean => d !== undefined && d.saved !== d.current;

export const MAX_OUTPUT_LINES = 5000;
