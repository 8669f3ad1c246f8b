/**
 * The seam through which the invoker asks whether a rule may invoke its ECS target: EventBridge
 * assumes the target's `RoleArn` as `events.amazonaws.com` and calls RunTask as that role, so the
 * role's trust policy and identity policies decide. The invoke domain knows no IAM; the engine
 * implements this port on the policy evaluator (`src/engine/target-authorization.ts`).
 */
import type { RunTaskRequest } from '../ecs/run-task.ports.ts';
import type { AwsContext } from '../platform/ids.ts';

/** One invocation's question: this rule, through this role, sends this RunTask. */
export interface EcsTargetAccess {
  readonly ruleArn: string;
  /** The target's `RoleArn` (PutTargets requires one for ECS targets). */
  readonly roleArn: string | undefined;
  readonly runTaskRequest: RunTaskRequest;
}

/**
 * A denial, as EventBridge reports it in a dead letter's `ERROR_CODE` / `ERROR_MESSAGE`
 * attributes (`FAILED_TO_ASSUME_ROLE`, `NO_PERMISSIONS`). Never retried: the same request
 * would be denied again until someone changes a policy.
 */
export interface TargetDenial {
  readonly allowed: false;
  readonly code: string;
  readonly message: string;
}

export type TargetAccessDecision = { readonly allowed: true } | TargetDenial;

export interface TargetAuthorization {
  /** Decides before each attempt, in the rule's context (its region and account). */
  authorizeEcsTarget(ctx: AwsContext, access: EcsTargetAccess): Promise<TargetAccessDecision>;
}
