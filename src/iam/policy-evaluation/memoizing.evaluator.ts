/**
 * A {@link PolicyEvaluator} that remembers decisions. Evaluation is a pure function of its
 * request (the seam's contract), and iam-simulate spends a few hundred µs on each one —
 * normalising, validating against the Service Authorization Reference, analysing every
 * statement — which at API rates is most of what a non-root request costs. A poller asks the
 * same question again and again, so the answer is kept, keyed by the whole request: principal,
 * action, resource, context and the policy documents themselves. An edited policy is a different
 * key, so nothing goes stale and no invalidation is needed.
 *
 * The one input that changes on its own is time: `aws:CurrentTime`/`aws:EpochTime` (and the
 * keys derived from a session's age) are in every context. They are left out of the key, and a
 * request whose policies mention any of them is never remembered, so time conditions are always
 * evaluated afresh.
 */
import type { PolicyDecision, PolicyEvaluator, PolicyRequest } from './policy-evaluator.ts';

/** Global keys whose value moves with the clock. */
const TIME_KEYS = [
  'aws:currenttime',
  'aws:epochtime',
  'aws:tokenissuetime',
  'aws:multifactorauthage',
];
const MENTIONS_TIME = new RegExp(TIME_KEYS.join('|'), 'i');

export class MemoizingEvaluator implements PolicyEvaluator {
  readonly #decisions = new Map<string, PolicyDecision>();

  constructor(
    private readonly inner: PolicyEvaluator,
    /** Decisions kept at most; the oldest go first. */
    private readonly capacity = 10_000,
  ) {}

  async evaluate(request: PolicyRequest): Promise<PolicyDecision> {
    const policies = JSON.stringify([
      request.identityPolicies,
      request.resourcePolicy ?? null,
      request.sessionPolicy ?? null,
    ]);
    if (MENTIONS_TIME.test(policies)) return this.inner.evaluate(request);
    const context = Object.entries(request.context)
      .filter(([key]) => !TIME_KEYS.includes(key.toLowerCase()))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = JSON.stringify([
      request.principal,
      request.action,
      request.resource,
      request.resourceAccount,
      context,
      policies,
    ]);
    const known = this.#decisions.get(key);
    if (known) {
      // Refresh its place so the entries used most stay longest.
      this.#decisions.delete(key);
      this.#decisions.set(key, known);
      return known;
    }
    const decision = await this.inner.evaluate(request);
    this.#decisions.set(key, decision);
    if (this.#decisions.size > this.capacity) {
      const oldest = this.#decisions.keys().next().value;
      if (oldest !== undefined) this.#decisions.delete(oldest);
    }
    return decision;
  }
}
