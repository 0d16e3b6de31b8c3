/** What a subcommand reports back to `main`: the process exit code. */
export interface CliContext {
  exitCode: number;
}
