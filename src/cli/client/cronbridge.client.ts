/**
 * A small typed client for cronbridge's own API (`src/api/services/cronbridge.api.ts`): the one
 * service the AWS SDK has no client for. Speaks awsJson1.1 over `fetch`, signs with SigV4 at the
 * injected Clock's time, and turns error bodies into {@link CronbridgeServiceError} with the
 * `__type` code, as the SDK clients do for AWS services.
 */
import type {
  GetNextSlotsInput,
  GetNextSlotsOutput,
  GetRuleHistoryInput,
  GetRuleHistoryOutput,
  ListDeadLettersInput,
  ListDeadLettersOutput,
} from '../../api/services/cronbridge.api.ts';
import {
  CRONBRIDGE_SIGNING_NAME,
  CRONBRIDGE_TARGET_PREFIX,
} from '../../api/services/cronbridge.api.ts';
import type { Clock } from '../../platform/clock.ts';
import { signRequest, type SigningCredentials } from './sigv4.ts';

export interface CronbridgeClientConfig {
  endpoint: string;
  region: string;
  credentials: SigningCredentials;
  clock: Clock;
  /** For tests; the global `fetch` by default. */
  fetch?: typeof fetch;
}

/** An error answer of the cronbridge API, shaped like the SDK's service exceptions. */
export class CronbridgeServiceError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly $fault: 'client' | 'server';

  constructor(code: string, message: string, httpStatus: number) {
    super(message);
    this.name = code;
    this.code = code;
    this.httpStatus = httpStatus;
    this.$fault = httpStatus >= 500 ? 'server' : 'client';
  }
}

/** `com.amazonaws.x#Code:extra` → `Code`, as AWS's JSON clients read `__type`. */
function errorCodeOf(type: unknown): string | undefined {
  if (typeof type !== 'string' || type === '') return undefined;
  return type.slice(type.lastIndexOf('#') + 1).split(':')[0];
}

export class CronbridgeClient {
  readonly #config: CronbridgeClientConfig;
  readonly #fetch: typeof fetch;

  constructor(config: CronbridgeClientConfig) {
    this.#config = config;
    this.#fetch = config.fetch ?? fetch;
  }

  getRuleHistory(input: GetRuleHistoryInput, signal?: AbortSignal): Promise<GetRuleHistoryOutput> {
    return this.#call('GetRuleHistory', input, signal);
  }

  listDeadLetters(
    input: ListDeadLettersInput = {},
    signal?: AbortSignal,
  ): Promise<ListDeadLettersOutput> {
    return this.#call('ListDeadLetters', input, signal);
  }

  getNextSlots(input: GetNextSlotsInput, signal?: AbortSignal): Promise<GetNextSlotsOutput> {
    return this.#call('GetNextSlots', input, signal);
  }

  async #call<O>(operation: string, input: object, signal?: AbortSignal): Promise<O> {
    const { endpoint, region, credentials, clock } = this.#config;
    const url = new URL(endpoint);
    const body = JSON.stringify(input);
    const headers = await signRequest({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${CRONBRIDGE_TARGET_PREFIX}.${operation}`,
      },
      body,
      region,
      service: CRONBRIDGE_SIGNING_NAME,
      credentials,
      nowMs: clock.now(),
    });
    // fetch sets Host itself (and refuses to be told); the signed value is the same URL host.
    delete headers['host'];
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: 'POST',
        headers,
        body,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (refused, bad port, DNS) is in its cause.
      const cause = (error as { cause?: unknown }).cause;
      if ((error as Error).name === 'AbortError' || !(cause instanceof Error)) throw error;
      throw new Error(`${operation} to ${url.origin} failed: ${cause.message}`, { cause });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const fields = (parsed ?? {}) as Record<string, unknown>;
      const code = errorCodeOf(fields['__type']) ?? `Http${response.status}`;
      const message = fields['message'] ?? fields['Message'];
      throw new CronbridgeServiceError(
        code,
        typeof message === 'string' ? message : `HTTP ${response.status} from ${operation}`,
        response.status,
      );
    }
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null) {
      throw new Error(`${operation}: the server answered with something other than JSON`);
    }
    return parsed as O;
  }
}
