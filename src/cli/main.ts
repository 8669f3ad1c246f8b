/**
 * The CLI's entry: registers one command per file in `commands/` and maps errors to exit codes.
 * Exit codes: 0 success, 1 unexpected failure, 2 invalid input (usage or a rejected value).
 */
import { Command, CommanderError } from 'commander';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Thrown by commands to end with a given exit code after printing their own message. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('cronbridge')
    .description('Self-hosted EventBridge schedules, ECS tasks on real containers, CloudWatch Logs.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.stderr(`cronbridge: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
