// Helpers for writing the runtime library's assembly sources as TypeScript strings.

/** A global function in its own .text section (so the linker's map names it). */
export function fn(name: string, body: string): string {
  return `  .option nopic
  .section .text.${name},"ax",@progbits
  .globl ${name}
  .type ${name}, @function
  .p2align 1
${name}:
${body}  .size ${name}, .-${name}
`;
}
