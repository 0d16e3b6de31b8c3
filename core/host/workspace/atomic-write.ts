// Atomic file replacement: write a temporary file beside the target, fsync it, rename it over the
// target, then fsync the directory. A crash or kill at any point leaves either the old or the new
// content, never a mix or an empty file.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const fd = openSync(tmp, 'wx', mode);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file may already be gone; the original is untouched either way
    }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some platforms (Windows) cannot fsync a directory; the rename is still atomic there
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
