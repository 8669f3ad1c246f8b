/**
 * Tables of the invoke domain: the per-target invocations of each fired slot, every attempt of an
 * invocation, the ECS tasks that attempts started, and the dead letters of invocations that ran
 * out of retries. The SQL names keep their `firing_` prefix from when one domain held both (no
 * migration needed); `slot_id` refers to `firing_slots.id`, owned by the firing domain.
 * Timestamps are epoch milliseconds; JSON documents are text.
 */

/** Delivery of one fired slot's event to one target. */
export interface InvocationRow {
  id: string;
  slot_id: string;
  rule_arn: string;
  target_id: string;
  target_arn: string;
  /** The `Target` structure at fire time (AWS member names), JSON. */
  target_json: string;
  /** The Scheduled Event as built for this slot, JSON (key order kept). */
  event_json: string;
  /** `PENDING` | `SUCCEEDED` | `FAILED` (see `INVOCATION_STATUSES`). */
  status: string;
  attempts: number;
  /** When the next attempt is due (PENDING only). */
  next_attempt_ms: number | null;
  created_ms: number;
  finished_ms: number | null;
  /** Tasks still to start (a RunTask that started some tasks and failed others is retried for the rest). */
  remaining_count: number;
  last_error_code: string | null;
  last_error_message: string | null;
}

/** One attempt of an invocation. */
export interface AttemptRow {
  invocation_id: string;
  attempt_no: number;
  started_ms: number;
  finished_ms: number;
  /** `SUCCEEDED` | `FAILED`. */
  outcome: string;
  /** 1 when the error allows another attempt, else 0. */
  retryable: number;
  error_code: string | null;
  error_message: string | null;
  /** Task ARNs this attempt started, JSON array. */
  task_arns: string;
}

/** Task → the invocation that started it, so history can join tasks (and their log streams). */
export interface InvocationTaskRow {
  task_arn: string;
  invocation_id: string;
  slot_id: string;
  rule_arn: string;
  nominal_ms: number;
  started_ms: number;
}

/** An invocation that failed for good: what would have gone to the rule target's DLQ. */
export interface DeadLetterRow {
  id: string;
  invocation_id: string;
  rule_arn: string;
  target_id: string;
  target_arn: string;
  /** DeadLetterConfig.Arn, or null when the target has none. */
  dlq_arn: string | null;
  event_json: string;
  error_code: string;
  error_message: string;
  /** `MaximumRetryAttempts` | `MaximumEventAgeInSeconds`; null for a non-retriable error. */
  exhausted_condition: string | null;
  /** Attempts made in all (AWS's `RETRY_ATTEMPTS` is this minus one). */
  attempts: number;
  created_ms: number;
}

export interface InvokeTables {
  firing_invocations: InvocationRow;
  firing_attempts: AttemptRow;
  firing_tasks: InvocationTaskRow;
  firing_dead_letters: DeadLetterRow;
}
