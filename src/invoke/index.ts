/** Target invocation: Scheduled Event, ECS RunTask mapping, retries with backoff, dead letters. */
export { TargetInvoker } from './target-invoker.ts';
export type { TargetInvokerDeps } from './target-invoker.ts';
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
export { INVOCATION_STATUSES } from './invocation.store.ts';
export type { InvocationStatus } from './invocation.store.ts';
