// GCC builtin functions that freestanding code commonly calls. They are declared on first use
// with their real prototypes (so no implicit-declaration warning and correct argument
// conversions) and marked `builtin` for the code generator, which expands them inline or calls a
// support routine.

import type { Sym } from './ast';
import { T, ptrTo, withQuals, type Type } from './types';

const cvoidp = ptrTo(withQuals(T.void, { const: true }));
const ccharp = ptrTo(withQuals(T.char, { const: true }));
const voidp = ptrTo(T.void);

const SIGS: Record<string, [Type, Type[]]> = {
  __builtin_fabs: [T.double, [T.double]],
  __builtin_fabsf: [T.float, [T.float]],
  __builtin_sqrt: [T.double, [T.double]],
  __builtin_sqrtf: [T.float, [T.float]],
  __builtin_fmin: [T.double, [T.double, T.double]],
  __builtin_fmax: [T.double, [T.double, T.double]],
  __builtin_fminf: [T.float, [T.float, T.float]],
  __builtin_fmaxf: [T.float, [T.float, T.float]],
  __builtin_fma: [T.double, [T.double, T.double, T.double]],
  __builtin_fmaf: [T.float, [T.float, T.float, T.float]],
  __builtin_copysign: [T.double, [T.double, T.double]],
  __builtin_copysignf: [T.float, [T.float, T.float]],
  __builtin_nan: [T.double, [ccharp]],
  __builtin_nanf: [T.float, [ccharp]],
  __builtin_inf: [T.double, []],
  __builtin_inff: [T.float, []],
  __builtin_huge_val: [T.double, []],
  __builtin_huge_valf: [T.float, []],
  __builtin_isnan: [T.int, [T.double]],
  __builtin_isinf: [T.int, [T.double]],
  __builtin_bswap16: [T.ushort, [T.ushort]],
  __builtin_bswap32: [T.uint, [T.uint]],
  __builtin_bswap64: [T.ullong, [T.ullong]],
  __builtin_popcount: [T.int, [T.uint]],
  __builtin_popcountl: [T.int, [T.ulong]],
  __builtin_popcountll: [T.int, [T.ullong]],
  __builtin_clz: [T.int, [T.uint]],
  __builtin_clzl: [T.int, [T.ulong]],
  __builtin_clzll: [T.int, [T.ullong]],
  __builtin_ctz: [T.int, [T.uint]],
  __builtin_ctzl: [T.int, [T.ulong]],
  __builtin_ctzll: [T.int, [T.ullong]],
  __builtin_ffs: [T.int, [T.int]],
  __builtin_parity: [T.int, [T.uint]],
  __builtin_parityll: [T.int, [T.ullong]],
  __builtin_trap: [T.void, []],
  __builtin_unreachable: [T.void, []],
  __builtin_abort: [T.void, []],
  __builtin_memcpy: [voidp, [voidp, cvoidp, T.uint]],
  __builtin_memmove: [voidp, [voidp, cvoidp, T.uint]],
  __builtin_memset: [voidp, [voidp, T.int, T.uint]],
  __builtin_memcmp: [T.int, [cvoidp, cvoidp, T.uint]],
  __builtin_strlen: [T.uint, [ccharp]],
  __builtin_frame_address: [voidp, [T.uint]],
  __builtin_return_address: [voidp, [T.uint]],
};

const NORETURN = new Set(['__builtin_trap', '__builtin_unreachable', '__builtin_abort']);

export function builtinFunction(name: string, id: number): Sym | null {
  const sig = SIGS[name];
  if (!sig) return null;
  const [ret, params] = sig;
  return {
    name,
    type: {
      kind: 'func',
      ret,
      params: params.map((type) => ({ name: null, type })),
      variadic: false,
      noProto: false,
    },
    storage: 'extern',
    loc: { file: '<built-in>', line: 0, col: 0 },
    isLocal: false,
    isFunction: true,
    defined: false,
    linkName: name,
    builtin: true,
    noreturn: NORETURN.has(name),
    id,
  };
}
