/**
 * Start-up, first phase: pull every image the task needs and open its awslogs streams. Either
 * failure aborts the start with the reason Fargate would show (see `stop-reasons.ts`).
 */
import { AwslogsWriter } from '../logs/awslogs-writer.ts';
import { type AwsContext, contextFromArn } from '../platform/ids.ts';
import { logSetupFailureReason, pullFailureReason } from './stop-reasons.ts';
import { type RunContext, StartFailure } from './task-run.context.ts';
import { type AwslogsPlan, awslogsStreamName } from './task-plan.ts';

/**
 * Where a container's awslogs group lives: the region of its `awslogs-region` option, as the
 * driver sends there, else the task's own region; partition and account are the task's.
 */
export function awslogsContext(taskArn: string, awslogs: AwslogsPlan): AwsContext {
  const task = contextFromArn(taskArn);
  if (!task) throw new Error(`not a task ARN: ${taskArn}`);
  return awslogs.region ? { ...task, region: awslogs.region } : task;
}

/** Pulls each distinct image once and notes the digest each container runs. */
export async function pullImages(run: RunContext): Promise<void> {
  const { runtime, pullTimeoutMs } = run.deps;
  const images = [...new Set(run.plan.containers.map((c) => c.image))];
  const digests = new Map<string, string | undefined>();
  for (const image of images) {
    try {
      const info = await runtime.ensureImage(image, {
        timeoutMs: pullTimeoutMs,
        signal: run.pullAbort.signal,
      });
      digests.set(image, info.repoDigest ?? info.imageId);
    } catch (error) {
      // A stop while pulling aborts the pull; the stop's reason wins over the abort's.
      run.checkStillWanted();
      throw new StartFailure(pullFailureReason(error), { cause: error });
    }
  }
  for (const state of run.containers.values()) {
    state.imageDigest = digests.get(state.plan.image);
  }
}

/**
 * Asks, for every container that logs through awslogs, whether the task's execution role may
 * write its stream; a refusal fails the start before any stream or container exists, with the
 * reason Fargate's log driver gives. Only a new start asks: adopted containers already ran.
 */
export async function checkLogAccess(run: RunContext): Promise<void> {
  for (const state of run.containers.values()) {
    const awslogs = state.plan.awslogs;
    if (!awslogs) continue;
    const decision = await run.deps.awslogsAccess.checkWrite({
      executionRoleArn: run.plan.executionRoleArn,
      taskArn: run.plan.taskArn,
      context: awslogsContext(run.plan.taskArn, awslogs),
      groupName: awslogs.group,
      streamName: awslogsStreamName(awslogs, state.plan.name, run.plan.taskId),
    });
    if (decision.allowed) continue;
    const error = Object.assign(new Error(decision.message), { name: decision.code });
    throw new StartFailure(logSetupFailureReason(error));
  }
}

/** Opens (creating when asked) the awslogs stream of every container that logs. */
export async function openLogs(run: RunContext): Promise<void> {
  const { logs, clock, logFlushIntervalMs } = run.deps;
  for (const state of run.containers.values()) {
    const awslogs = state.plan.awslogs;
    if (!awslogs) continue;
    try {
      state.writer = await AwslogsWriter.open({
        logs,
        clock,
        context: awslogsContext(run.plan.taskArn, awslogs),
        groupName: awslogs.group,
        streamName: awslogsStreamName(awslogs, state.plan.name, run.plan.taskId),
        createGroup: awslogs.createGroup,
        flushIntervalMs: logFlushIntervalMs,
      });
    } catch (error) {
      throw new StartFailure(logSetupFailureReason(error), { cause: error });
    }
  }
}
