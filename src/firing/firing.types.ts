/**
 * Shared vocabulary of the firing data plane.
 *
 * - *slot*: one nominal instant at which a rule's schedule is due (`nominalMs`).
 * - *fire*: the loop handing a claimed slot (a committed `firing_slots` row) to the invoker at
 *   `firedAtMs`; the lag is `firedAtMs − nominalMs`. A slot is claimed when due, or up to
 *   `claimAheadMs` before (then handed over at its nominal time).
 * - *invocation*: delivering that slot's event to one target, in one or more *attempts*.
 */

/** Status of a slot row. `FIRING`: claimed, invocations not yet created. */
export const SLOT_STATUSES = ['FIRING', 'FIRED', 'MISSED', 'SKIPPED'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];
export function isSlotStatus(value: string): value is SlotStatus {
  return (SLOT_STATUSES as readonly string[]).includes(value);
}

/**
 * What to do with slots more than `maxLatenessMs` late (engine down, clock jumped forward, event
 * loop stalled). `none`: record them MISSED, fire nothing (AWS's behaviour: no catch-up).
 * `latest`: fire the most recent one of them once and record the rest MISSED.
 */
export const CATCH_UP_POLICIES = ['none', 'latest'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

/** A slot the loop has claimed and hands to the invoker. */
export interface ClaimedSlot {
  /** `firing_slots.id`. */
  slotId: string;
  ruleArn: string;
  nominalMs: number;
  firedAtMs: number;
}

/** Delivers claimed slots to their targets (src/invoke implements it). */
export interface SlotInvoker {
  /**
   * Creates the slot's invocations and starts delivering them. The loop does not wait for
   * delivery; the returned promise settles once the invocations are recorded and their first
   * attempts have finished, and never rejects.
   */
  invokeSlot(slot: ClaimedSlot): Promise<void>;
}

/** The rule name is the last path segment of its ARN (`rule/<name>` or `rule/<bus>/<name>`). */
export function ruleNameOf(ruleArn: string): string {
  return ruleArn.slice(ruleArn.lastIndexOf('/') + 1);
}
