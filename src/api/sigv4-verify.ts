/**
 * Verifies a request's SigV4 signature, in the `Authorization` header or presigned query form.
 * The expected signature is computed by `@smithy/signature-v4` on a request rebuilt from the
 * wire (method, raw path, query, the *signed* headers only, body); nothing is canonicalised
 * here. The outcome is protocol-neutral: {@link AuthFailure} says what went wrong, and
 * sigv4.errors.ts turns it into each protocol family's own error code.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { SignatureV4 } from '@smithy/signature-v4';

import type { Clock } from '../platform/clock.ts';
import { Sha256 } from '../platform/sha256-hash.ts';
import type { AuthFailure } from './authentication.types.ts';
import type { CredentialLookup, KnownCredential, Principal } from './credentials.ports.ts';
import { parseForm } from './query.protocol.ts';
import {
  claimed,
  formatAmzDate,
  headerValue,
  parseAmzDate,
  type RawRequest,
} from './sigv4-claim.parse.ts';

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

export type { RawRequest } from './sigv4-claim.parse.ts';

/** AWS accepts signatures up to 15 minutes away from its clock. */
export const MAX_SKEW_MS = 15 * 60_000;
const SCOPE = /^([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** AWS's text for an unknown key, or a session token that does not belong to the key. */
export const INVALID_TOKEN_TEXT = 'The security token included in the request is invalid.';
/** AWS's text for a session past its expiry. */
export const EXPIRED_TOKEN_TEXT = 'The security token included in the request is expired';

/** AWS's text for a signature that does not match. */
export const SIGNATURE_MISMATCH_TEXT =
  'The request signature we calculated does not match the signature you provided. Check your ' +
  'AWS Secret Access Key and signing method. Consult the service documentation for details.';

const fail = (kind: AuthFailure['kind'], message: string): Verification => ({
  ok: false,
  failure: { kind, message },
});

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
  if (!known || !tokenMatches(known, claim.securityToken)) {
    return fail('unknownKey', INVALID_TOKEN_TEXT);
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
      // The token has matched by now; the claimed one is what was signed.
      ...(claim.securityToken !== undefined ? { sessionToken: claim.securityToken } : {}),
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
    body: request.body.length === 0 ? undefined : request.body,
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
  // Only a caller holding the session's secret and token learns that it has expired.
  if (known.expired === true) return fail('expiredToken', EXPIRED_TOKEN_TEXT);
  return { ok: true, value: { principal: known.principal, accessKeyId, region, service } };
}

/**
 * A key with a session token needs that token in the request; a key without one must not be sent
 * one (AWS refuses both as an invalid token). Compared as SHA-256 digests, in constant time.
 */
function tokenMatches(known: KnownCredential, sent: string | undefined): boolean {
  const expected =
    known.sessionToken !== undefined
      ? createHash('sha256').update(known.sessionToken, 'utf8').digest('hex')
      : known.sessionTokenSha256;
  if (expected === undefined) return sent === undefined;
  if (sent === undefined) return false;
  return sameSignature(createHash('sha256').update(sent, 'utf8').digest('hex'), expected);
}

async function sha256Hex(body: string | Uint8Array): Promise<string> {
  const hash = new Sha256();
  hash.update(body);
  return Buffer.from(await hash.digest()).toString('hex');
}
