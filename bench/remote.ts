// Remote FIPC round trips per second (issue 8): over the in-memory link and over UDP loopback, and
// between guest tasks on two kernels (bridges + in-memory link).
import {
  remoteKernelRoundTrips,
  remoteRoundTripsMemory,
  remoteRoundTripsUdp,
} from '../core/host/fipc/bench-remote';
import type { BenchSection } from './section';

export const remoteSection: BenchSection = {
  name: 'remote FIPC',
  async run(ctx) {
    const memCount = ctx.options.quick ? 2_000 : 200_000;
    const udpCount = ctx.options.quick ? 200 : 20_000;
    ctx.progress(`remote: ${memCount} round trips over the in-memory link`);
    remoteRoundTripsMemory(Math.min(memCount, 2_000)); // warm-up
    const memory = remoteRoundTripsMemory(memCount);
    ctx.progress(`remote: ${udpCount} round trips over UDP 127.0.0.1`);
    const udp = await remoteRoundTripsUdp(udpCount);
    const kernelCount = ctx.options.quick ? 50 : 1_000;
    ctx.progress(`remote: ${kernelCount} round trips between guest tasks on two kernels`);
    const kernel = remoteKernelRoundTrips(kernelCount);
    return {
      figures: {
        remote_roundtrips_per_s_memory: Math.round(memory),
        remote_roundtrips_per_s_udp: Math.round(udp),
        remote_kernel_roundtrips_per_s: Math.round(kernel),
      },
      rows: [
        ['round trips/s, in-memory link', Math.round(memory).toLocaleString('en-US')],
        ['round trips/s, UDP loopback', Math.round(udp).toLocaleString('en-US')],
        ['round trips/s, guest ping ↔ pong on two kernels', Math.round(kernel).toLocaleString('en-US')],
      ],
    };
  },
};
