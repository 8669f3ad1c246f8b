/**
 * Single-account authorization as AWS documents it, on top of a {@link PolicyEvaluator}: the
 * root user bypasses identity policies; any other principal is evaluated against its identity
 * policies (explicit deny > allow > implicit deny) for every resource the operation touches,
 * and the first denial is the answer. `assumeRole` checks a role's trust policy (plus, for an
 * IAM principal, its identity policies, which AWS requires unless the trust policy names it).
 */
import { parsePrincipal, globalContext, type RequestFacts } from './request-context.ts';
import type {
  ContextValue,
  NamedPolicy,
  PolicyDecision,
  PolicyDocument,
  PolicyEvaluator,
} from './policy-evaluator.ts';

/** Where the policies come from (IamService implements it). */
export interface PolicySource {
  identityPolicies(principalArn: string): Promise<NamedPolicy[]>;
  trustPolicy(roleArn: string): Promise<PolicyDocument | undefined>;
  /** Tags of a user, or of the role behind a role or session ARN (`aws:PrincipalTag/<key>`). */
  principalTags?(principalArn: string): Promise<Readonly<Record<string, string>>>;
}

/** One operation's authorization question. */
export interface AccessRequest extends RequestFacts {
  readonly principal: string;
  readonly action: string;
  /** ARNs the operation touches (`*` when the action has no resource-level permissions). */
  readonly resources: readonly string[];
  /** Service and request keys (`ecs:cluster`, `iam:PassedToService`, `aws:RequestTag/…`). */
  readonly context?: Readonly<Record<string, ContextValue>>;
  readonly sessionPolicy?: PolicyDocument;
  /**
   * The tags of a resource the operation touches, for `aws:ResourceTag/<key>` (and
   * `<service>:ResourceTag/<key>`). Asked only when a policy that applies mentions resource tags,
   * so requests whose policies do not pay nothing for it.
   */
  readonly resourceTags?: (resourceArn: string) => Promise<Readonly<Record<string, string>>>;
}

/** An AssumeRole question: may `principal` (an ARN or a service principal) assume `roleArn`? */
export interface AssumeRoleRequest extends RequestFacts {
  readonly principal: string;
  readonly roleArn: string;
  /** E.g. `aws:SourceArn`/`aws:SourceAccount` when a service assumes the role for a resource. */
  readonly context?: Readonly<Record<string, ContextValue>>;
}

export class IamAuthorization {
  constructor(
    private readonly policies: PolicySource,
    private readonly evaluator: PolicyEvaluator,
    /** The account cronbridge serves: every resource belongs to it. */
    private readonly accountId: string,
  ) {}

  /** Allowed, or the first denial among `resources`. */
  async authorize(request: AccessRequest): Promise<PolicyDecision> {
    const resources = request.resources.length > 0 ? request.resources : ['*'];
    const first = resources[0] ?? '*';
    if (parsePrincipal(request.principal).kind === 'root') {
      return allowed(request.principal, request.action, first);
    }
    const identityPolicies = await this.policies.identityPolicies(request.principal);
    // Tags cost store reads: fetched only when a policy that applies reads them.
    const policyText = JSON.stringify([identityPolicies, request.sessionPolicy ?? null]);
    const facts = await this.withPrincipalTags(request, policyText);
    const context = { ...globalContext(request.principal, facts), ...request.context };
    const tagsOf =
      request.resourceTags && READS_RESOURCE_TAGS.test(policyText)
        ? request.resourceTags
        : undefined;
    let decision = allowed(request.principal, request.action, first);
    for (const resource of resources) {
      const tags =
        tagsOf && resource !== '*' ? resourceTagKeys(resource, await tagsOf(resource)) : {};
      decision = await this.evaluator.evaluate({
        principal: request.principal,
        action: request.action,
        resource,
        resourceAccount: this.accountId,
        context: { ...context, ...tags },
        identityPolicies,
        ...(request.sessionPolicy === undefined ? {} : { sessionPolicy: request.sessionPolicy }),
      });
      if (!decision.allowed) return decision;
    }
    return decision;
  }

  /** The trust policy decides; a missing role is an implicit deny on the role ARN. */
  async assumeRole(request: AssumeRoleRequest): Promise<PolicyDecision> {
    const action = 'sts:AssumeRole';
    const trust = await this.policies.trustPolicy(request.roleArn);
    if (!trust) {
      return {
        outcome: 'ImplicitlyDenied',
        allowed: false,
        deniedBy: 'resource',
        principal: request.principal,
        action,
        resource: request.roleArn,
      };
    }
    const info = parsePrincipal(request.principal);
    // The root user holds every permission without policies, so only the trust policy can refuse
    // it (it must name the account); a service principal has no identity policies at all.
    const identityPolicies =
      info.kind === 'service'
        ? []
        : info.kind === 'root'
          ? [ROOT_IDENTITY]
          : await this.policies.identityPolicies(request.principal);
    const facts = await this.withPrincipalTags(
      request,
      info.kind === 'service' ? '' : JSON.stringify([identityPolicies, trust]),
    );
    return this.evaluator.evaluate({
      principal: request.principal,
      action,
      resource: request.roleArn,
      resourceAccount: this.accountId,
      context: { ...globalContext(request.principal, facts), ...request.context },
      identityPolicies,
      resourcePolicy: trust,
    });
  }

  /** `request`'s facts with the caller's tags when `policyText` reads `aws:PrincipalTag/…`. */
  private async withPrincipalTags<F extends RequestFacts & { principal: string }>(
    request: F,
    policyText: string,
  ): Promise<F> {
    if (request.principalTags !== undefined || !this.policies.principalTags) return request;
    if (!READS_PRINCIPAL_TAGS.test(policyText)) return request;
    const principalTags = await this.policies.principalTags(request.principal);
    return Object.keys(principalTags).length > 0 ? { ...request, principalTags } : request;
  }
}

/** What the root user may do on its own account: everything (AWS evaluates no policy for it). */
const ROOT_IDENTITY: NamedPolicy = {
  name: 'root',
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
};

/** Policies that may read `aws:PrincipalTag/…` (in a condition or a policy variable). */
const READS_PRINCIPAL_TAGS = /principaltag\//i;

/** Policies that may read `aws:ResourceTag/…` or a service's `…:ResourceTag/…` keys. */
const READS_RESOURCE_TAGS = /resourcetag\//i;

/**
 * A resource's tags as condition keys: `aws:ResourceTag/<key>` for every service, and the
 * service's own `<service>:ResourceTag/<key>` (ECS documents `ecs:ResourceTag/…`).
 */
function resourceTagKeys(
  arn: string,
  tags: Readonly<Record<string, string>>,
): Record<string, string> {
  const service = arn.split(':')[2] ?? '';
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    out[`aws:ResourceTag/${key}`] = value;
    if (service !== '') out[`${service}:ResourceTag/${key}`] = value;
  }
  return out;
}

function allowed(principal: string, action: string, resource: string): PolicyDecision {
  return { outcome: 'Allowed', allowed: true, principal, action, resource };
}
