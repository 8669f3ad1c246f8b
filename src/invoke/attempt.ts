/**
 * One attempt of one invocation: map the target to a RunTask request, call ECS for the tasks
 * still missing, and turn the answer into the attempt's outcome and the rows that record it.
 * Deciding what happens next (done, retry, dead letter) is `invocation-outcome.ts`'s job.
 */
import type { EcsTaskRunner } from '../ecs/run-task.ports.ts';
import type { Clock } from '../platform/clock.ts';
import type { AttemptRow, InvocationTaskRow } from '../store/tables/invoke.tables.ts';
import type { Delivery } from './delivery.ts';
import { attemptToken } from './delivery.ts';
import { toRunTaskRequest } from './ecs-target.map.ts';
import type { AttemptError } from './retry-policy.ts';
import type { TargetAuthorization } from './target-authorization.ports.ts';
import { classifyError } from './retry-policy.ts';
import { formatEventTime } from './scheduled-event.build.ts';

/** What one attempt did. */
export interface AttemptOutcome {
  attemptNo: number;
  startedMs: number;
  finishedMs: number;
  taskArns: string[];
  /** Undefined when every missing task started. */
  error: AttemptError | undefined;
}

/** Makes the next attempt of `d` (the caller updates `d` from the outcome). */
export async function makeAttempt(
  d: Delivery,
  ecs: EcsTaskRunner,
  clock: Clock,
  authorization: TargetAuthorization,
): Promise<AttemptOutcome> {
  const startedMs = clock.now();
  const attemptNo = d.attempts + 1;
  const taskArns: string[] = [];
  let error: AttemptError | undefined;
  const mapping = toRunTaskRequest(d.ruleArn, d.target, d.event, formatEventTime(d.createdMs));
  if (!mapping.ok) {
    error = { code: mapping.code, message: mapping.message, retryable: false };
  } else {
    const request = {
      ...mapping.request,
      count: d.remaining,
      clientToken: attemptToken(d.id, attemptNo),
    };
    try {
      // EventBridge calls RunTask as the target's role: a denial starts nothing, and asking
      // again cannot help until a policy changes, so it is not retried.
      const access = await authorization.authorizeEcsTarget(d.context, {
        ruleArn: d.ruleArn,
        roleArn: d.target.RoleArn,
        runTaskRequest: request,
      });
      if (!access.allowed) {
        return {
          attemptNo,
          startedMs,
          finishedMs: clock.now(),
          taskArns,
          error: { code: access.code, message: access.message, retryable: false },
        };
      }
      // The target runs in the rule's region (and account), which its ARN names.
      const result = await ecs.runTask(d.context, request);
      for (const t of result.tasks) taskArns.push(t.taskArn);
      if (result.failures.length > 0) {
        // Counted as a failed attempt (AWS leaves this unconfirmed); retried for the tasks that
        // did not start, so a retry never starts more tasks than TaskCount asked for.
        error = {
          code: 'RunTaskFailure',
          message: result.failures
            .map((f) => [f.arn, f.reason, f.detail].filter(Boolean).join(': '))
            .join('; '),
          retryable: true,
        };
      }
    } catch (err) {
      error = classifyError(err);
    }
  }
  return { attemptNo, startedMs, finishedMs: clock.now(), taskArns, error };
}

/** The attempt row and the task links an outcome writes. */
export function attemptRows(
  d: Delivery,
  o: AttemptOutcome,
): { attempt: AttemptRow; tasks: InvocationTaskRow[] } {
  return {
    attempt: {
      invocation_id: d.id,
      attempt_no: o.attemptNo,
      started_ms: o.startedMs,
      finished_ms: o.finishedMs,
      outcome: o.error ? 'FAILED' : 'SUCCEEDED',
      retryable: o.error?.retryable ? 1 : 0,
      error_code: o.error?.code ?? null,
      error_message: o.error?.message ?? null,
      task_arns: JSON.stringify(o.taskArns),
    },
    tasks: o.taskArns.map((taskArn) => ({
      task_arn: taskArn,
      invocation_id: d.id,
      slot_id: d.slotId,
      rule_arn: d.ruleArn,
      nominal_ms: d.nominalMs,
      started_ms: o.finishedMs,
    })),
  };
}
