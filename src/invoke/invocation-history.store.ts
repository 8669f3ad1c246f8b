/**
 * Read side of the invoker's tables: the invocations of some slots with their attempts and task
 * ARNs, the slot behind a task, a rule's task ARNs, and dead letters (grouped by DLQ ARN, or a
 * keyset page). The lead joins task → log stream through ECS; task ARNs are indexed here for that.
 */
import { sql } from 'kysely';

import type { Db } from '../store/store.ts';
import type { DeadLetterRow } from '../store/tables/invoke.tables.ts';

export interface AttemptView {
  attemptNo: number;
  startedMs: number;
  finishedMs: number;
  outcome: 'SUCCEEDED' | 'FAILED';
  retryable: boolean;
  errorCode?: string;
  errorMessage?: string;
  taskArns: string[];
}

export interface InvocationView {
  id: string;
  targetId: string;
  targetArn: string;
  status: string;
  attempts: AttemptView[];
  nextAttemptMs?: number;
  taskArns: string[];
}

export interface DeadLetterView {
  id: string;
  invocationId: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  event: unknown;
  errorCode: string;
  errorMessage: string;
  exhaustedCondition?: string;
  attempts: number;
  createdMs: number;
}

/** Where a dead-letter page ends: letters are ordered by creation time, then id. */
export interface DeadLetterPosition {
  createdMs: number;
  id: string;
}

/** The invocations of these slots, with their attempts, grouped by slot id. */
export async function invocationsOfSlots(
  db: Db,
  slotIds: readonly string[],
): Promise<Map<string, InvocationView[]>> {
  const invBySlot = new Map<string, InvocationView[]>();
  if (slotIds.length === 0) return invBySlot;
  const invocations = await db
    .selectFrom('firing_invocations')
    .selectAll()
    .where('slot_id', 'in', slotIds)
    .orderBy('created_ms')
    .execute();
  const invIds = invocations.map((i) => i.id);
  const attempts =
    invIds.length === 0
      ? []
      : await db
          .selectFrom('firing_attempts')
          .selectAll()
          .where('invocation_id', 'in', invIds)
          .orderBy('attempt_no')
          .execute();
  const attemptsByInv = new Map<string, AttemptView[]>();
  for (const a of attempts) {
    const list = attemptsByInv.get(a.invocation_id) ?? [];
    list.push({
      attemptNo: Number(a.attempt_no),
      startedMs: Number(a.started_ms),
      finishedMs: Number(a.finished_ms),
      outcome: a.outcome === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
      retryable: Number(a.retryable) === 1,
      ...(a.error_code !== null ? { errorCode: a.error_code } : {}),
      ...(a.error_message !== null ? { errorMessage: a.error_message } : {}),
      taskArns: JSON.parse(a.task_arns) as string[],
    });
    attemptsByInv.set(a.invocation_id, list);
  }
  for (const i of invocations) {
    const list = invBySlot.get(i.slot_id) ?? [];
    const its = attemptsByInv.get(i.id) ?? [];
    list.push({
      id: i.id,
      targetId: i.target_id,
      targetArn: i.target_arn,
      status: i.status,
      attempts: its,
      ...(i.next_attempt_ms !== null ? { nextAttemptMs: Number(i.next_attempt_ms) } : {}),
      taskArns: its.flatMap((a) => a.taskArns),
    });
    invBySlot.set(i.slot_id, list);
  }
  return invBySlot;
}

/** The rule and slot that started a task, if a rule started it. */
export async function slotOfTask(
  db: Db,
  taskArn: string,
): Promise<
  { ruleArn: string; slotId: string; nominalMs: number; invocationId: string } | undefined
> {
  const row = await db
    .selectFrom('firing_tasks')
    .selectAll()
    .where('task_arn', '=', taskArn)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ruleArn: row.rule_arn,
    slotId: row.slot_id,
    nominalMs: Number(row.nominal_ms),
    invocationId: row.invocation_id,
  };
}

/** Task ARNs a rule started with `fromMs ≤ nominal < toMs`, oldest slot first. */
export async function taskArnsOf(
  db: Db,
  query: { ruleArn: string; fromMs?: number; toMs?: number },
): Promise<string[]> {
  let q = db.selectFrom('firing_tasks').select('task_arn').where('rule_arn', '=', query.ruleArn);
  if (query.fromMs !== undefined) q = q.where('nominal_ms', '>=', query.fromMs);
  if (query.toMs !== undefined) q = q.where('nominal_ms', '<', query.toMs);
  const rows = await q.orderBy('nominal_ms').orderBy('started_ms').execute();
  return rows.map((r) => r.task_arn);
}

/** Dead letters grouped by the target's DLQ ARN (`'none'` when it has no DeadLetterConfig). */
export async function deadLettersByDlq(db: Db): Promise<Record<string, DeadLetterView[]>> {
  const rows = await db
    .selectFrom('firing_dead_letters')
    .selectAll()
    .orderBy('created_ms')
    .execute();
  const out: Record<string, DeadLetterView[]> = {};
  for (const r of rows) (out[r.dlq_arn ?? 'none'] ??= []).push(toDeadLetterView(r));
  return out;
}

/**
 * Dead letters oldest first, one page after the position `after` (a letter's creation time and
 * id), optionally of one rule, or of the rules whose ARNs start with `ruleArnPrefix` (one
 * region's: `arn:aws:events:<region>:<account>:rule/`). Read by keyset in the store, so a page
 * costs the same however many letters pile up behind a broken rule.
 */
export async function deadLetterPage(
  db: Db,
  options: {
    ruleArn?: string;
    ruleArnPrefix?: string;
    after?: DeadLetterPosition;
    limit: number;
  },
): Promise<{ letters: (DeadLetterView & { dlqArn?: string })[]; more: boolean }> {
  let query = db.selectFrom('firing_dead_letters').selectAll();
  if (options.ruleArn !== undefined) query = query.where('rule_arn', '=', options.ruleArn);
  const prefix = options.ruleArnPrefix;
  if (prefix !== undefined) {
    // substr, not LIKE: `_` is a LIKE wildcard.
    query = query.where(sql<string>`substr(rule_arn, 1, ${prefix.length})`, '=', prefix);
  }
  const after = options.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('created_ms', '>', after.createdMs),
        eb.and([eb('created_ms', '=', after.createdMs), eb('id', '>', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('created_ms')
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  return {
    letters: rows.slice(0, options.limit).map((r) => ({
      ...toDeadLetterView(r),
      ...(r.dlq_arn !== null ? { dlqArn: r.dlq_arn } : {}),
    })),
    more: rows.length > options.limit,
  };
}

function toDeadLetterView(r: DeadLetterRow): DeadLetterView {
  return {
    id: r.id,
    invocationId: r.invocation_id,
    ruleArn: r.rule_arn,
    targetId: r.target_id,
    targetArn: r.target_arn,
    event: JSON.parse(r.event_json) as unknown,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    ...(r.exhausted_condition !== null ? { exhaustedCondition: r.exhausted_condition } : {}),
    attempts: Number(r.attempts),
    createdMs: Number(r.created_ms),
  };
}
