/**
 * Tables of the firing and invoke domains: which schedule slots were fired (or missed), the
 * per-target invocations of each fired slot, every attempt of an invocation, the ECS tasks that
 * attempts started, and the dead letters of invocations that ran out of retries.
 *
 * `firing_slots` is the exactly-once ledger: `(rule_arn, nominal_ms)` is unique, so a slot can be
 * claimed by one loop only, across restarts and (later) across nodes. `firing_cursors` keeps the
 * latest recorded slot per rule, so a restart reads one row per rule instead of scanning history.
 * Timestamps are epoch milliseconds; JSON documents are text.
 */

/** One schedule slot of one rule (or, for a MISSED summary, a run of consecutive slots). */
export interface FiringSlotRow {
  id: string;
  rule_arn: string;
  rule_name: string;
  /** The nominal slot; for a MISSED summary row, the last slot it covers. */
  nominal_ms: number;
  /** First slot covered: equals `nominal_ms` except on a MISSED summary row. */
  first_nominal_ms: number;
  /** How many slots the row stands for (1, or the size of a MISSED summary). */
  slot_count: number;
  /** `FIRING` | `FIRED` | `MISSED` | `SKIPPED` (see `SLOT_STATUSES`). */
  status: string;
  /**
   * When the loop hands the slot over: the claim time, or the nominal time for a slot claimed
   * ahead of it (null for MISSED rows); lag = fired_at_ms − nominal_ms.
   */
  fired_at_ms: number | null;
  /** When the row was written. */
  recorded_ms: number;
  /** Targets invoked for the slot (set when the invocations are created). */
  target_count: number | null;
  /** Why a slot was missed or skipped. */
  reason: string | null;
}

/** Latest slot recorded per rule: a restart never fires at or before it. */
export interface FiringCursorRow {
  rule_arn: string;
  last_slot_ms: number;
}

/** Delivery of one fired slot's event to one target. */
export interface FiringInvocationRow {
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
export interface FiringAttemptRow {
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
export interface FiringTaskRow {
  task_arn: string;
  invocation_id: string;
  slot_id: string;
  rule_arn: string;
  nominal_ms: number;
  started_ms: number;
}

/** An invocation that failed for good: what would have gone to the rule target's DLQ. */
export interface FiringDeadLetterRow {
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

export interface FiringTables {
  firing_slots: FiringSlotRow;
  firing_cursors: FiringCursorRow;
  firing_invocations: FiringInvocationRow;
  firing_attempts: FiringAttemptRow;
  firing_tasks: FiringTaskRow;
  firing_dead_letters: FiringDeadLetterRow;
}
