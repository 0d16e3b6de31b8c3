// The debugger's part of the session protocol: requests (breakpoints, watchpoints, event stops,
// focus, stepping, and the views of a stopped task) and the `debug.stopped` event. Plain data only,
// shared by the host's debug service and the renderer's debugger panels.
import { z } from 'zod';

const pid = z.number().int().min(1).max(1_000_000);
const address = z.number().int().min(0).max(0xffffffff);

export const BreakpointSpecSchema = z
  .object({
    file: z.string().max(4096).optional(),
    line: z.number().int().min(1).max(10_000_000).optional(),
    function: z.string().max(512).optional(),
    address: address.optional(),
    condition: z.string().max(1000).optional(),
  })
  .strict()
  .refine(
    (b) =>
      b.address !== undefined || b.function !== undefined || (b.file !== undefined && b.line !== undefined),
    {
      message: 'a breakpoint needs file and line, a function, or an address',
    },
  );

export const DebugRequestParams = {
  'debug.setBreakpoints': z.object({ breakpoints: z.array(BreakpointSpecSchema).max(1000) }).strict(),
  'debug.setWatchpoints': z
    .object({
      watchpoints: z
        .array(
          z
            .object({
              pid,
              address,
              length: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]),
            })
            .strict(),
        )
        .max(64),
    })
    .strict(),
  'debug.setEventStops': z
    .object({
      syscalls: z.array(z.number().int().min(0).max(4095)).max(64).optional(),
      pageFault: z.boolean().optional(),
      taskExit: z.boolean().optional(),
      fipcSend: z.array(z.number().int().min(0)).max(64).optional(),
    })
    .strict(),
  'debug.focus': z.object({ pid: pid.nullable() }).strict(),
  'debug.step': z.object({ pid, kind: z.enum(['into', 'over', 'out', 'instruction']) }).strict(),
  'debug.stackTrace': z.object({ pid }).strict(),
  'debug.locals': z.object({ pid, frame: z.number().int().min(0).max(1000).optional() }).strict(),
  'debug.registers': z.object({ pid }).strict(),
  'debug.memory': z.object({ pid, address, length: z.number().int().min(1).max(65536) }).strict(),
  'debug.disassemble': z.object({ pid, address, count: z.number().int().min(1).max(2000) }).strict(),
  'debug.evaluate': z.object({ pid, expression: z.string().max(1000) }).strict(),
  'debug.symbol': z.object({ pid, name: z.string().max(512) }).strict(),
} as const;

export type DebugMethod = keyof typeof DebugRequestParams;
export type BreakpointSpec = z.infer<typeof BreakpointSpecSchema>;

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface BreakpointState {
  id: number;
  spec: BreakpointSpec;
  verified: boolean;
  /** The line it sits on (the next line with code when the asked one has none). */
  line?: number;
  hits: number;
  message?: string;
}

export type StopReason =
  'breakpoint' | 'watchpoint' | 'step' | 'pause' | 'syscall' | 'page-fault' | 'task-exit' | 'fipc-send';

export interface StopEvent {
  reason: StopReason;
  pid: number;
  pc: number;
  function?: string;
  location?: SourceLocation;
  breakpoint?: number;
  detail?: string;
}

export interface StackFrame {
  pc: number;
  cfa: number;
  function?: string;
  location?: SourceLocation;
}

export interface Variable {
  name: string;
  type: string;
  value: string;
  numeric?: number;
  address?: number;
  children?: Variable[];
}

export interface RegisterSet {
  x: number[];
  pc: number;
  f: { raw: string; value: number }[];
  fflags: number;
  frm: number;
}

export interface DisassemblyLine {
  address: number;
  text: string;
  raw: number;
  location?: SourceLocation;
}

export interface MemoryBlock {
  address: number;
  /** Hex, two digits a byte; shorter than asked where the mapping ends. */
  hex: string;
}

export interface DebugStoppedEvent {
  event: 'debug.stopped';
  stop: StopEvent;
}
