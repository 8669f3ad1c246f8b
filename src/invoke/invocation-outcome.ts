/**
 * What follows an attempt: record it and end the invocation SUCCEEDED, record it and schedule a
 * retry (backoff on the target's retry policy), or end it FAILED with a dead letter. Each write is
 * one transaction, and its event is emitted once it committed.
 */
import { uuid } from '../platform/ids.ts';
import type { Store } from '../store/store.ts';
import type { AttemptOutcome } from './attempt.ts';
import { attemptRows } from './attempt.ts';
import type { Delivery } from './delivery.ts';
import type { InvokeEvents } from './invoke.events.ts';
import type { AttemptWrite } from './invocation.store.ts';
import { recordAttempt, recordExpired } from './invocation.store.ts';
import type { BackoffOptions, CompiledRetryPolicy, ExhaustedCondition } from './retry-policy.ts';
import { decideRetry } from './retry-policy.ts';

export interface OutcomeDeps {
  store: Store;
  events: InvokeEvents;
  backoff: BackoffOptions;
}

/**
 * Records a finished attempt of `d` (already counted in `d`) and decides what comes next;
 * returns when to try again, or undefined when the invocation ended.
 */
export async function settleAttempt(
  deps: OutcomeDeps,
  d: Delivery,
  o: AttemptOutcome,
  policy: CompiledRetryPolicy,
): Promise<number | undefined> {
  const { attempt, tasks } = attemptRows(d, o);
  const { error, attemptNo, finishedMs } = o;
  if (!error) {
    await recordAttempt(deps.store, {
      attempt,
      tasks,
      invocation: {
        id: d.id,
        status: 'SUCCEEDED',
        attempts: attemptNo,
        nextAttemptMs: null,
        finishedMs,
        remainingCount: 0,
        errorCode: null,
        errorMessage: null,
      },
    });
    deps.events.emit('invoke:succeeded', {
      ruleArn: d.ruleArn,
      invocationId: d.id,
      targetId: d.target.Id,
      attempts: attemptNo,
    });
    return undefined;
  }
  const decision = error.retryable
    ? decideRetry({
        attemptsMade: attemptNo,
        createdMs: d.createdMs,
        nowMs: finishedMs,
        policy,
        backoff: deps.backoff,
      })
    : undefined;
  if (decision?.kind === 'retry') {
    await recordAttempt(deps.store, {
      attempt,
      tasks,
      invocation: {
        id: d.id,
        status: 'PENDING',
        attempts: attemptNo,
        nextAttemptMs: decision.atMs,
        finishedMs: null,
        remainingCount: d.remaining,
        errorCode: error.code,
        errorMessage: error.message,
      },
    });
    deps.events.emit('invoke:retryScheduled', {
      ruleArn: d.ruleArn,
      invocationId: d.id,
      atMs: decision.atMs,
      attemptNo: attemptNo + 1,
    });
    return decision.atMs;
  }
  await deadLetter(deps, d, finishedMs, { attempt, tasks, error }, decision?.condition);
  return undefined;
}

/** Ends an invocation with a dead letter (with or without a last attempt to record). */
export async function deadLetter(
  deps: OutcomeDeps,
  d: Delivery,
  nowMs: number,
  last:
    | {
        attempt: AttemptWrite['attempt'];
        tasks: AttemptWrite['tasks'];
        error: { code: string; message: string };
      }
    | undefined,
  condition: ExhaustedCondition | undefined,
): Promise<void> {
  const errorCode = last?.error.code ?? 'MaximumEventAgeExceeded';
  const errorMessage =
    last?.error.message ?? 'The event grew older than MaximumEventAgeInSeconds before delivery.';
  const dlqArn = d.target.DeadLetterConfig?.Arn;
  const letter = {
    id: uuid(),
    invocation_id: d.id,
    rule_arn: d.ruleArn,
    target_id: d.target.Id,
    target_arn: d.target.Arn,
    dlq_arn: dlqArn ?? null,
    event_json: d.eventJson,
    error_code: errorCode,
    error_message: errorMessage,
    exhausted_condition: condition ?? null,
    attempts: d.attempts,
    created_ms: nowMs,
  };
  if (last) {
    await recordAttempt(deps.store, {
      attempt: last.attempt,
      tasks: last.tasks,
      invocation: {
        id: d.id,
        status: 'FAILED',
        attempts: d.attempts,
        nextAttemptMs: null,
        finishedMs: nowMs,
        remainingCount: d.remaining,
        errorCode,
        errorMessage,
      },
      deadLetter: letter,
    });
  } else {
    await recordExpired(
      deps.store,
      { id: d.id, finishedMs: nowMs, errorCode, errorMessage },
      letter,
    );
  }
  deps.events.emit('invoke:deadLettered', {
    ruleArn: d.ruleArn,
    invocationId: d.id,
    targetId: d.target.Id,
    attempts: d.attempts,
    dlqArn,
    errorCode,
    exhaustedCondition: condition,
  });
}
