// The back half of futcc in one import: assembler, object files, linker and archives.
export { assemble, assembleToElf, type AssembleOptions, type AssembleResult } from './assembler';
export { formatDiagnostic, type Diagnostic } from './diag';
export { readObject, ObjFormatError } from '../obj/reader';
export { writeObject } from '../obj/writer';
export type { ObjectModel, ObjReloc, ObjSection, ObjSymbol } from '../obj/types';
export { link, type LinkInput, type LinkOptions, type LinkResult } from '../link/linker';
export { decodeLineTable, type LineRow } from '../link/lines';
export { isArchive, readArchive, writeArchive, type Archive, type ArMember } from '../ar/archive';
