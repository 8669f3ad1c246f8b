/**
 * `cronbridge history <rule> [--since …] [--until …] [--limit N]`: what a scheduled rule did,
 * slot by slot: nominal time, FIRED / MISSED / SKIPPED, lag, each target's invocation with its
 * attempts, the tasks they started with exit codes, and the tasks' log streams.
 *
 * Slots come from cronbridge's GetRuleHistory (oldest first); the tasks are joined through ECS
 * DescribeTasks, their streams through DescribeTaskDefinition. ECS forgets stopped tasks after
 * the retention time: for those the exit code is unknown and the stream is derived from the
 * rule target's task definition (ListTargetsByRule), which is right unless the target changed.
 */
import type { Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { Command } from 'commander';
import { z } from 'zod';

import type { HistoryInvocation, HistorySlot } from '../../api/services/cronbridge.api.ts';
import {
  type ClientCommandDeps,
  type ClientContext,
  type ClientOptions,
  runClientCommand,
} from '../client/client-command.ts';
import { parseOptions, usageError, withClientOptions } from '../client/client-options.ts';
import { describeTasksByArn, taskDefinitionCache } from '../client/ecs-queries.ts';
import {
  exitCodesCell,
  lastSegment,
  logStreamsOf,
  stopReasonCell,
} from '../format/ecs-task.format.ts';
import { jsonDocument } from '../format/json.ts';
import { type Column, listCell, NONE, renderTable } from '../format/table.ts';
import { formatDuration, formatTime, parseSince } from '../format/time.ts';

export const historyOptions = z.object({
  eventBus: z.string().min(1).optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  limit: z.coerce
    .number({ message: '--limit must be a whole number from 1 to 1000' })
    .int('--limit must be a whole number from 1 to 1000')
    .min(1, '--limit must be a whole number from 1 to 1000')
    .max(1000, '--limit must be a whole number from 1 to 1000')
    .default(20),
});

export type HistoryOptions = z.input<typeof historyOptions> & ClientOptions;

/**
 * Windows reaching back from the end of the range, widest last: the newest `limit` slots are
 * found without reading a frequent rule's whole past (rate(1 minute) fills the first window).
 */
const WINDOWS_MS = [3_600_000, 86_400_000, 7 * 86_400_000, 31 * 86_400_000, 366 * 86_400_000];

/** Every slot in `[fromMs, toMs)` (either side open when absent), all pages. */
async function slotsIn(
  ctx: ClientContext,
  rule: { Rule: string; EventBusName?: string },
  fromMs: number | undefined,
  toMs: number | undefined,
): Promise<{ ruleArn: string; slots: HistorySlot[] }> {
  const slots: HistorySlot[] = [];
  let ruleArn = '';
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.cronbridge.getRuleHistory({
      ...rule,
      ...(fromMs === undefined ? {} : { StartTime: fromMs / 1000 }),
      ...(toMs === undefined ? {} : { EndTime: toMs / 1000 }),
      ...(NextToken ? { NextToken } : {}),
    });
    ruleArn = page.RuleArn;
    slots.push(...page.Slots);
    NextToken = page.NextToken;
  } while (NextToken);
  return { ruleArn, slots };
}

/** The newest `limit` slots in the range, oldest first. */
export async function latestSlots(
  ctx: ClientContext,
  rule: { Rule: string; EventBusName?: string },
  range: { fromMs?: number; toMs?: number; limit: number },
): Promise<{ ruleArn: string; slots: HistorySlot[] }> {
  const end = range.toMs ?? ctx.clock.now();
  const newest = (found: { ruleArn: string; slots: HistorySlot[] }) => ({
    ruleArn: found.ruleArn,
    slots: found.slots.slice(-range.limit),
  });
  for (const width of WINDOWS_MS) {
    const start = end - width;
    if (range.fromMs !== undefined && start <= range.fromMs) break;
    const found = await slotsIn(ctx, rule, start, range.toMs);
    if (found.slots.length >= range.limit) return newest(found);
  }
  return newest(await slotsIn(ctx, rule, range.fromMs, range.toMs));
}

interface TaskInfo {
  taskArn: string;
  task: Task | undefined;
  streams: { container: string; group: string; stream: string }[];
}

