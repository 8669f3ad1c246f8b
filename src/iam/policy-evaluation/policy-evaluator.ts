/**
 * The seam between cronbridge and whatever evaluates IAM policies. Callers describe one request
 * (principal, action, one resource, context keys, the policies that apply) and get a decision
 * that says allowed or denied, explicit or implicit, and which kind of policy decided, so the
 * API can word AWS's AccessDenied message. Only `iam-simulate.evaluator.ts` knows the library.
 */

/** A parsed policy document (`{ Version, Statement }`). */
export type PolicyDocument = Readonly<Record<string, unknown>>;

/** One identity policy: its name (inline name or managed ARN) and its document. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** A condition key's value in the request context: one string, or a list for multi-valued keys. */
export type ContextValue = string | readonly string[];

/** Everything one evaluation needs; the evaluator reads nothing else. */
export interface PolicyRequest {
  /** Caller ARN (`…:user/x`, `…:role/x`, `…:assumed-role/x/s`, `…:root`) or a service principal. */
  readonly principal: string;
  /** `service:Action`, e.g. `ecs:RunTask`. */
  readonly action: string;
  /** One resource ARN, or `*` for actions without resource-level permissions. */
  readonly resource: string;
  /** Account that owns the resource (same account as the caller in cronbridge). */
  readonly resourceAccount: string;
  /** Request context keys (global `aws:…` and service keys such as `ecs:cluster`). */
  readonly context: Readonly<Record<string, ContextValue>>;
  readonly identityPolicies: readonly NamedPolicy[];
  /** A resource-based policy; for `sts:AssumeRole` the role's trust policy. */
  readonly resourcePolicy?: PolicyDocument;
  /** The session policy of an assumed-role session, when the session has one. */
  readonly sessionPolicy?: PolicyDocument;
}

/** AWS's three outcomes. */
export type PolicyOutcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** The kind of policy a denial is attributed to, in the words AWS's messages use. */
export type DenyingPolicyKind = 'identity' | 'resource' | 'session';

/** The answer for one request. */
export interface PolicyDecision {
  readonly outcome: PolicyOutcome;
  readonly allowed: boolean;
  /** Set on denials: the policy kind that denied (explicitly) or failed to allow (implicitly). */
  readonly deniedBy?: DenyingPolicyKind;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /**
   * Set when the request itself could not be evaluated (unknown action, a resource of a type the
   * action does not take). Such requests are denied: a mapping bug must fail closed.
   */
  readonly invalid?: string;
}

/** Evaluates one request. Pure: same request, same decision; no I/O. */
export interface PolicyEvaluator {
  evaluate(request: PolicyRequest): Promise<PolicyDecision>;
}

const KIND_WORDS: Record<DenyingPolicyKind, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  session: 'session policy',
};

/**
 * AWS's denial message: `User: <principal> is not authorized to perform: <action> on resource:
 * <resource> because no identity-based policy allows the <action> action`, or `… with an explicit
 * deny in an identity-based policy`. An allowed decision has no message (throws).
 */
export function accessDeniedMessage(decision: PolicyDecision): string {
  if (decision.allowed) throw new Error('accessDeniedMessage: the decision allows the request');
  const head = `User: ${decision.principal} is not authorized to perform: ${decision.action} on resource: ${decision.resource}`;
  const kind = KIND_WORDS[decision.deniedBy ?? 'identity'];
  const article = kind.startsWith('identity') ? 'an' : 'a';
  return decision.outcome === 'ExplicitlyDenied'
    ? `${head} with an explicit deny in ${article} ${kind}`
    : `${head} because no ${kind} allows the ${decision.action} action`;
}
