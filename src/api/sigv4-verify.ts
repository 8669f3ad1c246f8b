/**
 * Verifies a request's SigV4 signature, in the `Authorization` header or presigned query form.
 * The expected signature is computed by `@smithy/signature-v4` on a request rebuilt from the
 * wire (method, raw path, query, the *signed* headers only, body); nothing is canonicalised
 * here. The outcome is protocol-neutral: {@link AuthFailure} says what went wrong, and
 * sigv4.errors.ts turns it into each protocol family's own error code.
 */
import { timingSafeEqual } from 'node:crypto';

import { SignatureV4 } from '@smithy/signature-v4';

import type { Clock } from '../platform/clock.ts';
import { Sha256 } from '../platform/sha256-hash.ts';
import type { AuthFailure } from './authentication.types.ts';
import type { CredentialLookup, Principal } from './credentials.ports.ts';
import { parseForm } from './query.protocol.ts';

/** A verified request: who signed it, and the scope it was signed for. */
export interface Authenticated {
  readonly principal: Principal;
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

export type Verification =
  | { readonly ok: true; readonly value: Authenticated }
  | { readonly ok: false; readonly failure: AuthFailure };

/** What the verifier reads of a request. */
export interface RawRequest {
  readonly method: string;
  /** Still percent-encoded, without the query. */
  readonly path: string;
  /** Raw query string without `?`. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** AWS accepts signatures up to 15 minutes away from its clock. */
export const MAX_SKEW_MS = 15 * 60_000;
const MAX_PRESIGN_SECONDS = 7 * 86_400;
const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SCOPE = /^([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** AWS's text for a signature that does not match. */
export const SIGNATURE_MISMATCH_TEXT =
  'The request signature we calculated does not match the signature you provided. Check your ' +
  'AWS Secret Access Key and signing method. Consult the service documentation for details.';

const fail = (kind: AuthFailure['kind'], message: string): Verification => ({
  ok: false,
  failure: { kind, message },
});

/** The parts both forms carry. */
interface Claimed {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly amzDate: string;
  readonly securityToken: string | undefined;
  /** Presigned only: validity in seconds. */
  readonly expires?: number;
}

function headerValue(request: RawRequest, name: string): string | undefined {
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

function claimed(request: RawRequest, query: Record<string, string>): Claimed | AuthFailure {
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

function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `20260101T000000Z`, as in AWS's skew messages. */
function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The query as smithy wants it: decoded, repeated names as arrays, the signature left out. */
function queryMap(raw: string, drop: string | undefined): Record<string, string | string[]> {
  const map: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    if (name === drop) continue;
    const seen = map[name];
    map[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return map;
}

function sameSignature(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks one request against the credential lookup at the clock's time. */
export async function verifySignature(
  request: RawRequest,
  credentials: CredentialLookup,
  clock: Clock,
): Promise<Verification> {
  const query = parseForm(request.query);
  const claim = claimed(request, query);
  if ('kind' in claim) return { ok: false, failure: claim };

  const scope = SCOPE.exec(claim.credential);
  if (!scope) {
    return fail(
      'incomplete',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${claim.credential}'`,
    );
  }
  const [, accessKeyId = '', scopeDate = '', region = '', service = ''] = scope;
  const signedAt = parseAmzDate(claim.amzDate);
  if (signedAt === undefined) {
    return fail(
      'incomplete',
      `X-Amz-Date must be in the ISO8601 basic format 'yyyyMMddTHHmmssZ', got '${claim.amzDate}'.`,
    );
  }
  const signed = claim.signedHeaders.split(';').filter((h) => h !== '');
  const headerForm = claim.expires === undefined;
  for (const needed of headerForm ? ['host', 'x-amz-date'] : ['host']) {
    if (!signed.includes(needed)) {
      return fail('badSignature', `'${needed}' must be a 'SignedHeader' in the AWS Authorization.`);
    }
  }

  const known = await credentials.find(accessKeyId);
  if (!known) return fail('unknownKey', 'The security token included in the request is invalid.');
  if (known.sessionToken !== undefined && claim.securityToken !== known.sessionToken) {
    return fail('unknownKey', 'The security token included in the request is invalid.');
  }

  if (scopeDate !== claim.amzDate.slice(0, 8)) {
    return fail(
      'badSignature',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${claim.amzDate.slice(0, 8)}', from '${claim.amzDate}'.`,
    );
  }
  if (!REGION.test(region)) {
    return fail('badSignature', `Credential should be scoped to a valid region, not '${region}'.`);
  }

  const now = clock.now();
  if (claim.expires !== undefined) {
    if (now > signedAt + claim.expires * 1000) {
      return fail(
        'expired',
        `Signature expired: ${formatAmzDate(signedAt + claim.expires * 1000)} is now earlier than ${formatAmzDate(now)}.`,
      );
    }
    if (signedAt - now > MAX_SKEW_MS) {
      return fail(
        'expired',
        `Signature not yet current: ${claim.amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
      );
    }
  } else if (now - signedAt > MAX_SKEW_MS) {
    return fail(
      'expired',
      `Signature expired: ${claim.amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
    );
  } else if (signedAt - now > MAX_SKEW_MS) {
    return fail(
      'expired',
      `Signature not yet current: ${claim.amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }

  const bodyHash = await sha256Hex(request.body);
  const declaredHash = headerValue(request, 'x-amz-content-sha256');
  if (
    declaredHash !== undefined &&
    declaredHash !== bodyHash &&
    declaredHash !== 'UNSIGNED-PAYLOAD'
  ) {
    return fail(
      'badSignature',
      'The provided x-amz-content-sha256 header does not match what was computed.',
    );
  }

  // Only the signed headers go in: the signer signs every header it is given.
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = headerValue(request, name);
    if (value === undefined) {
      return fail('badSignature', SIGNATURE_MISMATCH_TEXT);
    }
    headers[name] = value;
  }
  const hostHeader = headers['host'] ?? '';
  const signer = new SignatureV4({
    credentials: {
      accessKeyId,
      secretAccessKey: known.secretAccessKey,
      ...(known.sessionToken !== undefined ? { sessionToken: known.sessionToken } : {}),
    },
    region,
    service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const base = {
    method: request.method.toUpperCase(),
    protocol: 'http:',
    hostname: hostHeader,
    path: request.path === '' ? '/' : request.path,
    headers,
    body: request.body === '' ? undefined : request.body,
  };
  const signedSet = new Set(signed);
  const options = {
    signingDate: new Date(signedAt),
    signingRegion: region,
    signingService: service,
    signableHeaders: signedSet,
  };

  let expected: string[];
  if (claim.expires === undefined) {
    // The session token header is signed by the signer itself when the key has one.
    const result = await signer.sign(
      { ...base, query: queryMap(request.query, undefined) },
      options,
    );
    const auth = String((result.headers as Record<string, string>)['authorization'] ?? '');
    expected = [/Signature=([0-9a-f]+)/.exec(auth)?.[1] ?? ''];
  } else {
    // Presigned: the payload is either the body's hash or, as botocore presigns, UNSIGNED-PAYLOAD.
    const query = queryMap(request.query, 'X-Amz-Signature');
    delete query['X-Amz-Security-Token'];
    expected = [];
    const payloads = signedSet.has('x-amz-content-sha256')
      ? [undefined]
      : [undefined, 'UNSIGNED-PAYLOAD'];
    for (const payload of payloads) {
      const presigned = await signer.presign(
        {
          ...base,
          query,
          headers:
            payload === undefined ? headers : { ...headers, 'x-amz-content-sha256': payload },
        },
        {
          ...options,
          expiresIn: claim.expires,
          // Signed headers stay headers; the payload marker only feeds the hash.
          unhoistableHeaders: new Set([...signedSet, 'x-amz-content-sha256']),
          unsignableHeaders: new Set(['x-amz-content-sha256']),
        },
      );
      expected.push(String(presigned.query?.['X-Amz-Signature'] ?? ''));
    }
  }
  if (!expected.some((candidate) => sameSignature(candidate, claim.signature))) {
    return fail('badSignature', SIGNATURE_MISMATCH_TEXT);
  }
  return { ok: true, value: { principal: known.principal, accessKeyId, region, service } };
}

async function sha256Hex(body: string): Promise<string> {
  const hash = new Sha256();
  hash.update(body);
  return Buffer.from(await hash.digest()).toString('hex');
}
