/**
 * Retry rules of a target invocation (reference §2.4), as pure functions of the attempt count and
 * times. EventBridge retries with exponential backoff and jitter until `MaximumRetryAttempts`
 * retries were made or the event is older than `MaximumEventAgeInSeconds`; missing-resource and
 * permission errors go to the dead letter at once.
 *
 * Our backoff (AWS publishes no formula): retry n waits `min(maxDelay, base · 2^(n−1))`, scaled
 * by a jitter factor in [0.5, 1] ("equal jitter"), i.e. about 1 s, 2 s, 4 s … capped at 5 min.
 */
import type { RuleTarget } from '../events/target.types.ts';
import { ServiceError } from '../platform/errors.ts';

/** Which limit ran out, as the DLQ attribute `EXHAUSTED_RETRY_CONDITION` names it. */
export const EXHAUSTED_CONDITIONS = ['MaximumRetryAttempts', 'MaximumEventAgeInSeconds'] as const;
export type ExhaustedCondition = (typeof EXHAUSTED_CONDITIONS)[number];

export interface CompiledRetryPolicy {
  /** Retries after the first attempt, 0–185. */
  maxRetryAttempts: number;
  maxEventAgeMs: number;
}

export const DEFAULT_MAX_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;

export function compileRetryPolicy(policy: RuleTarget['RetryPolicy']): CompiledRetryPolicy {
  return {
    maxRetryAttempts: policy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS,
    maxEventAgeMs: (policy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000,
  };
}

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. @default 1_000 */
  baseDelayMs: number;
  /** Longest delay between two attempts. @default 300_000 */
  maxDelayMs: number;
  /** A number in [0, 1); injected so tests are deterministic. @default Math.random */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  baseDelayMs: 1_000,
  maxDelayMs: 300_000,
  random: Math.random,
};

/** Delay before retry number `retryNo` (1 = the first retry). */
export function backoffDelay(retryNo: number, o: BackoffOptions): number {
  const exp = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(retryNo - 1, 40));
  return Math.round(exp * (0.5 + 0.5 * o.random()));
}

export type RetryDecision =
  { kind: 'retry'; atMs: number } | { kind: 'exhausted'; condition: ExhaustedCondition };

/** After `attemptsMade` failed attempts of an event created at `createdMs`: retry, or give up? */
export function decideRetry(input: {
  attemptsMade: number;
  createdMs: number;
  nowMs: number;
  policy: CompiledRetryPolicy;
  backoff: BackoffOptions;
}): RetryDecision {
  const retriesMade = input.attemptsMade - 1;
  if (retriesMade >= input.policy.maxRetryAttempts) {
    return { kind: 'exhausted', condition: 'MaximumRetryAttempts' };
  }
  const atMs = input.nowMs + backoffDelay(retriesMade + 1, input.backoff);
  if (atMs > input.createdMs + input.policy.maxEventAgeMs) {
    return { kind: 'exhausted', condition: 'MaximumEventAgeInSeconds' };
  }
  return { kind: 'retry', atMs };
}

/** One failed attempt, normalised. */
export interface AttemptError {
  code: string;
  message: string;
  retryable: boolean;
}

/**
 * Client faults from ECS (ClusterNotFoundException, AccessDeniedException, ClientException,
 * InvalidParameterException, …) are not retried: the request would fail the same way again.
 * Server faults, throttling (ServiceError.retryable) and anything not AWS-shaped are retried.
 */
export function classifyError(err: unknown): AttemptError {
  if (err instanceof ServiceError) {
    return { code: err.code, message: err.message, retryable: err.retryable };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { code: e.name || 'Error', message: e.message, retryable: true };
}
