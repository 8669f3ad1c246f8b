/**
 * The invoker's {@link TargetAuthorization} on IAM: what EventBridge does before it calls an ECS
 * target. It assumes the target's role as `events.amazonaws.com` (the trust policy decides, with
 * `aws:SourceArn` = the rule and `aws:SourceAccount`), then RunTask is authorised as that session:
 * `ecs:RunTask` on the task definition (the same target the API's RunTask gets, from
 * `src/api/authorization/`), and ECS's `iam:PassRole` for every role the task would receive
 * (task and execution role, or the overrides' replacements) with `iam:PassedToService`.
 */
import { authorizationTarget, firstDenial } from '../api/authorization/authorization-target.ts';
import type { EcsService } from '../ecs/ecs.service.ts';
import type { TaskDefinition } from '../ecs/ecs.types.ts';
import { type IamAuthorization, accessDeniedMessage } from '../iam/policy-evaluation/index.ts';
import type {
  EcsTargetAccess,
  TargetAccessDecision,
  TargetAuthorization,
} from '../invoke/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { AwsContext } from '../platform/ids.ts';
import { assumedRoleSessionArn } from './service-session.ts';

/** The service principal EventBridge assumes target roles as. */
export const EVENTS_PRINCIPAL = 'events.amazonaws.com';

export interface EcsTargetAuthorizerDeps {
  authorization: IamAuthorization;
  ecs: Pick<EcsService, 'describeTaskDefinition'>;
  clock: Clock;
  /** Tags of the task definition and roles, for `aws:ResourceTag/…` conditions. */
  resourceTags?: (resourceArn: string) => Promise<Readonly<Record<string, string>>>;
}

export class EcsTargetAuthorizer implements TargetAuthorization {
  constructor(private readonly deps: EcsTargetAuthorizerDeps) {}

  async authorizeEcsTarget(
    ctx: AwsContext,
    access: EcsTargetAccess,
  ): Promise<TargetAccessDecision> {
    const { authorization, clock } = this.deps;
    const { roleArn, ruleArn, runTaskRequest: request } = access;
    if (roleArn === undefined) {
      // PutTargets refuses ECS targets without a role; an old stored target may still lack one.
      return denied('FAILED_TO_ASSUME_ROLE', `No RoleArn is set for target ${request.cluster}.`);
    }
    const facts = {
      region: ctx.region,
      now: clock.now(),
      ...(this.deps.resourceTags ? { resourceTags: this.deps.resourceTags } : {}),
    };
    const assumed = await authorization.assumeRole({
      principal: EVENTS_PRINCIPAL,
      roleArn,
      ...facts,
      context: { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': ctx.accountId },
    });
    if (!assumed.allowed) return denied('FAILED_TO_ASSUME_ROLE', accessDeniedMessage(assumed));
    // One session per attempt, as EventBridge assumes the role for each delivery.
    const session = assumedRoleSessionArn(roleArn, request.clientToken ?? ruleArn);

    const definition = await this.#taskDefinition(ctx, request.taskDefinition);
    // The API's RunTask question, answered from the definition read above: RunTask on the
    // revision that runs, then PassRole on the roles the task gets (the overrides' in their place).
    const runTask = await authorizationTarget('ecs', 'RunTask', request, {
      aws: ctx,
      resolvers: {
        taskDefinitionArn: async () => definition?.taskDefinitionArn,
        taskDefinitionRoles: async () => definition,
      },
    });
    const denial = await firstDenial(runTask, (question) =>
      authorization.authorize({ principal: session, ...question, ...facts }),
    );
    if (denial) return denied('NO_PERMISSIONS', accessDeniedMessage(denial));
    return { allowed: true };
  }

  async #taskDefinition(ctx: AwsContext, ref: string): Promise<TaskDefinition | undefined> {
    try {
      return (await this.deps.ecs.describeTaskDefinition(ctx, { taskDefinition: ref }))
        .taskDefinition;
    } catch {
      return undefined;
    }
  }
}

function denied(code: string, message: string): TargetAccessDecision {
  return { allowed: false, code, message };
}
