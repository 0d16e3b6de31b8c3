// Differential user-mode tests at -O0 on the interpreter (the -O2 builds run on the translator
// in diff.test.ts), so both engines are exercised; the full run (FUTURA_FULL=1) adds the
// translator here too.
import { diffSuite } from '../fixtures/diff/run';

diffSuite('-O0', 'interp');
if (process.env.FUTURA_FULL === '1') diffSuite('-O0', 'jit');
