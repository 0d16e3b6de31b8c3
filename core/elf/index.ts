// Public face of core/elf: the validating ELF32 reader and the machine-independent load image.
export { ElfError } from './error';
export { readElf, readString } from './reader';
export { findSymbol, loadImage } from './image';
export type { LoadImage, LoadSegment } from './image';
export type { ElfFile, ElfHeader, ElfSymbol, ProgramHeader, SectionHeader } from './types';
