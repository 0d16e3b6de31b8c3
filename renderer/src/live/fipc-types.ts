// The FIPC view's contract beyond the channel table: who holds each channel, the kernel's recent
// messages and the remote peers. live/fipc-adapter.ts fills these from the session's snapshot.

/** A task's capability on a channel (rights bits: 1 send, 2 receive, 4 admin). */
export interface ChannelHolder {
  pid: number;
  rights: number;
}

export interface FipcMessageInfo {
  seq: number;
  /** Virtual milliseconds since boot. */
  time: number;
  channel: number;
  type: number;
  /** Payload bytes. */
  size: number;
  srcPid: number;
  /** The receiving task, or null when nobody else could read the channel. */
  dstPid: number | null;
  /** Display labels: "name (pid)", "kernel", or "pid N" for a task that is gone. */
  src: string;
  dst: string;
}

export interface RemoteChannelInfo {
  channelId: number;
  role: string;
  service: string | null;
  localChannel: number | null;
  /** Next sequence number to send, highest acked by the peer, highest delivered from it. */
  nextSeq: number;
  ackedSeq: number;
  deliveredSeq: number;
  /** Credits the peer granted us, and those we granted it. */
  peerCredits: number;
  ownCredits: number;
  inFlight: number;
  sent: number;
  received: number;
  retransmits: number;
  duplicates: number;
  error: string | null;
}

export interface RemotePeerInfo {
  node: string;
  peer: string;
  /** Frames dropped for any reason, and by reason (non-zero ones). */
  drops: number;
  dropReasons: Record<string, number>;
  crcErrors: number;
  /** Messages the control path refused (revoked, no right, quota). */
  refused: number;
  channels: RemoteChannelInfo[];
}
