/**
 * `cronbridge run-task --cluster C --task-definition F[:rev] [--count N] [--launch-type FARGATE]
 * [--subnets a,b] [--command "…"] [--wait]`: ECS RunTask, as `aws ecs run-task` would send it.
 * `--wait` polls DescribeTasks on the injected Clock until every task stopped, prints each
 * container's exit code and log stream, and exits 3 when an essential container failed (exit
 * code non-zero, or the task never ran it), so scripts can tell "the job failed" from "the
 * command could not run" (1) and "bad input" (2).
 */
import {
  type Failure,
  type NetworkConfiguration,
  RunTaskCommand,
  type Task,
  type TaskDefinition,
  type TaskOverride,
} from '@aws-sdk/client-ecs';
import type { Command } from 'commander';
import { z } from 'zod';

import { CliExit } from '../cli-io.ts';
import {
  type ClientCommandDeps,
  type ClientContext,
  type ClientOptions,
  isAbort,
  runClientCommand,
} from '../client/client-command.ts';
import {
  collectList,
  parseOptions,
  spanOption,
  withClientOptions,
} from '../client/client-options.ts';
import { describeTasksByArn, taskDefinitionCache } from '../client/ecs-queries.ts';
import {
  essentialFailure,
  familyRevision,
  lastSegment,
  logStreamsOf,
  TASK_COLUMNS,
  taskJson,
} from '../format/ecs-task.format.ts';
import { jsonDocument } from '../format/json.ts';
import { type Column, NONE, renderTable } from '../format/table.ts';

/** Exit code when the task ran and its essential container failed. */
export const EXIT_TASK_FAILED = 3;
/** Exit code when Ctrl-C ended `--wait` before the tasks stopped (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/**
 * Splits `--command` into argv. A JSON array is taken as is (`'["sh","-c","echo hi"]'`, as in
 * a task definition); anything else is split like a POSIX shell would split plain words, with
 * single quotes, double quotes and backslashes, but no expansions.
 */
export function splitCommand(text: string): { ok: true; argv: string[] } | { ok: false } {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) {
        return parsed.length > 0 ? { ok: true, argv: parsed } : { ok: false };
      }
    } catch {
      // not JSON: split as words below
    }
  }
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) {
        word += text[++i];
      } else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { ok: false };
  if (inWord) argv.push(word);
  return argv.length > 0 ? { ok: true, argv } : { ok: false };
}

const TASK_DEFINITION =
  /^(arn:[\w-]+:ecs:[\w-]+:\d{12}:task-definition\/)?[A-Za-z0-9_-]{1,255}(:\d+)?$/;

export const runTaskOptions = z
  .object({
    cluster: z.string().min(1, '--cluster must not be empty').default('default'),
    taskDefinition: z
      .string({ message: '--task-definition is required (family, family:revision or ARN)' })
      .regex(TASK_DEFINITION, '--task-definition must be family, family:revision or an ARN'),
    count: z.coerce
      .number({ message: '--count must be a whole number from 1 to 10' })
      .int('--count must be a whole number from 1 to 10')
      .min(1, '--count must be a whole number from 1 to 10')
      .max(10, '--count must be a whole number from 1 to 10')
      .default(1),
    launchType: z
      .enum(['FARGATE', 'EC2', 'EXTERNAL'], {
        message: '--launch-type must be FARGATE, EC2 or EXTERNAL',
      })
      .optional(),
    subnets: z.array(z.string()).optional(),
    securityGroups: z.array(z.string()).optional(),
    assignPublicIp: z
      .enum(['ENABLED', 'DISABLED'], { message: '--assign-public-ip must be ENABLED or DISABLED' })
      .optional(),
    command: z.string().optional(),
    container: z.string().min(1).optional(),
    wait: z.boolean().default(false),
    interval: spanOption('--interval', 100, '1s'),
  })
  .superRefine((o, ctx) => {
    if ((o.securityGroups || o.assignPublicIp) && !o.subnets?.length) {
      ctx.addIssue({
        code: 'custom',
        message: '--security-groups and --assign-public-ip need --subnets (awsvpcConfiguration)',
      });
    }
    if (o.container && o.command === undefined) {
      ctx.addIssue({ code: 'custom', message: '--container names where --command goes' });
    }
  });

