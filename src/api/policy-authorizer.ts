/**
 * The IAM policy check on every API operation (issue 14). For each request of a verified caller
 * other than the root user it builds the operation's authorization target (action, resource
 * ARNs, condition keys; authorization/) and asks the policy decision point whether the caller's
 * identity policies (plus a session's policy) allow it, then asks the same for every dependent
 * action (`iam:PassRole` of RunTask and PutTargets). The first denial is thrown in the addressed
 * service's own words: `AccessDeniedException` for the JSON services, `AccessDenied` for IAM and
 * STS (query), `UnauthorizedOperation` for EC2, each with AWS's "User: … is not authorized to
 * perform: …" message.
 *
 * Nothing is cached between requests: policies and the names the resolvers look up are read
 * afresh for each request, so an edited policy applies to the very next one.
 */
import { AccessDenied } from '../iam/iam.errors.ts';
import {
  accessDeniedMessage,
  type AccessRequest,
  type PolicyDecision,
} from '../iam/policy-evaluation/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { ServiceError } from '../platform/errors.ts';
import type { AwsContext } from '../platform/ids.ts';
import type { ServiceModule } from './api.types.ts';
import {
  AccessDeniedException,
  UnauthorizedOperation,
  type AuthorizationRequest,
  type Authorizer,
} from './authorizer.ts';
import {
  authorizationTarget,
  firstDenial,
  type TargetResolvers,
} from './authorization/authorization-target.ts';

/** The policy decision point (IamAuthorization implements it). */
export interface AccessDecider {
  authorize(request: AccessRequest): Promise<PolicyDecision>;
}

export interface PolicyAuthorizerDeps {
  readonly decider: AccessDecider;
  /** Request time for `aws:CurrentTime` / `aws:EpochTime`. */
  readonly clock: Clock;
  /** Look-ups of names AWS resolves before evaluating, for the request's region and account. */
  readonly resolvers?: (aws: AwsContext) => TargetResolvers;
  /** A resource's tags (`aws:ResourceTag/<key>`), looked up only for policies that read them. */
  readonly resourceTags?: (resourceArn: string) => Promise<Readonly<Record<string, string>>>;
}

/**
 * HTTP status of `AccessDeniedException` by signing name, where the service's model sets one
 * (ECS and Scheduler: 403); the others (Logs, EventBridge) leave the awsJson default, 400.
 */
const ACCESS_DENIED_STATUS: Readonly<Record<string, number>> = { ecs: 403, scheduler: 403 };

/** The denial as the addressed service words it. */
export function accessDeniedError(module: ServiceModule, decision: PolicyDecision): ServiceError {
  const message = accessDeniedMessage(decision);
  switch (module.protocol) {
    case 'query':
      return new AccessDenied(message);
    case 'ec2':
      // EC2 leads with its own sentence; we add the reason AWS encodes, in the clear.
      return new UnauthorizedOperation(
        `You are not authorized to perform this operation. ${message}`,
      );
    default:
      return new AccessDeniedException(message, {
        httpStatus: ACCESS_DENIED_STATUS[module.signingName] ?? 400,
      });
  }
}

/** An {@link Authorizer} that enforces IAM identity policies. */
export function policyAuthorizer(deps: PolicyAuthorizerDeps): Authorizer {
  return async (request: AuthorizationRequest) => {
    const principal = request.caller.principal;
    // No principal only when the server runs without signature verification: nothing to judge.
    // Root is never evaluated, as in AWS.
    if (!principal || principal.type === 'root') return;
    const target = await authorizationTarget(request.service, request.operation, request.input, {
      aws: request.aws,
      callerArn: principal.arn,
      ...(deps.resolvers ? { resolvers: deps.resolvers(request.aws) } : {}),
    });
    if (target.alwaysAllowed) return;
    const now = deps.clock.now();
    const denial = await firstDenial(target, (question) =>
      deps.decider.authorize({
        principal: principal.arn,
        action: question.action,
        resources: question.resources,
        context: question.context,
        region: request.aws.region,
        now,
        ...(principal.sessionPolicy ? { sessionPolicy: principal.sessionPolicy } : {}),
        ...(deps.resourceTags ? { resourceTags: deps.resourceTags } : {}),
      }),
    );
    if (denial) throw accessDeniedError(request.module, denial);
  };
}
