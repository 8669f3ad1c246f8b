/**
 * `cronbridge dlq [--rule R]`: deliveries that ran out of retries (cronbridge's ListDeadLetters,
 * all pages, oldest first): when the event was due, rule and target, the last error, attempts,
 * why retrying stopped, and the target's DeadLetterConfig ARN, where AWS would have sent it.
 */
import type { Command } from 'commander';
import { z } from 'zod';

import type { DeadLetter } from '../../api/services/cronbridge.api.ts';
import {
  type ClientCommandDeps,
  type ClientOptions,
  runClientCommand,
} from '../client/client-command.ts';
import { parseOptions, withClientOptions } from '../client/client-options.ts';
import { jsonDocument } from '../format/json.ts';
import { type Column, NONE, renderTable } from '../format/table.ts';
import { formatTime } from '../format/time.ts';

export const dlqOptions = z.object({
  rule: z.string().min(1, '--rule must not be empty').optional(),
  eventBus: z.string().min(1).optional(),
});

export type DlqOptions = z.input<typeof dlqOptions> & ClientOptions;

const seconds = (s: number | undefined) => (s === undefined ? undefined : s * 1000);

const COLUMNS: readonly Column<DeadLetter>[] = [
  { header: 'event time', cell: (d) => formatTime(seconds(d.EventTime)) },
  { header: 'given up', cell: (d) => formatTime(seconds(d.Time)) },
  { header: 'rule', cell: (d) => d.RuleName },
  { header: 'target', cell: (d) => d.TargetId },
  { header: 'attempts', cell: (d) => String(d.Attempts), align: 'right' },
  { header: 'exhausted', cell: (d) => d.ExhaustedCondition ?? NONE },
  { header: 'error', cell: (d) => `${d.ErrorCode}: ${d.ErrorMessage}`, maxWidth: 70 },
  { header: 'dead-letter arn', cell: (d) => d.DeadLetterArn ?? NONE },
];

function letterJson(d: DeadLetter) {
  const iso = (s: number | undefined) =>
    s === undefined ? undefined : new Date(s * 1000).toISOString();
  return {
    eventId: d.EventId,
    eventTime: iso(d.EventTime),
    time: iso(d.Time),
    ruleArn: d.RuleArn,
    ruleName: d.RuleName,
    targetId: d.TargetId,
    targetArn: d.TargetArn,
    attempts: d.Attempts,
    exhaustedCondition: d.ExhaustedCondition,
    errorCode: d.ErrorCode,
    errorMessage: d.ErrorMessage,
    deadLetterArn: d.DeadLetterArn,
    event: JSON.parse(d.Event) as unknown,
  };
}

export async function runDlq(rawOptions: DlqOptions, deps: ClientCommandDeps): Promise<void> {
  const options = parseOptions(deps.io, dlqOptions, rawOptions);
  await runClientCommand(deps, rawOptions, async (ctx) => {
    const letters: DeadLetter[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ctx.clients.cronbridge.listDeadLetters({
        ...(options.rule ? { Rule: options.rule } : {}),
        ...(options.eventBus ? { EventBusName: options.eventBus } : {}),
        ...(NextToken ? { NextToken } : {}),
      });
      letters.push(...page.DeadLetters);
      NextToken = page.NextToken;
    } while (NextToken);
    if (ctx.json) {
      ctx.io.stdout(jsonDocument({ deadLetters: letters.map(letterJson) }));
    } else if (letters.length === 0) {
      ctx.io.stdout('No dead letters.\n');
    } else {
      ctx.io.stdout(renderTable(COLUMNS, letters));
    }
  });
}

export function configureDlqCommand(program: Command, deps: ClientCommandDeps): void {
  withClientOptions(
    program
      .command('dlq')
      .description('Deliveries that ran out of retries: error, attempts, DeadLetterConfig ARN')
      .option('--rule <name>', 'only this rule (name or ARN)')
      .option('--event-bus <name>', 'event bus of --rule (default: default)'),
  ).action((options: DlqOptions) => runDlq(options, deps));
}
