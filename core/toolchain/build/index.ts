// The userland build: manifest, incremental graph, toolchain contract and boot image (pure).
export { buildUserland, type BuildOptions } from './graph';
export { parseManifest, MANIFEST_NAME, TOOLCHAINS, type Manifest, type ToolchainName } from './manifest';
export { futccToolchain, type FutccToolchainOptions } from './futcc';
export { MemoryCache } from './memory-cache';
export { sha256Hex, Sha256 } from './sha256';
export type * from './types';
