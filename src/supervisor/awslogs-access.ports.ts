/**
 * The seam through which a task run asks whether its execution role may write its awslogs
 * stream, before any stream or container exists. Fargate's log driver writes with the execution
 * role's credentials, so a role without `logs:CreateLogStream` / `logs:PutLogEvents` on the group
 * (or no role at all) makes the task fail to start. The supervisor knows no IAM: the engine
 * implements this port on the policy evaluator (`src/engine/awslogs-access.ts`).
 */
import type { AwsContext } from '../platform/ids.ts';

/** One container's log destination, and who would write to it. */
export interface AwslogsWrite {
  /** Undefined when the task has none. */
  readonly executionRoleArn: string | undefined;
  readonly taskArn: string;
  /** Where the group lives (its `awslogs-region`, else the task's region). */
  readonly context: AwsContext;
  readonly groupName: string;
  readonly streamName: string;
}

/** The error the log driver would meet: its code (`AccessDeniedException`, …) and message. */
export type AwslogsAccessDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly code: string; readonly message: string };

export interface AwslogsAccess {
  checkWrite(write: AwslogsWrite): Promise<AwslogsAccessDecision>;
}
