// The bundled sample userland (sample-userland/futura.json) through the build graph: built with
// GCC (oracle) and with futcc, booted from its image to the fsh prompt, a command run and the
// shell left. The cache is a shared temporary folder, so reruns only pay for what changed.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootImage } from '../../core/host/boot/boot';
import { runConsole } from '../../core/host/boot/console-run';
import { WorkspaceBuild } from '../../core/host/build/workspace-build';
import { BUNDLED_SAMPLE } from '../../core/host/paths';
import type { ToolchainName } from '../../core/toolchain/build/manifest';
import { oracleIt, RV_GCC } from '../support/oracle';

const ready = existsSync(join(BUNDLED_SAMPLE, 'futura.json'));
const cacheDir = join(tmpdir(), 'futura-test-build-cache');

async function bootToPrompt(toolchain: ToolchainName): Promise<void> {
  const ws = new WorkspaceBuild(BUNDLED_SAMPLE, { cacheDir });
  const r = await ws.build({ toolchain });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.image!.files.map((f) => f.path)).toEqual(
    expect.arrayContaining(['/sbin/init', '/bin/fsh', '/etc/init.conf']),
  );
  const out: Uint8Array[] = [];
  const booted = bootImage(r.image!, { kernel: { onOutput: (b) => out.push(b.slice()) } });
  if (typeof booted === 'string') throw new Error(booted);
  const end = await runConsole(
    booted,
    {
      input: (data, done) => {
        data(new TextEncoder().encode('echo sample-ok\nexit\n'));
        done();
      },
    },
    { lineAtATime: true, stopOnExitOf: 'fsh', maxInstructions: 2_000_000_000 },
  );
  const text = Buffer.concat(out).toString();
  expect(text).toMatch(/fsh:\/\$ echo sample-ok\nsample-ok\nfsh:\/\$ exit\n/);
  expect(end.end).toMatchObject({ kind: 'task-exited', name: 'fsh', status: 0 });
}

describe('sample userland', () => {
  if (!ready) {
    it.skip('sample-userland/futura.json is not written yet [skipped: sample not ready]', () => {});
    return;
  }
  oracleIt('builds with GCC and boots to the fsh prompt', [RV_GCC], () => bootToPrompt('gcc'), 300_000);
  it('builds with futcc and boots to the fsh prompt', () => bootToPrompt('futcc'), 300_000);
});