/** Joins a slot page's task ARNs with ECS: descriptions and log streams. */
async function taskInfos(
  ctx: ClientContext,
  ruleArn: string,
  eventBus: string | undefined,
  slots: readonly HistorySlot[],
): Promise<Map<string, TaskInfo>> {
  const arns = slots.flatMap((s) => s.Invocations.flatMap((i) => i.TaskArns));
  const out = new Map<string, TaskInfo>();
  if (arns.length === 0) return out;
  const tasks = await describeTasksByArn(ctx.clients.ecs, arns);
  const definitionOf = taskDefinitionCache(ctx.clients.ecs);
  const targetDefinitions = await ruleTargetDefinitions(ctx, ruleArn, eventBus);
  const tolerant = (ref: string | undefined) =>
    ref ? definitionOf(ref).catch(() => undefined) : Promise.resolve(undefined);
  for (const slot of slots) {
    for (const inv of slot.Invocations) {
      for (const taskArn of inv.TaskArns) {
        const task = tasks.get(taskArn);
        const definition: TaskDefinition | undefined = await tolerant(
          task?.taskDefinitionArn ?? targetDefinitions.get(inv.TargetId),
        );
        out.set(taskArn, { taskArn, task, streams: logStreamsOf(definition, taskArn) });
      }
    }
  }
  return out;
}

/** Target id → task definition of the rule's ECS targets now; empty if that cannot be read. */
async function ruleTargetDefinitions(
  ctx: ClientContext,
  ruleArn: string,
  eventBus: string | undefined,
): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  try {
    let NextToken: string | undefined;
    do {
      const page = await ctx.clients.events.send(
        new ListTargetsByRuleCommand({
          Rule: lastSegment(ruleArn),
          ...(eventBus ? { EventBusName: eventBus } : {}),
          NextToken,
        }),
      );
      for (const t of page.Targets ?? []) {
        const td = t.EcsParameters?.TaskDefinitionArn;
        if (t.Id && td) map.set(t.Id, td);
      }
      NextToken = page.NextToken;
    } while (NextToken);
  } catch {
    // A deleted rule has no targets to read; history still prints, without derived streams.
  }
  return map;
}

/** One table row: a slot with one of its invocations (or none, for missed/skipped slots). */
interface Row {
  slot: HistorySlot;
  invocation: HistoryInvocation | undefined;
  tasks: TaskInfo[];
}

function lastError(inv: HistoryInvocation | undefined): string | undefined {
  const failed = inv?.Attempts.filter((a) => a.Outcome === 'FAILED').at(-1);
  if (!failed) return undefined;
  return [failed.ErrorCode, failed.ErrorMessage].filter(Boolean).join(': ');
}

const COLUMNS: readonly Column<Row>[] = [
  { header: 'nominal', cell: (r) => formatTime(r.slot.NominalTime * 1000) },
  {
    header: 'status',
    cell: (r) => (r.slot.SlotCount > 1 ? `${r.slot.Status} x${r.slot.SlotCount}` : r.slot.Status),
  },
  {
    header: 'lag',
    cell: (r) => (r.slot.LagMillis === undefined ? NONE : formatDuration(r.slot.LagMillis)),
  },
  { header: 'target', cell: (r) => r.invocation?.TargetId ?? NONE },
  { header: 'delivery', cell: (r) => r.invocation?.Status ?? NONE },
  { header: 'attempts', cell: (r) => String(r.invocation?.Attempts.length ?? 0), align: 'right' },
  { header: 'tasks', cell: (r) => listCell(r.tasks.map((t) => lastSegment(t.taskArn))) },
  {
    header: 'exit',
    cell: (r) => listCell(r.tasks.map((t) => (t.task ? exitCodesCell(t.task) : '?'))),
  },
  {
    header: 'log streams',
    cell: (r) => listCell(r.tasks.flatMap((t) => t.streams.map((s) => s.stream))),
  },
  {
    header: 'note',
    cell: (r) => {
      const notes = [r.slot.Reason, lastError(r.invocation)];
      if (r.slot.SlotCount > 1) notes.push(`from ${formatTime(r.slot.FirstNominalTime * 1000)}`);
      return notes.filter(Boolean).join('; ') || NONE;
    },
    maxWidth: 60,
  },
];

