/**
 * Target invocation: Scheduled Event, ECS RunTask mapping, retries with backoff, dead letters,
 * and the run history and counters built on the invoker's tables.
 */
export { TargetInvoker, attemptToken } from './target-invoker.ts';
export type { TargetInvokerDeps } from './target-invoker.ts';
export { invokeEvents } from './invoke.events.ts';
export type {
  InvokeEvent,
  InvokeEventMap,
  InvokeEventType,
  InvokeEvents,
  RunEvent,
} from './invoke.events.ts';
export { RunHistory, purgeRunHistoryBefore } from './run-history.service.ts';
export type { HistoryPurgeResult, RunSlotView } from './run-history.service.ts';
export type {
  AttemptView,
  DeadLetterPosition,
  DeadLetterView,
  InvocationView,
} from './invocation-history.store.ts';
export { INVOCATION_METRICS, InvocationMetrics, RULE_METRICS, RunMetrics } from './run-metrics.ts';
export type { InvocationMetric, RuleMetric } from './run-metrics.ts';
export { buildScheduledEvent, formatEventTime } from './scheduled-event.build.ts';
export type { ScheduledEvent } from './scheduled-event.build.ts';
export { startedByFor, toRunTaskRequest } from './ecs-target.map.ts';
export {
  DEFAULT_BACKOFF,
  EXHAUSTED_CONDITIONS,
  backoffDelay,
  classifyError,
  compileRetryPolicy,
  decideRetry,
} from './retry-policy.ts';
export type { BackoffOptions, ExhaustedCondition } from './retry-policy.ts';
export type {
  EcsTargetAccess,
  TargetAccessDecision,
  TargetAuthorization,
  TargetDenial,
} from './target-authorization.ports.ts';
export { INVOCATION_STATUSES } from './invocation.store.ts';
export type { InvocationStatus } from './invocation.store.ts';
