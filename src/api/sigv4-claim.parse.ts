/**
 * The first half of SigV4 verification: what a request *claims* (credential scope, signed
 * headers, signature, date, session token, presign expiry) read from its `Authorization` header
 * or its presigned query, with AWS's wording for what is missing or malformed. No secret is
 * involved here; sigv4-verify.ts checks the claim.
 */
import type { AuthFailure } from './authentication.types.ts';

/** What the verifier reads of a request. */
export interface RawRequest {
  readonly method: string;
  /** Still percent-encoded, without the query. */
  readonly path: string;
  /** Raw query string without `?`. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The body as received. Bytes are hashed as they are; a string is hashed as its UTF-8 bytes
   * (which differ from the received bytes when those were not valid UTF-8).
   */
  readonly body: string | Uint8Array;
}

/** The parts both forms carry. */
export interface Claimed {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly amzDate: string;
  readonly securityToken: string | undefined;
  /** Presigned only: validity in seconds. */
  readonly expires?: number;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_PRESIGN_SECONDS = 7 * 86_400;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function headerValue(request: RawRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `Credential=…, SignedHeaders=…, Signature=…` as a map. */
function authorizationParts(header: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length).split(',')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return parts;
}

/** The request's claim, or why it cannot be read (`missing` when nothing is signed at all). */
export function claimed(request: RawRequest, query: Record<string, string>): Claimed | AuthFailure {
  const authorization = headerValue(request, 'authorization');
  if (authorization !== undefined) {
    const trimmed = authorization.trim();
    if (!trimmed.startsWith(`${ALGORITHM} `)) {
      return {
        kind: 'incomplete',
        message: `Unsupported authorization type; only ${ALGORITHM} is accepted.`,
      };
    }
    const parts = authorizationParts(trimmed);
    const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((p) => !parts.get(p));
    const amzDate = headerValue(request, 'x-amz-date');
    if (missing.length > 0 || amzDate === undefined) {
      const names = [...missing, ...(amzDate === undefined ? ['X-Amz-Date'] : [])];
      return {
        kind: 'incomplete',
        message: `Authorization header requires ${names.map((n) => `'${n}'`).join(', ')}. Authorization=${trimmed}`,
      };
    }
    return {
      credential: parts.get('Credential') ?? '',
      signedHeaders: parts.get('SignedHeaders') ?? '',
      signature: parts.get('Signature') ?? '',
      amzDate,
      securityToken: headerValue(request, 'x-amz-security-token'),
    };
  }
  if (query['X-Amz-Algorithm'] === undefined && query['X-Amz-Signature'] === undefined) {
    return { kind: 'missing', message: '' };
  }
  const required = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ];
  const missing = required.filter((name) => !query[name]);
  if (missing.length > 0) {
    return {
      kind: 'incomplete',
      message: `The presigned request is missing ${missing.join(', ')}.`,
    };
  }
  if (query['X-Amz-Algorithm'] !== ALGORITHM) {
    return {
      kind: 'incomplete',
      message: `Unsupported X-Amz-Algorithm; only ${ALGORITHM} is accepted.`,
    };
  }
  const expires = Number(query['X-Amz-Expires']);
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS) {
    return {
      kind: 'incomplete',
      message: `X-Amz-Expires must be between 1 and ${MAX_PRESIGN_SECONDS} seconds.`,
    };
  }
  return {
    credential: query['X-Amz-Credential'] ?? '',
    signedHeaders: query['X-Amz-SignedHeaders'] ?? '',
    signature: query['X-Amz-Signature'] ?? '',
    amzDate: query['X-Amz-Date'] ?? '',
    securityToken: query['X-Amz-Security-Token'],
    expires,
  };
}

/** `yyyyMMddTHHmmssZ` → epoch ms; undefined when malformed. */
export function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `20260101T000000Z`, as in AWS's skew messages. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