export type RunTaskOptions = z.input<typeof runTaskOptions> & ClientOptions;

interface ContainerRow {
  task: Task;
  name: string;
  essential: boolean;
  exitCode: number | undefined;
  reason: string | undefined;
  stream: string | undefined;
}

const CONTAINER_COLUMNS: readonly Column<ContainerRow>[] = [
  { header: 'task', cell: (r) => lastSegment(r.task.taskArn) },
  { header: 'container', cell: (r) => r.name },
  { header: 'essential', cell: (r) => (r.essential ? 'yes' : 'no') },
  { header: 'exit', cell: (r) => (r.exitCode === undefined ? NONE : String(r.exitCode)) },
  {
    header: 'stop reason',
    cell: (r) => r.reason ?? r.task.stoppedReason ?? r.task.stopCode ?? NONE,
    maxWidth: 60,
  },
  { header: 'log stream', cell: (r) => r.stream ?? NONE },
];

function containerRows(task: Task, definition: TaskDefinition | undefined): ContainerRow[] {
  const streams = logStreamsOf(definition, task.taskArn ?? '');
  return (task.containers ?? []).map((c) => {
    const def = definition?.containerDefinitions?.find((d) => d.name === c.name);
    const log = streams.find((s) => s.container === c.name);
    return {
      task,
      name: c.name ?? NONE,
      essential: def?.essential !== false,
      exitCode: c.exitCode,
      reason: c.reason,
      stream: log ? `${log.group} ${log.stream}` : undefined,
    };
  });
}

function overridesFor(
  definition: TaskDefinition | undefined,
  options: z.output<typeof runTaskOptions>,
  argv: string[] | undefined,
): TaskOverride | undefined {
  if (!argv) return undefined;
  const containers = definition?.containerDefinitions ?? [];
  const name =
    options.container ??
    (containers.find((c) => c.essential !== false) ?? containers[0])?.name ??
    undefined;
  if (!name) return undefined;
  return { containerOverrides: [{ name, command: argv }] };
}

/** Polls until every task is STOPPED; resolves to the final descriptions. */
async function waitForStop(
  ctx: ClientContext,
  tasks: Task[],
  intervalMs: number,
  signal: AbortSignal,
): Promise<Task[]> {
  const arns = tasks.map((t) => t.taskArn ?? '');
  let latest = tasks;
  while (!latest.every((t) => t.lastStatus === 'STOPPED')) {
    await ctx.clock.sleep(intervalMs, signal);
    const found = await describeTasksByArn(ctx.clients.ecs, arns, signal);
    // A task purged meanwhile keeps its last known state rather than vanishing from the report.
    latest = latest.map((t) => found.get(t.taskArn ?? '') ?? t);
  }
  return latest;
}

function printFailures(ctx: ClientContext, failures: readonly Failure[]): void {
  for (const f of failures) {
    ctx.io.stderr(`failure: ${[f.arn, f.reason, f.detail].filter(Boolean).join(': ')}\n`);
  }
}

