/** The firing data plane: due-time index over scheduled rules, fire records, history, metrics. */
export { FiringLoop } from './firing-loop.ts';
export type { FiringLoopDeps, FiringLoopOptions } from './firing-loop.ts';
export { FiringEvents } from './firing.events.ts';
export type { FiringEvent, FiringEventMap, FiringEventType } from './firing.events.ts';
export { FiringHistory } from './firing-history.service.ts';
export type {
  AttemptView,
  DeadLetterPosition,
  DeadLetterView,
  InvocationView,
  SlotView,
} from './firing-history.service.ts';
export { FiringMetrics, RULE_METRICS } from './firing-metrics.ts';
export type { RuleMetric } from './firing-metrics.ts';
export { CATCH_UP_POLICIES, SLOT_STATUSES, isSlotStatus } from './firing.types.ts';
export type { CatchUpPolicy, ClaimedSlot, SlotInvoker, SlotStatus } from './firing.types.ts';
export type * from './firing.ports.ts';
