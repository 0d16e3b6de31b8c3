// Differential user-mode tests at -O2 on the translator: each C program of tests/fixtures/diff
// runs under qemu-riscv32 and on our hart; stdout, stderr and the exit status must be identical.
// The full run (FUTURA_FULL=1) adds the interpreter.
import { diffSuite } from '../fixtures/diff/run';

diffSuite('-O2', 'jit');
if (process.env.FUTURA_FULL === '1') diffSuite('-O2', 'interp');
