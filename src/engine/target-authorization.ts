/**
 * The invoker's {@link TargetAuthorization} on IAM: what EventBridge does before it calls an ECS
 * target. It assumes the target's role as `events.amazonaws.com` (the trust policy decides, with
 * `aws:SourceArn` = the rule and `aws:SourceAccount`), then RunTask is authorised as that session:
 * `ecs:RunTask` on the task definition (the same target the API's RunTask gets, from
 * `src/api/authorization/`), and ECS's `iam:PassRole` for every role the task would receive
 * (task and execution role, or the overrides' replacements) with `iam:PassedToService`.
 */
import { authorizationTarget } from '../api/authorization/authorization-target.ts';
import type { EcsService } from '../ecs/ecs.service.ts';
import type { TaskDefinition } from '../ecs/ecs.types.ts';
import {
  type IamAuthorization,
  type PolicyDecision,
  accessDeniedMessage,
} from '../iam/policy-evaluation/index.ts';
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
/** The service ECS passes task and execution roles to. */
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';

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
    // A reference without a revision runs the latest one, which is what IAM is asked about.
    const runTask = await authorizationTarget(
      'ecs',
      'RunTask',
      { ...request, taskDefinition: evaluatedTaskDefinition(request.taskDefinition, definition) },
      { aws: ctx },
    );
    const ran = await authorization.authorize({
      principal: session,
      action: runTask.action,
      resources: runTask.resources,
      context: runTask.context,
      ...facts,
    });
    if (!ran.allowed) return noPermissions(ran);

    // ECS checks PassRole only once it has read the definition; without one RunTask fails there.
    for (const role of passedRoles(definition, request.overrides)) {
      const passed = await authorization.authorize({
        principal: session,
        action: 'iam:PassRole',
        resources: [role],
        context: { 'iam:PassedToService': ECS_TASKS_PRINCIPAL },
        ...facts,
      });
      if (!passed.allowed) return noPermissions(passed);
    }
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

/**
 * The task definition ARN IAM is asked about: the revision that would run; for a definition
 * that cannot be found, an ARN without revision stands for every revision (`family:*`), as the
 * API's RunTask target reads a bare family.
 */
function evaluatedTaskDefinition(ref: string, definition: TaskDefinition | undefined): string {
  if (definition) return definition.taskDefinitionArn;
  return ref.startsWith('arn:') && !/:\d+$/.test(ref) ? `${ref}:*` : ref;
}

/** The roles the task would be given: the overrides' when set, else the definition's. */
function passedRoles(
  definition: TaskDefinition | undefined,
  overrides: Record<string, unknown> | undefined,
): string[] {
  const pick = (key: 'taskRoleArn' | 'executionRoleArn') => {
    const override = overrides?.[key];
    return typeof override === 'string' && override !== '' ? override : definition?.[key];
  };
  const roles = [pick('taskRoleArn'), pick('executionRoleArn')];
  return [...new Set(roles.filter((r): r is string => typeof r === 'string' && r !== ''))];
}

function denied(code: string, message: string): TargetAccessDecision {
  return { allowed: false, code, message };
}

/** EventBridge's dead-letter code for a call its role may not make, with IAM's own words. */
function noPermissions(decision: PolicyDecision): TargetAccessDecision {
  return denied('NO_PERMISSIONS', accessDeniedMessage(decision));
}
