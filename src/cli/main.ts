/**
 * The CLI's entry: registers one command per file in `commands/` and maps errors to exit codes.
 * Exit codes: 0 success, 1 unexpected failure, 2 invalid input (usage or a rejected value).
 */
import { Command, CommanderError } from 'commander';

import { type Clock, SystemClock } from '../platform/clock.ts';
import { CliExit, type CliIo } from './cli-io.ts';
import { configureScheduleCommand } from './commands/schedule-next.ts';

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export interface CliDeps {
  io: CliIo;
  clock: Clock;
}

export function buildProgram(deps: CliDeps): Command {
  const program = new Command('cronbridge')
    .description(
      'Self-hosted EventBridge schedules, ECS tasks on real containers, CloudWatch Logs.',
    )
    .exitOverride()
    .configureOutput({ writeOut: deps.io.stdout, writeErr: deps.io.stderr });
  configureScheduleCommand(program, deps);
  return program;
}

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code. */
export async function main(argv: string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const resolved: CliDeps = { io: deps.io ?? processIo, clock: deps.clock ?? new SystemClock() };
  const program = buildProgram(resolved);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    resolved.io.stderr(`cronbridge: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
