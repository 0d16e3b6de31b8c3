// The initial user stack (ABI.md): sp → argc, argv[0..argc-1], NULL, envp[...], NULL,
// auxv pairs (AT_PAGESZ 4096, AT_NULL 0); the strings sit above, just under STACK_TOP; sp is
// 16-byte aligned as the psABI requires.

import { AT_NULL, AT_PAGESZ, PAGE_SIZE, STACK_SIZE, STACK_TOP } from '../abi';
import { E2BIG, EFAULT } from '../errno';
import type { FutMm } from '../mm';
import { utf8Encode } from '../../util/utf8';

/** Most of the stack may hold arguments, leaving room for the program to run. */
export const ARG_MAX = STACK_SIZE / 2;

export interface InitialStack {
  sp: number;
  argc: number;
  argv: number;
  envp: number;
}

export function buildInitialStack(
  mm: FutMm,
  argv: readonly string[],
  envp: readonly string[],
): InitialStack | number {
  const strings = [...argv, ...envp].map((s) => utf8Encode(s));
  const strBytes = strings.reduce((n, s) => n + s.length + 1, 0);
  const vecWords = 1 + argv.length + 1 + envp.length + 1 + 4;
  if (strBytes + vecWords * 4 + 16 > ARG_MAX) return -E2BIG;
  const blob = new Uint8Array(strBytes);
  const ptrs: number[] = [];
  const strBase = STACK_TOP - 16 - strBytes; // 16 bytes of slack above the strings
  let o = 0;
  for (const s of strings) {
    ptrs.push(strBase + o);
    blob.set(s, o);
    o += s.length + 1;
  }
  const sp = Math.floor((strBase - vecWords * 4) / 16) * 16;
  const vec = new Uint32Array(vecWords);
  let w = 0;
  vec[w++] = argv.length;
  for (let i = 0; i < argv.length; i++) vec[w++] = ptrs[i]!;
  vec[w++] = 0;
  for (let i = 0; i < envp.length; i++) vec[w++] = ptrs[argv.length + i]!;
  vec[w++] = 0;
  vec[w++] = AT_PAGESZ;
  vec[w++] = PAGE_SIZE;
  vec[w++] = AT_NULL;
  vec[w++] = 0;
  const vecBytes = new Uint8Array(vec.buffer);
  if (mm.copyOut(strBase, blob) < 0 || mm.copyOut(sp, vecBytes) < 0) return -EFAULT;
  return { sp, argc: argv.length, argv: sp + 4, envp: sp + 4 + (argv.length + 1) * 4 };
}
