/**
 * `cronbridge schedule next "<expression>"`: previews when a schedule expression fires, so users
 * can check an expression before they deploy it. Pure schedule maths; `--after` defaults to the
 * injected clock's now.
 */
import type { Command } from 'commander';
import { z } from 'zod';

import type { Clock } from '../../platform/clock.ts';
import {
  isValidTimezone,
  nextFires,
  parseScheduleExpression,
  ScheduleExpressionError,
  type ScheduleDialect,
} from '../../expressions/index.ts';
import { CliExit, type CliIo } from '../cli-io.ts';

/** Instants print as ISO-8601 UTC to the second, the way AWS writes event times. */
export function formatInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export const scheduleNextOptions = z.object({
  count: z.coerce
    .number({ message: '--count must be a whole number from 1 to 1000' })
    .int('--count must be a whole number from 1 to 1000')
    .min(1, '--count must be a whole number from 1 to 1000')
    .max(1000, '--count must be a whole number from 1 to 1000'),
  after: z
    .string()
    .regex(
      ISO_INSTANT,
      '--after must be an ISO-8601 instant with a zone, e.g. 2026-01-01T00:00:00Z',
    )
    .refine((s) => !Number.isNaN(Date.parse(s)), '--after is not a real date')
    .optional(),
  timezone: z.string().superRefine((tz, ctx) => {
    if (!isValidTimezone(tz)) {
      ctx.addIssue({ code: 'custom', message: `--timezone: unknown IANA time zone '${tz}'` });
    }
  }),
  service: z.enum(['scheduler', 'events'], {
    message:
      "--service must be 'scheduler' (EventBridge Scheduler) or 'events' (EventBridge rules)",
  }),
});

export type ScheduleNextOptions = z.input<typeof scheduleNextOptions>;

/** Does the work of the command; returns the lines it printed (for tests). */
export function runScheduleNext(
  expression: string,
  rawOptions: ScheduleNextOptions,
  deps: { io: CliIo; clock: Clock },
): void {
  const parsedOptions = scheduleNextOptions.safeParse(rawOptions);
  if (!parsedOptions.success) {
    deps.io.stderr(`${parsedOptions.error.issues.map((i) => i.message).join('\n')}\n`);
    throw new CliExit(2);
  }
  const options = parsedOptions.data;
  const dialect: ScheduleDialect = options.service === 'events' ? 'rule' : 'scheduler';
  let parsed;
  try {
    parsed = parseScheduleExpression(expression, dialect);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) {
      deps.io.stderr(`${error.message}\nhint: ${error.hint}\n`);
      throw new CliExit(2);
    }
    throw error;
  }
  if (dialect === 'rule' && options.timezone !== 'UTC') {
    deps.io.stderr('EventBridge rules always run in UTC; --timezone needs --service scheduler\n');
    throw new CliExit(2);
  }
  const after = options.after ? Date.parse(options.after) : deps.clock.now();
  const fires = nextFires(parsed, { after, count: options.count, timezone: options.timezone });
  for (const fire of fires) deps.io.stdout(`${formatInstant(fire)}\n`);
}

export function configureScheduleCommand(program: Command, deps: { io: CliIo; clock: Clock }) {
  const schedule = program
    .command('schedule')
    .description('Work with schedule expressions: rate(...), cron(...), at(...)');
  schedule
    .command('next')
    .description('Print the next fire instants of a schedule expression, one per line, in UTC')
    .argument('<expression>', 'e.g. "cron(0 9 ? * MON-FRI *)" or "rate(5 minutes)"')
    .option('-n, --count <N>', 'how many instants to print', '5')
    .option('--after <instant>', 'start strictly after this ISO-8601 instant (default: now)')
    .option('--timezone <IANA>', 'evaluate cron/at in this zone (Scheduler semantics)', 'UTC')
    .option(
      '--service <name>',
      "validate as 'scheduler' (at/rate/cron) or 'events' (rules: rate/cron, UTC only)",
      'scheduler',
    )
    .action((expression: string, options: ScheduleNextOptions) =>
      runScheduleNext(expression, options, deps),
    );
}
