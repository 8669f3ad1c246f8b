/**
 * `cronbridge logs tail <group> [--stream-prefix P] [--since 10m] [--follow]`: a log group's
 * events through FilterLogEvents, one line each (`time stream message`), like `aws logs tail`.
 *
 * `--follow` polls on the injected Clock. Each poll asks again from a little before the newest
 * event seen (`LOOKBACK_MS`) and skips event ids already printed: an event stamped before the
 * newest one can still arrive later (containers write, the awslogs writer flushes in batches),
 * and this catches it without ever printing an event twice.
 */
import { type FilteredLogEvent, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Command } from 'commander';
import { z } from 'zod';

import {
  type ClientCommandDeps,
  type ClientContext,
  type ClientOptions,
  isAbort,
  runClientCommand,
} from '../client/client-command.ts';
import {
  parseOptions,
  spanOption,
  usageError,
  withClientOptions,
} from '../client/client-options.ts';
import { jsonDocument, jsonLine } from '../format/json.ts';
import { formatTimeMs, parseSince } from '../format/time.ts';

/** How far before the newest event each `--follow` poll looks again for late arrivals. */
export const LOOKBACK_MS = 60_000;

export const logsTailOptions = z.object({
  streamPrefix: z.string().min(1, '--stream-prefix must not be empty').optional(),
  since: z.string().default('10m'),
  follow: z.boolean().default(false),
  filterPattern: z.string().optional(),
  interval: spanOption('--interval', 100, '1s'),
});

export type LogsTailOptions = z.input<typeof logsTailOptions> & ClientOptions;

/** The events already printed, forgotten once they fall behind the look-back window. */
export class SeenEvents {
  readonly #ids = new Map<string, number>();
  #newest = -Infinity;

  /** True the first time an event id is offered. */
  add(event: FilteredLogEvent): boolean {
    const id = event.eventId ?? `${event.logStreamName}/${event.timestamp}/${event.message}`;
    if (this.#ids.has(id)) return false;
    const ts = event.timestamp ?? 0;
    this.#ids.set(id, ts);
    this.#newest = Math.max(this.#newest, ts);
    return true;
  }

  /** Where the next poll starts: a window before the newest event, never before `floorMs`. */
  nextStart(floorMs: number): number {
    return Number.isFinite(this.#newest) ? Math.max(floorMs, this.#newest - LOOKBACK_MS) : floorMs;
  }

  /** Drops ids older than the next poll can return. */
  prune(startMs: number): void {
    for (const [id, ts] of this.#ids) if (ts < startMs) this.#ids.delete(id);
  }

  get size(): number {
    return this.#ids.size;
  }
}

/** `2026-07-01T10:00:00.123Z ecs/job/0123… message` */
export function formatLogLine(event: FilteredLogEvent): string {
  const message = (event.message ?? '').replace(/\r?\n$/, '');
  return `${formatTimeMs(event.timestamp)} ${event.logStreamName ?? '-'} ${message}\n`;
}

function eventJson(event: FilteredLogEvent) {
  return {
    timestamp: formatTimeMs(event.timestamp),
    logStreamName: event.logStreamName,
    message: event.message,
    eventId: event.eventId,
    ingestionTime: formatTimeMs(event.ingestionTime),
  };
}

async function fetchEvents(
  ctx: ClientContext,
  query: { group: string; streamPrefix?: string; filterPattern?: string; startMs: number },
  signal?: AbortSignal,
): Promise<FilteredLogEvent[]> {
  const events: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.clients.logs.send(
      new FilterLogEventsCommand({
        logGroupName: query.group,
        ...(query.streamPrefix ? { logStreamNamePrefix: query.streamPrefix } : {}),
        ...(query.filterPattern ? { filterPattern: query.filterPattern } : {}),
        startTime: query.startMs,
        nextToken,
      }),
      { abortSignal: signal },
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export async function runLogsTail(
  group: string,
  rawOptions: LogsTailOptions,
  deps: ClientCommandDeps,
): Promise<void> {
  const options = parseOptions(deps.io, logsTailOptions, rawOptions);
  const since = parseSince(options.since, deps.clock.now());
  if (!since.ok) usageError(deps.io, since.message);
  await runClientCommand(deps, rawOptions, async (ctx) => {
    const query = {
      group,
      ...(options.streamPrefix ? { streamPrefix: options.streamPrefix } : {}),
      ...(options.filterPattern ? { filterPattern: options.filterPattern } : {}),
    };
    const seen = new SeenEvents();
    const first = await fetchEvents(ctx, { ...query, startMs: since.ms });
    for (const event of first) seen.add(event);
    if (ctx.json && !options.follow) {
      ctx.io.stdout(jsonDocument({ events: first.map(eventJson) }));
      return;
    }
    const emit = (event: FilteredLogEvent) =>
      ctx.io.stdout(ctx.json ? jsonLine(eventJson(event)) : formatLogLine(event));
    first.forEach(emit);
    if (!options.follow) return;

    const signal = ctx.interrupt();
    for (;;) {
      try {
        await ctx.clock.sleep(options.interval, signal);
        const startMs = seen.nextStart(since.ms);
        seen.prune(startMs);
        const events = await fetchEvents(ctx, { ...query, startMs }, signal);
        for (const event of events) if (seen.add(event)) emit(event);
      } catch (error) {
        if (isAbort(error, signal)) return;
        throw error;
      }
    }
  });
}

export function configureLogsCommand(program: Command, deps: ClientCommandDeps): void {
  const logs = program.command('logs').description('Read CloudWatch Logs log groups');
  withClientOptions(
    logs
      .command('tail')
      .description('Print the events of a log group (FilterLogEvents), optionally following it')
      .argument('<group>', 'log group name, e.g. /ecs/my-job')
      .option('--stream-prefix <prefix>', 'only streams whose name starts with this')
      .option(
        '--since <when>',
        'start this long ago (10m, 2h, 1d) or at an ISO-8601 instant',
        '10m',
      )
      .option('-f, --follow', 'keep printing new events until Ctrl-C')
      .option('--filter-pattern <pattern>', 'CloudWatch Logs filter pattern')
      .option('--interval <span>', 'how often --follow polls (default: 1s)'),
  ).action((group: string, options: LogsTailOptions) => runLogsTail(group, options, deps));
}
