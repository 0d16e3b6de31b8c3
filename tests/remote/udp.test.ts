import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { UdpCarrier } from '../../core/host/fipc/udp-carrier';
import { RemoteEndpoint } from '../../core/kernel/ipc/remote/endpoint';
import { encodeFrame, type FipcMessage } from '../../core/kernel/ipc/remote/frame';

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('UDP carrier on 127.0.0.1', () => {
  it('carries a message and its reply between two endpoints (the seed fipc_remote_loopback)', async () => {
    const a = await UdpCarrier.open();
    const b = await UdpCarrier.open({ peer: a.local });
    a.peer = b.local;
    const ea = new RemoteEndpoint(a);
    const eb = new RemoteEndpoint(b);
    const replies: string[] = [];
    const ba = eb.bind(7n, (m) => {
      expect(dec.decode(m.data)).toBe('hello-remote-b');
      expect(m.type).toBe(0x42);
      ba.send({
        type: 0x43,
        timestamp: 0,
        srcPid: 2,
        dstPid: 1,
        capability: 0xf1c0f1c0,
        data: enc.encode('reply-from-b'),
      });
    });
    const ab = ea.bind(7n, (m) => replies.push(dec.decode(m.data)));
    const hello: FipcMessage = {
      type: 0x42,
      timestamp: 0,
      srcPid: 1,
      dstPid: 2,
      capability: 0xf1c0f1c0,
      data: enc.encode('hello-remote-b'),
    };
    ab.send(hello);
    const start = Date.now();
    while (replies.length === 0 && Date.now() - start < 5000) {
      await new Promise((r) => setTimeout(r, 5));
      ea.tick(Date.now() - start);
      eb.tick(Date.now() - start);
    }
    expect(replies).toEqual(['reply-from-b']);
    a.close();
    b.close();
  });

  it('ignores datagrams from anyone but the peer', async () => {
    const a = await UdpCarrier.open();
    const b = await UdpCarrier.open({ peer: a.local });
    a.peer = b.local;
    const got: Uint8Array[] = [];
    a.onDatagram((d) => got.push(d));
    const intruder = createSocket('udp4');
    const frame = encodeFrame({ flags: 0, seq: 1, credits: 1, channelId: 7n, message: null });
    await new Promise<void>((r) => intruder.send(frame, a.local.port, '127.0.0.1', () => r()));
    b.send(frame);
    const start = Date.now();
    while ((got.length < 1 || a.foreign < 1) && Date.now() - start < 3000)
      await new Promise((r) => setTimeout(r, 5));
    expect(got.length).toBe(1);
    expect(a.foreign).toBe(1);
    intruder.close();
    a.close();
    b.close();
  });
});
