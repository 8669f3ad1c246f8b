/**
 * `cronbridge rules [--event-bus B] [--name-prefix P]`: the EventBridge rules of a bus with their
 * targets (ListRules, ListTargetsByRule) and, for scheduled rules, the next slot as the firing
 * loop has it indexed (cronbridge's GetNextSlots): that is the real next fire, `rate()` anchor
 * included, which the expression alone cannot tell.
 */
import {
  type EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  type Rule,
  type Target,
} from '@aws-sdk/client-eventbridge';
import type { Command } from 'commander';
import { z } from 'zod';

import {
  type ClientCommandDeps,
  type ClientContext,
  type ClientOptions,
  runClientCommand,
} from '../client/client-command.ts';
import { parseOptions, withClientOptions } from '../client/client-options.ts';
import { familyRevision, lastSegment } from '../format/ecs-task.format.ts';
import { jsonDocument } from '../format/json.ts';
import { type Column, listCell, NONE, renderTable } from '../format/table.ts';
import { formatTime } from '../format/time.ts';

export const rulesOptions = z.object({
  eventBus: z.string().min(1).optional(),
  namePrefix: z.string().min(1).optional(),
});

export type RulesOptions = z.input<typeof rulesOptions> & ClientOptions;

interface RuleRow {
  rule: Rule;
  targets: Target[];
  nextMs: number | undefined;
}

/** `job: ecs seed/tick:3 x2` for an ECS target; `id: <service> <resource>` otherwise. */
export function targetSummary(target: Target): string {
  const ecs = target.EcsParameters;
  if (ecs) {
    const count = ecs.TaskCount && ecs.TaskCount > 1 ? ` x${ecs.TaskCount}` : '';
    return `${target.Id}: ecs ${lastSegment(target.Arn)}/${familyRevision(ecs.TaskDefinitionArn)}${count}`;
  }
  const service = target.Arn?.split(':')[2] ?? '?';
  return `${target.Id}: ${service} ${lastSegment(target.Arn)}`;
}

const COLUMNS: readonly Column<RuleRow>[] = [
  { header: 'name', cell: (r) => r.rule.Name ?? NONE },
  { header: 'state', cell: (r) => r.rule.State ?? NONE },
  {
    header: 'schedule',
    cell: (r) => r.rule.ScheduleExpression ?? (r.rule.EventPattern ? 'event pattern' : NONE),
  },
  { header: 'next', cell: (r) => formatTime(r.nextMs) },
  { header: 'targets', cell: (r) => listCell(r.targets.map(targetSummary)) },
];

async function allRules(
  events: EventBridgeClient,
  options: z.output<typeof rulesOptions>,
): Promise<Rule[]> {
  const rules: Rule[] = [];
  let NextToken: string | undefined;
  do {
    const page = await events.send(
      new ListRulesCommand({
        ...(options.eventBus ? { EventBusName: options.eventBus } : {}),
        ...(options.namePrefix ? { NamePrefix: options.namePrefix } : {}),
        NextToken,
      }),
    );
    rules.push(...(page.Rules ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return rules;
}

async function targetsOf(ctx: ClientContext, rule: Rule): Promise<Target[]> {
  const targets: Target[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.events.send(
      new ListTargetsByRuleCommand({
        Rule: rule.Name,
        ...(rule.EventBusName ? { EventBusName: rule.EventBusName } : {}),
        NextToken,
      }),
    );
    targets.push(...(page.Targets ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return targets;
}

/** Rule ARN → next slot (epoch ms) for the scheduled rules, 100 per request. */
async function nextSlots(ctx: ClientContext, rules: readonly Rule[]): Promise<Map<string, number>> {
  const arns = rules.filter((r) => r.ScheduleExpression && r.Arn).map((r) => r.Arn as string);
  const out = new Map<string, number>();
  for (let i = 0; i < arns.length; i += 100) {
    const page = await ctx.clients.cronbridge.getNextSlots({ RuleArns: arns.slice(i, i + 100) });
    for (const slot of page.Slots) {
      if (slot.NextSlotTime !== undefined) out.set(slot.RuleArn, slot.NextSlotTime * 1000);
    }
  }
  return out;
}

export async function runRules(rawOptions: RulesOptions, deps: ClientCommandDeps): Promise<void> {
  const options = parseOptions(deps.io, rulesOptions, rawOptions);
  await runClientCommand(deps, rawOptions, async (ctx) => {
    const rules = await allRules(ctx.clients.events, options);
    const next = await nextSlots(ctx, rules);
    const rows: RuleRow[] = [];
    for (const rule of rules) {
      rows.push({ rule, targets: await targetsOf(ctx, rule), nextMs: next.get(rule.Arn ?? '') });
    }
    if (ctx.json) {
      ctx.io.stdout(
        jsonDocument({
          rules: rows.map((r) => ({
            ...r.rule,
            NextSlotTime: r.nextMs === undefined ? undefined : new Date(r.nextMs).toISOString(),
            Targets: r.targets,
          })),
        }),
      );
    } else if (rows.length === 0) {
      ctx.io.stdout('No rules.\n');
    } else {
      ctx.io.stdout(renderTable(COLUMNS, rows));
    }
  });
}

export function configureRulesCommand(program: Command, deps: ClientCommandDeps): void {
  withClientOptions(
    program
      .command('rules')
      .description('List EventBridge rules: state, schedule, next slot, targets')
      .option('--event-bus <name>', 'event bus (default: default)')
      .option('--name-prefix <prefix>', 'only rules whose name starts with this'),
  ).action((options: RulesOptions) => runRules(options, deps));
}
