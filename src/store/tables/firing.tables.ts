/**
 * Tables of the firing domain: which schedule slots were fired (or missed) and the per-thing
 * cursors. The invoker's tables (invocations, attempts, tasks, dead letters) are in
 * `invoke.tables.ts`.
 *
 * `firing_slots` is the exactly-once ledger: `(rule_arn, nominal_ms)` is unique, so a slot can be
 * claimed by one loop only, across restarts and (later) across nodes. `firing_cursors` keeps the
 * latest recorded slot per rule, so a restart reads one row per rule instead of scanning history.
 * Timestamps are epoch milliseconds.
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

export interface FiringTables {
  firing_slots: FiringSlotRow;
  firing_cursors: FiringCursorRow;
}
