/**
 * Policy evaluation, public surface: the {@link PolicyEvaluator} seam and its iam-simulate
 * implementation, single-account authorization ({@link IamAuthorization}), the global context keys,
 * and AWS's denial message.
 */
export { IamSimulateEvaluator } from './iam-simulate.evaluator.ts';
export { MemoizingEvaluator } from './memoizing.evaluator.ts';
export {
  IamAuthorization,
  type AccessRequest,
  type AssumeRoleRequest,
  type PolicySource,
} from './iam-authorization.ts';
export {
  accessDeniedMessage,
  type ContextValue,
  type DenyingPolicyKind,
  type NamedPolicy,
  type PolicyDecision,
  type PolicyDocument,
  type PolicyEvaluator,
  type PolicyOutcome,
  type PolicyRequest,
} from './policy-evaluator.ts';
export {
  globalContext,
  parsePrincipal,
  type PrincipalInfo,
  type RequestFacts,
} from './request-context.ts';
