/**
 * EventBridge rules as firing's neutral "scheduled things": the rule dialect and zone, and the
 * mapping from a rule row (plus its targets) to what `ScheduleSource` hands the firing loop and
 * the invoker. `EventsService` is the source; this file is its row mapping.
 */
import type {
  ScheduleDialect,
  ScheduledThing,
  ScheduledThingWithTargets,
} from '../firing/index.ts';
import type { RuleRow, RuleTargetRow } from '../store/tables/events.tables.ts';
import { isEnabled, toTarget } from './events.model.ts';
import type { RuleTarget } from './target.types.ts';

/** Rules read `rate()`/`cron()` in the rule grammar (no `at()`), always in UTC. */
export const RULE_DIALECT: ScheduleDialect = 'rule';
export const RULE_TIMEZONE = 'UTC';

/** The columns of a rule row the firing index reads. */
export type RuleScheduleRow = Pick<
  RuleRow,
  'arn' | 'name' | 'bus_name' | 'schedule_expression' | 'state' | 'anchor_ms'
>;

/** A rule row as the firing index reads it; undefined for a rule without a schedule. */
export function toScheduledThing(row: RuleScheduleRow): ScheduledThing | undefined {
  if (row.schedule_expression == null) return undefined;
  return {
    arn: row.arn,
    name: row.name,
    sourceName: row.bus_name,
    expression: row.schedule_expression,
    dialect: RULE_DIALECT,
    timezone: RULE_TIMEZONE,
    enabled: isEnabled(row),
    anchorMs: Number(row.anchor_ms),
  };
}

/** A rule with its targets, in PutTargets order, as the invoker reads it when a slot fires. */
export function toScheduledRule(
  row: RuleRow,
  targets: readonly RuleTargetRow[],
): ScheduledThingWithTargets<RuleTarget> | undefined {
  const thing = toScheduledThing(row);
  return thing && { ...thing, targets: targets.map(toTarget) };
}
