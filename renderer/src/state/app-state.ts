// The workbench's state: one immutable object in a Store (see store.ts).
import type { Diagnostic, FileEntry, MachineState } from '../../../core/protocol/messages';
import type { ConnectionStatus } from '../client/transport';
import { emptyHistory, type RateHistory } from '../live/rates';
import type { FramebufferFrame, LiveSnapshot } from '../live/types';

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
  frame: FramebufferFrame | null;
  rates: RateHistory;
  notice: { text: string; kind: 'info' | 'error' } | null;
  reveal: RevealRequest | null;
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
    frame: null,
    rates: emptyHistory(),
    notice: null,
    reveal: null,
  };
}

export const isDirty = (d: DocState | undefined): boolean => d !== undefined && d.saved !== d.current;

export const MAX_OUTPUT_LINES = 5000;
