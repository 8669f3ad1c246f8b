/**
 * The CLI's entry: registers one command per file in `commands/` and maps errors to exit codes.
 * Exit codes: 0 success, 1 unexpected failure, 2 invalid input (usage or a rejected value),
 * 3 `run-task --wait`: an essential container failed, 130 interrupted while waiting.
 */
import { Command, CommanderError } from 'commander';

import { type Clock, SystemClock } from '../platform/clock.ts';
import { CliExit, type CliIo } from './cli-io.ts';
import { configureDlqCommand } from './commands/dlq.ts';
import { configureHistoryCommand } from './commands/history.ts';
import { configureLogsCommand } from './commands/logs-tail.ts';
import { configureRulesCommand } from './commands/rules.ts';
import { configureRunTaskCommand } from './commands/run-task.ts';
import { configureScheduleCommand } from './commands/schedule-next.ts';
import { configureTasksCommand } from './commands/tasks.ts';
import { configureTerraformCommand } from './commands/terraform.ts';
import { configureUpCommand } from './commands/up.ts';

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export interface CliDeps {
  io: CliIo;
  clock: Clock;
  /** Environment the client commands read (CRONBRIDGE_ENDPOINT, …). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Ends `--watch`/`--follow`/`--wait` as Ctrl-C would; SIGINT does when absent. */
  interrupt?: AbortSignal;
}

export function buildProgram(deps: CliDeps): Command {
  const program = new Command('cronbridge')
    .description(
      'Self-hosted EventBridge schedules, ECS tasks on real containers, CloudWatch Logs.',
    )
    // Lets `terraform` pass its own flags through (`passThroughOptions`); the root has no options.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: deps.io.stdout, writeErr: deps.io.stderr });
  configureScheduleCommand(program, deps);
  // The server itself.
  configureUpCommand(program, deps);
  // Clients of a running server (`cronbridge up`), through the AWS SDK and cronbridge's own API.
  configureRulesCommand(program, deps);
  configureTasksCommand(program, deps);
  configureLogsCommand(program, deps);
  configureRunTaskCommand(program, deps);
  configureHistoryCommand(program, deps);
  configureDlqCommand(program, deps);
  // Infrastructure as code: the user's terraform, pointed at a running server.
  configureTerraformCommand(program, deps);
  return program;
}

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code. */
export async function main(argv: string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const resolved: CliDeps = {
    ...deps,
    io: deps.io ?? processIo,
    clock: deps.clock ?? new SystemClock(),
    env: deps.env ?? process.env,
  };
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
