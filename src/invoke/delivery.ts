/**
 * One invocation as the invoker holds it in memory between attempts, and its stored form: an
 * invocation row carries everything needed to resume it after a restart (the target as it was at
 * fire time, the event as built).
 */
import type { RuleTarget } from '../events/target.types.ts';
import { type AwsContext, contextFromArn } from '../platform/ids.ts';
import type { InvocationRow } from '../store/tables/invoke.tables.ts';
import type { ScheduledEvent } from './scheduled-event.build.ts';

/** What an invocation needs in memory between attempts. */
export interface Delivery {
  id: string;
  slotId: string;
  ruleArn: string;
  /** Partition, region and account of the rule: its tasks start there (RunTask's context). */
  context: AwsContext;
  nominalMs: number;
  target: RuleTarget;
  event: ScheduledEvent;
  eventJson: string;
  createdMs: number;
  attempts: number;
  remaining: number;
}

export function toRow(d: Delivery, nowMs: number): InvocationRow {
  return {
    id: d.id,
    slot_id: d.slotId,
    rule_arn: d.ruleArn,
    target_id: d.target.Id,
    target_arn: d.target.Arn,
    target_json: JSON.stringify(d.target),
    event_json: d.eventJson,
    status: 'PENDING',
    attempts: 0,
    next_attempt_ms: nowMs,
    created_ms: d.createdMs,
    finished_ms: null,
    remaining_count: d.remaining,
    last_error_code: null,
    last_error_message: null,
  };
}

export function fromRow(row: InvocationRow, nominalMs: number): Delivery {
  return {
    id: row.id,
    slotId: row.slot_id,
    ruleArn: row.rule_arn,
    context: ruleContext(row.rule_arn),
    nominalMs,
    target: JSON.parse(row.target_json) as RuleTarget,
    event: JSON.parse(row.event_json) as ScheduledEvent,
    eventJson: row.event_json,
    createdMs: Number(row.created_ms),
    attempts: Number(row.attempts),
    remaining: Number(row.remaining_count),
  };
}

/**
 * Where a rule lives, read from its ARN: a rule fires in its own region, so its event names that
 * region and its targets are called there. Rule ARNs are always ours, so a malformed one is a bug.
 */
export function ruleContext(ruleArn: string): AwsContext {
  const ctx = contextFromArn(ruleArn);
  if (!ctx) throw new Error(`not a rule ARN: ${ruleArn}`);
  return ctx;
}

/**
 * The RunTask client token of one attempt of one invocation: the same when an attempt cut off by
 * a crash is made again (the attempt count is only stored once an attempt ends), a new one for
 * each retry after a recorded failure. At most 41 of the 64 characters ECS allows.
 */
export function attemptToken(invocationId: string, attemptNo: number): string {
  return `${invocationId}/${attemptNo}`;
}
