/**
 * `cronbridge tasks [--cluster C] [--status RUNNING|STOPPED] [--watch]`: the ECS tasks of one or
 * every cluster (ListClusters, ListTasks, DescribeTasks), both statuses unless one is asked for.
 * `--watch` prints the table once, then, on every interval of the injected Clock, the rows of
 * tasks that appeared or changed, until Ctrl-C (like `kubectl get -w`, so output only appends).
 */
import type { Task } from '@aws-sdk/client-ecs';
import type { Command } from 'commander';
import { z } from 'zod';

import {
  type ClientCommandDeps,
  type ClientOptions,
  isAbort,
  runClientCommand,
} from '../client/client-command.ts';
import { parseOptions, spanOption, withClientOptions } from '../client/client-options.ts';
import { listTasks, TASK_STATUSES } from '../client/ecs-queries.ts';
import { exitCodesCell, TASK_COLUMNS, taskJson } from '../format/ecs-task.format.ts';
import { jsonDocument, jsonLine } from '../format/json.ts';
import { AppendingTable, renderTable } from '../format/table.ts';

export const tasksOptions = z.object({
  cluster: z.string().min(1, '--cluster must not be empty').optional(),
  status: z.enum(TASK_STATUSES, { message: '--status must be RUNNING or STOPPED' }).optional(),
  watch: z.boolean().default(false),
  interval: spanOption('--interval', 100, '2s'),
});

export type TasksOptions = z.input<typeof tasksOptions> & ClientOptions;

/** What makes a watched row worth printing again. */
function fingerprint(task: Task): string {
  return [task.lastStatus, task.desiredStatus, exitCodesCell(task), task.stoppedReason].join('|');
}

export async function runTasks(rawOptions: TasksOptions, deps: ClientCommandDeps): Promise<void> {
  const options = parseOptions(deps.io, tasksOptions, rawOptions);
  await runClientCommand(deps, rawOptions, async (ctx) => {
    const query = {
      ...(options.cluster ? { cluster: options.cluster } : {}),
      statuses: options.status ? [options.status] : TASK_STATUSES,
    };
    const tasks = await listTasks(ctx.clients.ecs, query);
    if (!options.watch) {
      if (ctx.json) ctx.io.stdout(jsonDocument({ tasks: tasks.map(taskJson) }));
      else ctx.io.stdout(tasks.length === 0 ? 'No tasks.\n' : renderTable(TASK_COLUMNS, tasks));
      return;
    }

    // Watching: the output only ever grows (one JSON line or table row per new state).
    const table = new AppendingTable(TASK_COLUMNS);
    const print = (rows: readonly Task[]) => {
      if (ctx.json) for (const t of rows) ctx.io.stdout(jsonLine(taskJson(t)));
      else ctx.io.stdout(table.render(rows));
    };
    if (tasks.length === 0 && !ctx.json) ctx.io.stdout('No tasks yet; watching…\n');
    print(tasks);
    const seen = new Map(tasks.map((t) => [t.taskArn, fingerprint(t)]));
    const signal = ctx.interrupt();
    for (;;) {
      try {
        await ctx.clock.sleep(options.interval, signal);
        const current = await listTasks(ctx.clients.ecs, query, signal);
        const changed = current.filter((t) => seen.get(t.taskArn) !== fingerprint(t));
        for (const t of changed) seen.set(t.taskArn, fingerprint(t));
        print(changed);
      } catch (error) {
        if (isAbort(error, signal)) return;
        throw error;
      }
    }
  });
}

export function configureTasksCommand(program: Command, deps: ClientCommandDeps): void {
  withClientOptions(
    program
      .command('tasks')
      .description('List ECS tasks: id, family:revision, status, times, exit codes, stop reason')
      .option('--cluster <name>', 'only this cluster (default: every cluster)')
      .option('--status <status>', 'RUNNING or STOPPED (default: both)')
      .option('-w, --watch', 'keep printing tasks that appear or change, until Ctrl-C')
      .option('--interval <span>', 'how often --watch refreshes (default: 2s)'),
  ).action((options: TasksOptions) => runTasks(options, deps));
}
