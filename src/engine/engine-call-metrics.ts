/**
 * `/metrics` of the container engine as the supervisor sees it: whether it answers, and how many
 * calls were given up after their bound (a hung engine shows here before anywhere else).
 */
import type { TimedRuntime } from '../runtime/timed-runtime.ts';

/** Prometheus text of `cronbridge_container_engine_up` and `cronbridge_engine_call_timeouts_total`. */
export function engineCallMetrics(engineCalls: Pick<TimedRuntime, 'up' | 'timeouts'>): string {
  return [
    '# HELP cronbridge_container_engine_up 1 when the container engine answered its last call, 0 after a call timed out or found no engine.',
    '# TYPE cronbridge_container_engine_up gauge',
    `cronbridge_container_engine_up ${engineCalls.up ? 1 : 0}`,
    '# HELP cronbridge_engine_call_timeouts_total Calls to the container engine given up after their bound, by call.',
    '# TYPE cronbridge_engine_call_timeouts_total counter',
    ...[...engineCalls.timeouts()].map(
      ([call, n]) => `cronbridge_engine_call_timeouts_total{call="${call}"} ${n}`,
    ),
    '',
  ].join('\n');
}