export async function runRunTask(
  rawOptions: RunTaskOptions,
  deps: ClientCommandDeps,
): Promise<void> {
  const options = parseOptions(deps.io, runTaskOptions, rawOptions);
  let argv: string[] | undefined;
  if (options.command !== undefined) {
    const split = splitCommand(options.command);
    if (!split.ok) {
      deps.io.stderr('--command: give words ("sh -c \'echo hi\'") or a JSON array of strings\n');
      throw new CliExit(2);
    }
    argv = split.argv;
  }
  await runClientCommand(deps, rawOptions, async (ctx) => {
    const definitionOf = taskDefinitionCache(ctx.clients.ecs);
    const needsDefinition = argv !== undefined || options.wait;
    const definition = needsDefinition ? await definitionOf(options.taskDefinition) : undefined;
    const networkConfiguration: NetworkConfiguration | undefined = options.subnets?.length
      ? {
          awsvpcConfiguration: {
            subnets: options.subnets,
            ...(options.securityGroups ? { securityGroups: options.securityGroups } : {}),
            ...(options.assignPublicIp ? { assignPublicIp: options.assignPublicIp } : {}),
          },
        }
      : undefined;
    const overrides = overridesFor(definition, options, argv);
    const out = await ctx.clients.ecs.send(
      new RunTaskCommand({
        cluster: options.cluster,
        taskDefinition: options.taskDefinition,
        count: options.count,
        ...(options.launchType ? { launchType: options.launchType } : {}),
        ...(networkConfiguration ? { networkConfiguration } : {}),
        ...(overrides ? { overrides } : {}),
      }),
    );
    const started = out.tasks ?? [];
    const failures = out.failures ?? [];
    printFailures(ctx, failures);
    if (!options.wait) {
      if (ctx.json) ctx.io.stdout(jsonDocument({ tasks: started.map(taskJson), failures }));
      else if (started.length > 0) ctx.io.stdout(renderTable(TASK_COLUMNS, started));
      if (started.length === 0) throw new CliExit(1);
      return;
    }
    if (started.length === 0) throw new CliExit(1);
    if (!ctx.json) {
      const names = started.map((t) => lastSegment(t.taskArn)).join(', ');
      ctx.io.stderr(
        `started ${familyRevision(started[0]?.taskDefinitionArn)}: ${names}; waiting for STOPPED…\n`,
      );
    }
    const signal = ctx.interrupt();
    let stopped: Task[];
    try {
      stopped = await waitForStop(ctx, started, options.interval, signal);
    } catch (error) {
      if (!isAbort(error, signal)) throw error;
      ctx.io.stderr(
        `stopped waiting; the tasks keep running: ${started.map((t) => t.taskArn).join(' ')}\n`,
      );
      throw new CliExit(EXIT_INTERRUPTED);
    }
    const definitions = await Promise.all(
      stopped.map((t) => (t.taskDefinitionArn ? definitionOf(t.taskDefinitionArn) : definition)),
    );
    const failed = stopped.filter((t, i) => essentialFailure(t, definitions[i]));
    if (ctx.json) {
      ctx.io.stdout(
        jsonDocument({
          tasks: stopped.map((t, i) => ({
            ...taskJson(t),
            failed: essentialFailure(t, definitions[i]),
            logStreams: logStreamsOf(definitions[i], t.taskArn ?? ''),
          })),
          failures,
        }),
      );
    } else {
      ctx.io.stdout(
        renderTable(
          CONTAINER_COLUMNS,
          stopped.flatMap((t, i) => containerRows(t, definitions[i])),
        ),
      );
    }
    if (failed.length > 0) {
      if (!ctx.json) {
        ctx.io.stderr(
          `essential container failed in ${failed.length} of ${stopped.length} task(s)\n`,
        );
      }
      throw new CliExit(EXIT_TASK_FAILED);
    }
  });
}

export function configureRunTaskCommand(program: Command, deps: ClientCommandDeps): void {
  withClientOptions(
    program
      .command('run-task')
      .description('Start ECS tasks from a task definition (RunTask); --wait for their exit codes')
      .option('--cluster <name>', 'cluster name or ARN', 'default')
      .option('--task-definition <family[:rev]>', 'family, family:revision or ARN (required)')
      .option('--count <N>', 'how many tasks (1-10)', '1')
      .option('--launch-type <type>', 'FARGATE, EC2 or EXTERNAL')
      .option('--subnets <ids>', 'awsvpc subnets, comma-separated', collectList)
      .option('--security-groups <ids>', 'awsvpc security groups, comma-separated', collectList)
      .option('--assign-public-ip <value>', 'ENABLED or DISABLED')
      .option('--command <command>', 'override the command: words, or a JSON array of strings')
      .option('--container <name>', 'container that gets --command (default: first essential)')
      .option('--wait', 'wait until the tasks stop; exit 3 if an essential container failed')
      .option('--interval <span>', 'how often --wait polls (default: 1s)'),
  ).action((options: RunTaskOptions) => runRunTask(options, deps));
}
