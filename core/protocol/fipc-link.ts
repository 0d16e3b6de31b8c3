// Linking the session's running kernel to another Futura node: `fipc.link` joins the node on a UDP
// port of 127.0.0.1 as a peer (encrypted link under this installation's keys), so the FIPC view
// shows it among the remote peers and the guest's tasks can look its services up; `fipc.unlink`
// leaves it. Plain data, shared by the session and the renderer.
import { z } from 'zod';

/** The port `futura fipc serve` listens on by default. */
export const DEFAULT_FIPC_NODE_PORT = 7411;

export const FipcLinkRequestParams = {
  'fipc.link': z
    .object({
      /** Only the loopback carrier exists: nodes on this machine. */
      host: z.literal('127.0.0.1').optional(),
      port: z.number().int().min(1).max(65535),
      /** How long to wait for the node's handshake (default 3000 ms). */
      timeoutMs: z.number().int().min(100).max(60_000).optional(),
    })
    .strict(),
  'fipc.unlink': z.object({}).strict(),
} as const;

export interface FipcLinkStatus {
  linked: boolean;
  /** This node's name and the peer's, as the snapshot's `remote` lists them; null when unlinked. */
  node: string | null;
  peer: string | null;
  host: string | null;
  port: number | null;
  /** For people: "linked to 127.0.0.1:7411", "not linked", … */
  message: string;
}
