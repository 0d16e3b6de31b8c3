export { FutMm, type FutMmOptions, type FaultAccess, type FaultResult } from './futmm';
export { VmaList, type Vma, type VmaKind, type VmaBacking } from './vma';
export { PageTable, kernelMegapages } from './pagetable';
export * from './pte';
