// Messages between the Session and the machine worker (the thread that runs the guest). Commands
// carry an id and get exactly one reply; the worker also pushes session events (console output,
// machine state, observation) as they happen.
import type { DebugMethod } from '../../protocol/debug';
import type { FipcLinkStatus } from '../../protocol/fipc-link';
import type { GdbStubStatus } from '../../protocol/gdb';
import type {
  KillResult,
  MachineConfig,
  MachineStatus,
  ObserveStream,
  SessionEvent,
} from '../../protocol/messages';
import type { Image } from '../../toolchain/build/types';
import type { InstallationKeys } from '../fipc/installation-keys';

export type { Image, ImageFile } from '../../toolchain/build/types';

/** What a build produces and a boot consumes: the RamFS contents and the first program. */
export interface BootImage extends Image {
  /** Guest path of the first task (default /sbin/init). */
  init?: string;
  args?: string[];
}

export type MachineCommand =
  | {
      type: 'boot';
      image: BootImage;
      config: MachineConfig;
      console: { cols: number; rows: number };
      /** Debugger settings (breakpoints, event stops, focus) applied before the guest's first instruction. */
      debug?: { method: DebugMethod; params: unknown }[];
    }
  | { type: 'reset' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; instructions: number }
  | { type: 'configure'; config: MachineConfig }
  | { type: 'status' }
  | { type: 'input'; bytes: Uint8Array }
  | { type: 'resize'; cols: number; rows: number }
  /** The IDE's Kill on one guest task (machine.kill); answered with a KillReply. */
  | { type: 'kill'; pid: number; signal: number }
  /** One client's observation (no streams: that client stops observing). */
  | { type: 'observe'; client: number; streams: ObserveStream[]; hz: number }
  | { type: 'debug'; method: DebugMethod; params: unknown }
  /** The GDB remote stub on 127.0.0.1:port (0: any free port), or off. */
  | { type: 'gdb'; enabled: boolean; port: number }
  /** Links the running kernel to the Futura node on UDP host:port (keys: the installation's), or unlinks. */
  | { type: 'fipc-link'; host: string; port: number; timeoutMs?: number; keys: InstallationKeys }
  | { type: 'fipc-unlink' };

export interface StepResult {
  status: MachineStatus;
  /** Instructions the step retired (fewer than asked when every task blocked). */
  executed: number;
}

/** A debug request's answer (core/protocol/debug's result types). */
export interface DebugResult {
  debug: unknown;
}

/** machine.kill's answer: null when no live task has that pid. */
export interface KillReply {
  kill: KillResult | null;
}

/** machine.gdb's answer. */
export interface GdbResult {
  gdb: GdbStubStatus;
}

/** fipc.link's and fipc.unlink's answer. */
export interface FipcLinkResult {
  fipc: FipcLinkStatus;
}

export type ToWorker = { id: number; command: MachineCommand };

export type FromWorker =
  | {
      type: 'reply';
      id: number;
      ok: true;
      result: MachineStatus | StepResult | DebugResult | GdbResult | FipcLinkResult | KillReply;
    }
  | { type: 'reply'; id: number; ok: false; message: string }
  /** An event for every client, or (`to`) for one client's observation. */
  | { type: 'event'; event: SessionEvent; to?: number };
