export { parseExecutable, loadInto, type LoadedElf, type LoadFailure } from './elf';
export { buildInitialStack, ARG_MAX, type InitialStack } from './stack';
export { createProcessImage, isLoadFailure, type ProcessImage } from './exec';
