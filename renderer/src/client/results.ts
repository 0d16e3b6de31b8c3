// The result shapes of the methods the UI reads results from. The session returns `unknown`;
// these are what its handlers return today (core/host/session/session.ts).
import type { FileEntry, Method, ToolchainsResult } from '../../../core/protocol/messages';

export interface ResultMap {
  hello: { version: number; workspace: string | null };
  'workspace.open': { root: string };
  'workspace.list': FileEntry[];
  'file.read': { path: string; content: string };
  'build.toolchains': ToolchainsResult;
  'build.setToolchain': ToolchainsResult;
}

export type ResultOf<M extends Method> = M extends keyof ResultMap ? ResultMap[M] : unknown;
