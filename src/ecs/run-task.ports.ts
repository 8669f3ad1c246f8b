/**
 * The seam through which other domains (the invoker) start ECS tasks: RunTask's request and
 * result in ECS's own member names, and the runner interface `EcsService` implements.
 */
import type { AwsContext } from '../platform/ids.ts';
import type { RunTaskInput } from './run-task.validate.ts';

/**
 * RunTask's request as another domain sends it: ECS's own `RunTaskInput` (camelCase member
 * names), with the cluster and task definition always given. `overrides` is ECS's
 * `TaskOverride` as a target's Input carries it (JSON the caller does not interpret).
 */
export type RunTaskRequest = Omit<RunTaskInput, 'cluster' | 'taskDefinition' | 'overrides'> & {
  cluster: string;
  taskDefinition: string;
  overrides?: Record<string, unknown>;
};

export interface RunTaskResult {
  tasks: { taskArn: string; lastStatus?: string }[];
  failures: { arn?: string; reason?: string; detail?: string }[];
}

/**
 * Runs ECS tasks (the ECS domain implements it; errors are thrown as ServiceError). `ctx` is
 * where the task runs: the caller's region (for a rule's target, the region of the rule's ARN),
 * in which the cluster and task definition are looked up and the task ARN is made.
 */
export interface EcsTaskRunner {
  runTask(ctx: AwsContext, request: RunTaskRequest): Promise<RunTaskResult>;
}
