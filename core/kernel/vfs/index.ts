export { Vfs, type VfsOptions } from './vfs';
export { Vnode, type VnodeType, type CharDriver, type UserMemory } from './vnode';
export * from './vnode';
export { OpenFile, dirEntries } from './file';
export { FdTable } from './fdtable';
export { Pipe, PIPE_CAPACITY } from './pipe';
export { encodeStat, statOf, STAT_SIZE, type StatInfo } from './stat';
export { encodeDirents, direntSize, type DirEntry } from './dirent';
export { nullDriver, zeroDriver, DEV_NULL, DEV_ZERO, DEV_CONSOLE, DEV_FB0 } from './devfs';
