// The IDE's GDB stub switch: `machine.gdb` turns the GDB remote stub on (on a port of 127.0.0.1)
// or off for the running machine and the boots that follow, and `gdb.status` events say whether it
// waits for a debugger or one is connected. Plain data, shared by the session and the renderer.
import { z } from 'zod';

/** The port the IDE offers by default (OpenOCD's and QEMU users' habit). */
export const DEFAULT_GDB_PORT = 3333;

export const GdbRequestParams = {
  'machine.gdb': z
    .object({
      enabled: z.boolean(),
      /** 0: any free port. Default 3333. */
      port: z.number().int().min(0).max(65535).optional(),
    })
    .strict(),
} as const;

export interface GdbStubStatus {
  enabled: boolean;
  /** The port actually bound, while enabled. */
  port: number | null;
  connected: boolean;
  /** For people: "waiting for gdb on 127.0.0.1:3333", "gdb connected from 127.0.0.1:40312", … */
  message: string;
}

export interface GdbStatusEvent {
  event: 'gdb.status';
  status: GdbStubStatus;
}
