/**
 * SigV4 verification of temporary credentials and of raw bodies: a session key needs its own
 * token (kept as a digest or as text), a long-term key must come without one, an expired session
 * is `expiredToken` only once its signature holds, and the payload hash covers the bytes as
 * received, also when they are not UTF-8 (through the server, which used to decode them first).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SignatureV4 } from '@smithy/signature-v4';

import { ManualClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { Sha256 } from '../platform/sha256-hash.ts';
import { sessionTokenDigest } from '../iam/sts-sessions.service.ts';
import {
  chainCredentials,
  rootCredentials,
  type CredentialLookup,
  type KnownCredential,
} from './credentials.ports.ts';
import { createApiServer } from './server.ts';
import { stsApi } from './services/sts.api.ts';
import { presignUrl, signHeaders } from './signing.test-support.ts';
import { verifySignature, type RawRequest } from './sigv4-verify.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const ROOT = rootCredentials(
  { accessKeyId: 'test', secretAccessKey: 'test' },
  { partition: 'aws', accountId: '000000000000' },
);
const SESSION = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
  secretAccessKey: 's3cret',
  token: 'tok/+=1',
};
const principal = {
  arn: 'arn:aws:sts::000000000000:assumed-role/app/s',
  userId: 'AROAEXAMPLE:s',
  accountId: '000000000000',
  type: 'assumed-role',
} as const;

function sessions(extra: Partial<KnownCredential> = {}, digest = true): CredentialLookup {
  const known: KnownCredential = {
    secretAccessKey: SESSION.secretAccessKey,
    ...(digest
      ? { sessionTokenSha256: sessionTokenDigest(SESSION.token) }
      : { sessionToken: SESSION.token }),
    principal,
    ...extra,
  };
  return chainCredentials(ROOT, {
    find: async (id) => (id === SESSION.accessKeyId ? known : undefined),
  });
}

async function request(
  key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  tamper: (headers: Record<string, string>) => void = () => undefined,
): Promise<RawRequest> {
  const headers = await signHeaders({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
    region: 'ap-northeast-1',
    service: 'sts',
    at: T0,
    key,
  });
  tamper(headers);
  return {
    method: 'POST',
    path: '/',
    query: '',
    headers,
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  };
}

async function outcome(req: RawRequest, lookup: CredentialLookup): Promise<string> {
  const result = await verifySignature(req, lookup, new ManualClock(T0));
  return result.ok ? 'ok' : `${result.failure.kind}: ${result.failure.message}`;
}

const sessionKey = { ...SESSION, sessionToken: SESSION.token };

describe('SigV4 verification of session tokens', () => {
  it('accepts a session key with its token, kept as a digest or as text', async () => {
    assert.equal(await outcome(await request(sessionKey), sessions()), 'ok');
    assert.equal(await outcome(await request(sessionKey), sessions({}, false)), 'ok');
    const result = await verifySignature(
      await request(sessionKey),
      sessions(),
      new ManualClock(T0),
    );
    assert.ok(result.ok);
    assert.equal(result.value.principal.arn, principal.arn);
  });

  it('refuses a session key without its token, or with another one', async () => {
    const invalid = 'unknownKey: The security token included in the request is invalid.';
    const { sessionToken: _t, ...noToken } = sessionKey;
    assert.equal(await outcome(await request(noToken), sessions()), invalid);
    assert.equal(
      await outcome(await request({ ...sessionKey, sessionToken: 'garbled' }), sessions()),
      invalid,
    );
    assert.equal(
      await outcome(await request({ ...sessionKey, sessionToken: 'garbled' }), sessions({}, false)),
      invalid,
    );
  });

  it('refuses a token sent with a long-term key, which has none', async () => {
    const req = await request({ accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'x' });
    assert.equal(
      await outcome(req, sessions()),
      'unknownKey: The security token included in the request is invalid.',
    );
    assert.equal(
      await outcome(await request({ accessKeyId: 'test', secretAccessKey: 'test' }), sessions()),
      'ok',
    );
  });

  it('says expiredToken for an expired session only when token and signature hold', async () => {
    const expired = sessions({ expired: true });
    assert.equal(
      await outcome(await request(sessionKey), expired),
      'expiredToken: The security token included in the request is expired',
    );
    assert.match(
      await outcome(await request({ ...sessionKey, secretAccessKey: 'wrong' }), expired),
      /^badSignature/,
    );
    assert.match(
      await outcome(await request({ ...sessionKey, sessionToken: 'garbled' }), expired),
      /^unknownKey/,
    );
  });

  it('verifies presigned URLs carrying the session token', async () => {
    const url = await presignUrl({
      method: 'GET',
      url: '/?Action=GetCallerIdentity&Version=2011-06-15',
      region: 'us-east-1',
      service: 'sts',
      at: T0,
      expiresIn: 300,
      key: sessionKey,
    });
    const query = url.slice(url.indexOf('?') + 1);
    const raw = (q: string): RawRequest => ({
      method: 'GET',
      path: '/',
      query: q,
      headers: { host: 'localhost:80' },
      body: '',
    });
    assert.match(query, /X-Amz-Security-Token=/);
    assert.equal(await outcome(raw(query), sessions()), 'ok');
    const garbled = query.replace(/X-Amz-Security-Token=[^&]+/, 'X-Amz-Security-Token=garbled');
    assert.match(await outcome(raw(garbled), sessions()), /^unknownKey/);
  });
});

describe('SigV4 payload hash over raw bytes', () => {
  // Valid form text with one byte that is not UTF-8: decoding would turn it into U+FFFD.
  const BYTES = Buffer.concat([
    Buffer.from('Action=GetCallerIdentity&Version=2011-06-15&Junk='),
    Buffer.from([0xff, 0xfe]),
  ]);

  async function signBytes(at: number): Promise<Record<string, string>> {
    const signer = new SignatureV4({
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      region: 'us-east-1',
      service: 'sts',
      sha256: Sha256,
      applyChecksum: false,
    });
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: 'localhost:80',
        path: '/',
        headers: {
          host: 'localhost:80',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new Uint8Array(BYTES),
      },
      { signingDate: new Date(at) },
    );
    return signed.headers as Record<string, string>;
  }

  it('matches the bytes, not their UTF-8 decoding', async () => {
    const headers = await signBytes(T0);
    const base = { method: 'POST', path: '/', query: '', headers };
    assert.equal(await outcome({ ...base, body: BYTES }, ROOT), 'ok');
    assert.match(await outcome({ ...base, body: BYTES.toString('utf8') }, ROOT), /^badSignature/);
  });

  it('the server verifies a non-UTF-8 body as sent', async () => {
    const clock = new ManualClock(T0);
    await using server = createApiServer({ services: [stsApi()], context: DEFAULT_CONTEXT, clock });
    const headers = await signBytes(T0);
    const res = await server.inject({ method: 'POST', url: '/', headers, payload: BYTES });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);
  });
});