function rowsOf(slots: readonly HistorySlot[], infos: Map<string, TaskInfo>): Row[] {
  return slots.flatMap((slot): Row[] => {
    const tasksOf = (inv: HistoryInvocation) =>
      inv.TaskArns.map((arn) => infos.get(arn) ?? { taskArn: arn, task: undefined, streams: [] });
    if (slot.Invocations.length === 0) return [{ slot, invocation: undefined, tasks: [] }];
    return slot.Invocations.map((invocation) => ({ slot, invocation, tasks: tasksOf(invocation) }));
  });
}

const iso = (seconds: number | undefined) =>
  seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();

function slotJson(slot: HistorySlot, infos: Map<string, TaskInfo>) {
  return {
    nominalTime: iso(slot.NominalTime),
    firstNominalTime: iso(slot.FirstNominalTime),
    slotCount: slot.SlotCount,
    status: slot.Status,
    firedTime: iso(slot.FiredTime),
    lagMs: slot.LagMillis,
    reason: slot.Reason,
    invocations: slot.Invocations.map((inv) => ({
      targetId: inv.TargetId,
      targetArn: inv.TargetArn,
      status: inv.Status,
      nextAttemptTime: iso(inv.NextAttemptTime),
      attempts: inv.Attempts.map((a) => ({
        attempt: a.AttemptNumber,
        startTime: iso(a.StartTime),
        endTime: iso(a.EndTime),
        outcome: a.Outcome,
        retryable: a.Retryable,
        errorCode: a.ErrorCode,
        errorMessage: a.ErrorMessage,
        taskArns: a.TaskArns,
      })),
      tasks: inv.TaskArns.map((arn) => {
        const info = infos.get(arn);
        return {
          taskArn: arn,
          known: info?.task !== undefined,
          lastStatus: info?.task?.lastStatus,
          stopReason: info?.task ? stopReasonCell(info.task) : undefined,
          exitCodes: info?.task?.containers?.map((c) => ({
            container: c.name,
            exitCode: c.exitCode,
          })),
          logStreams: info?.streams ?? [],
        };
      }),
    })),
  };
}

export async function runHistory(
  rule: string,
  rawOptions: HistoryOptions,
  deps: ClientCommandDeps,
): Promise<void> {
  const options = parseOptions(deps.io, historyOptions, rawOptions);
  const now = deps.clock.now();
  const bound = (text: string | undefined, flag: string) => {
    if (text === undefined) return undefined;
    const parsed = parseSince(text, now);
    if (!parsed.ok) usageError(deps.io, parsed.message.replace('--since', flag));
    return parsed.ms;
  };
  const fromMs = bound(options.since, '--since');
  const toMs = bound(options.until, '--until');
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    usageError(deps.io, '--since must be before --until');
  }
  await runClientCommand(deps, rawOptions, async (ctx) => {
    const ruleRef = { Rule: rule, ...(options.eventBus ? { EventBusName: options.eventBus } : {}) };
    const { ruleArn, slots } = await latestSlots(ctx, ruleRef, {
      ...(fromMs === undefined ? {} : { fromMs }),
      ...(toMs === undefined ? {} : { toMs }),
      limit: options.limit,
    });
    const infos = await taskInfos(ctx, ruleArn, options.eventBus, slots);
    if (ctx.json) {
      ctx.io.stdout(jsonDocument({ ruleArn, slots: slots.map((s) => slotJson(s, infos)) }));
      return;
    }
    if (slots.length === 0) {
      ctx.io.stdout(`No slots recorded for ${ruleArn} in that range.\n`);
      return;
    }
    ctx.io.stdout(renderTable(COLUMNS, rowsOf(slots, infos)));
  });
}

export function configureHistoryCommand(program: Command, deps: ClientCommandDeps): void {
  withClientOptions(
    program
      .command('history')
      .description(
        "A rule's slots: fired or missed, invocation attempts, tasks, exit codes, log streams",
      )
      .argument('<rule>', 'rule name (or ARN); history outlives a deleted rule')
      .option('--event-bus <name>', 'event bus of the rule (default: default)')
      .option('--since <when>', 'from this long ago (2h, 7d) or this ISO-8601 instant')
      .option('--until <when>', 'up to (excluding) this long ago or this instant')
      .option('-n, --limit <N>', 'show the newest N slots in the range', '20'),
  ).action((rule: string, options: HistoryOptions) => runHistory(rule, options, deps));
}
