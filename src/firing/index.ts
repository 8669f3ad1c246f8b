/**
 * The firing domain's public face: the loop over scheduled things, its ports (sources in,
 * invoker and slot ledger out), slot history, slot counters and events. Other domains import
 * firing through this file only.
 */
export { FiringLoop } from './firing-loop.ts';
export type { FiringLoopDeps, FiringLoopOptions } from './firing-loop.ts';
export { firingEvents } from './firing.events.ts';
export type {
  FiringEvent,
  FiringEventMap,
  FiringEventType,
  FiringEvents,
} from './firing.events.ts';
export { StoreSlotLedger } from './slot-ledger.store.ts';
export { SlotHistory } from './slot-history.service.ts';
export type { SlotView } from './slot-history.service.ts';
export { PURGE_BATCH_SLOTS } from './slot-retention.store.ts';
export { ArnCounters, SLOT_METRICS, SlotMetrics } from './slot-metrics.ts';
export type { SlotMetric } from './slot-metrics.ts';
export { isScheduledSlot } from './slot-range.ts';
export { CATCH_UP_POLICIES, SLOT_STATUSES, isSlotStatus, ruleNameOf } from './firing.types.ts';
export type { CatchUpPolicy, ClaimedSlot, SlotInvoker, SlotStatus } from './firing.types.ts';
export { SCHEDULE_PAGE_SIZE } from './firing.ports.ts';
export { MemoryScheduleSource, TEST_RULE_PREFIX } from './memory-schedule.source.ts';
export type * from './firing.ports.ts';
