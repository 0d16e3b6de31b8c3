// A minimal /dev/fb0: FBIOGET_INFO and MAP_SHARED mmap of the board's framebuffer memory.

import { FBIOGET_INFO } from '../abi';
import { EINVAL, ENOTTY } from '../errno';
import type { CharDriver, UserMemory } from '../vfs';

export interface FbGeometry {
  readonly base: number;
  readonly width: number;
  readonly height: number;
  readonly pitch: number;
}

export function fbDriver(fb: FbGeometry): CharDriver {
  return {
    name: 'fb0',
    read: () => -EINVAL,
    write: () => -EINVAL,
    ioctl(_f, req: number, arg: number, user: UserMemory): number {
      if (req !== FBIOGET_INFO) return -ENOTTY;
      const info = new Uint8Array(new Uint32Array([fb.width, fb.height, fb.pitch, 32, 0]).buffer);
      return user.copyOut(arg, info);
    },
    mmap(_f, offset: number, len: number): number {
      if (offset + len > fb.pitch * fb.height) return -EINVAL;
      return fb.base + offset;
    },
  };
}
