// The installer configuration: loads electron-builder.yml and checks what packaging relies on.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/host/paths';

// js-yaml ships with electron-builder; it has no bundled types, so give it the one we use.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  icon: string;
  directories: { output: string; buildResources: string };
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}

const config = yaml.load(readFileSync(join(PROJECT_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
};

describe('electron-builder.yml', () => {
  it('names the app', () => {
    expect(config.appId).toBe('dev.futura.studio');
    expect(config.productName).toBe('Futura Studio');
  });

  it("passes electron-builder's own schema validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator does reject mistakes (so the pass above means something).
    await expect(
      validateConfiguration({ ...config, linux: { targett: ['AppImage'] } }, new DebugLogger(false)),
    ).rejects.toThrow();
  });

  it('targets Linux (AppImage, deb), Windows (nsis) and macOS (dmg)', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('has an icon that exists, is a 512×512 PNG and is small', () => {
    const icon = join(PROJECT_ROOT, config.icon);
    expect(existsSync(icon)).toBe(true);
    const png = readFileSync(icon);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    expect(statSync(icon).size).toBeLessThan(200 * 1024);
  });

  it('packages the built app and what the main process loads at run time', () => {
    expect(config.files).toContain('dist/**');
    expect(config.files).toContain('package.json');
    expect(config.files).toContain('!**/node_modules/**');
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(config.asarUnpack).toContain('dist/electron/session-worker.cjs');
    expect(config.extraResources).toContainEqual({ from: 'sample-userland', to: 'sample-userland' });
    expect(config.directories.output).toBe('release');
  });

  it('is built by npm run dist', () => {
    expect(pkg.scripts.dist).toContain('electron-builder --config electron-builder.yml');
    expect(pkg.scripts.dist).toContain('build-renderer.mjs');
    expect(pkg.scripts.dist).toContain('build-electron.mjs');
  });
});
