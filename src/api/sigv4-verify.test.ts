import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { rootCredentials } from './credentials.ports.ts';
import { presignUrl, signHeaders, type ToSign } from './signing.test-support.ts';
import { verifySignature, type RawRequest } from './sigv4-verify.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const KEYS = rootCredentials(
  { accessKeyId: 'test', secretAccessKey: 'test' },
  { partition: 'aws', accountId: '000000000000' },
);
const BODY = '{"logGroupNamePrefix":"/ecs"}';

function jsonRequest(overrides: Partial<ToSign> = {}): ToSign {
  return {
    method: 'POST',
    url: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Logs_20140328.DescribeLogGroups',
    },
    body: BODY,
    region: 'ap-northeast-1',
    service: 'logs',
    at: T0,
    ...overrides,
  };
}

async function signed(overrides: Partial<ToSign> = {}): Promise<RawRequest> {
  const input = jsonRequest(overrides);
  const headers = await signHeaders(input);
  const at = input.url.indexOf('?');
  return {
    method: input.method,
    path: at < 0 ? input.url : input.url.slice(0, at),
    query: at < 0 ? '' : input.url.slice(at + 1),
    headers,
    body: input.body,
  };
}

async function kindOf(request: RawRequest, clock = new ManualClock(T0)): Promise<string> {
  const result = await verifySignature(request, KEYS, clock);
  return result.ok ? 'ok' : result.failure.kind;
}

describe('SigV4 verification (Authorization header)', () => {
  it('accepts a correctly signed request and names the root principal and scope', async () => {
    const result = await verifySignature(await signed(), KEYS, new ManualClock(T0));
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      principal: {
        arn: 'arn:aws:iam::000000000000:root',
        userId: '000000000000',
        accountId: '000000000000',
        type: 'root',
      },
      accessKeyId: 'test',
      region: 'ap-northeast-1',
      service: 'logs',
    });
  });

  it('accepts query strings, encoded paths and headers SDKs do not usually sign', async () => {
    const request = await signed({
      method: 'GET',
      url: '/schedules/a%20b?NamePrefix=x%2Fy&MaxResults=5&MaxResults=6',
      headers: { 'content-length': '0', 'user-agent': 'go-sdk' },
      body: '',
      service: 'scheduler',
      alsoSign: ['content-length', 'user-agent'],
    });
    assert.match(
      String(request.headers['authorization']),
      /content-length;host;user-agent;x-amz-date/,
    );
    assert.equal(await kindOf(request), 'ok');
  });

  it('refuses a wrong secret, a changed body, header, path or query', async () => {
    const wrong = await signHeaders({
      ...jsonRequest(),
      key: { accessKeyId: 'test', secretAccessKey: 'nope' },
    });
    const good = await signed();
    assert.equal(await kindOf({ ...good, headers: wrong }), 'badSignature');
    assert.equal(await kindOf({ ...good, body: BODY.replace('ecs', 'ecr') }), 'badSignature');
    assert.equal(
      await kindOf({
        ...good,
        headers: { ...good.headers, 'x-amz-target': 'Logs_20140328.DeleteLogGroup' },
      }),
      'badSignature',
    );
    assert.equal(await kindOf({ ...good, path: '/other' }), 'badSignature');
    assert.equal(await kindOf({ ...good, query: 'a=b' }), 'badSignature');
  });

  it('refuses an x-amz-content-sha256 that is not the body’s hash', async () => {
    const good = await signed({ headers: { 'x-amz-content-sha256': '0'.repeat(64) } });
    const result = await verifySignature(good, KEYS, new ManualClock(T0));
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.failure.message : '', /x-amz-content-sha256/);
  });

  it('tells an unknown key, a missing and an incomplete signature apart', async () => {
    const unknown = await signHeaders({
      ...jsonRequest(),
      key: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test' },
    });
    const good = await signed();
    assert.equal(await kindOf({ ...good, headers: unknown }), 'unknownKey');
    const { authorization: _a, ...unsigned } = good.headers as Record<string, string>;
    assert.equal(await kindOf({ ...good, headers: unsigned }), 'missing');
    for (const authorization of [
      'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/logs/aws4_request',
      'AWS4-HMAC-SHA256 Credential=test/us-east-1, SignedHeaders=host;x-amz-date, Signature=ab',
      'Bearer abc',
    ]) {
      assert.equal(
        await kindOf({ ...good, headers: { ...good.headers, authorization } }),
        'incomplete',
      );
    }
  });

  it('requires host and x-amz-date to be signed', async () => {
    const good = await signed();
    const auth = String(good.headers['authorization']);
    for (const list of ['content-type;x-amz-date;x-amz-target', 'content-type;host;x-amz-target']) {
      const authorization = auth.replace(/SignedHeaders=[^,]+/, `SignedHeaders=${list}`);
      const result = await verifySignature(
        { ...good, headers: { ...good.headers, authorization } },
        KEYS,
        new ManualClock(T0),
      );
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.failure.message : '', /must be a 'SignedHeader'/);
    }
  });

  it('accepts 14 minutes of clock skew either way, and refuses 16 as expired', async () => {
    for (const minutes of [-14, 14]) {
      assert.equal(await kindOf(await signed({ at: T0 + minutes * 60_000 })), 'ok', `${minutes}`);
    }
    const late = await verifySignature(
      await signed({ at: T0 - 16 * 60_000 }),
      KEYS,
      new ManualClock(T0),
    );
    assert.ok(!late.ok);
    assert.equal(late.failure.kind, 'expired');
    assert.equal(
      late.failure.message,
      'Signature expired: 20260101T114400Z is now earlier than 20260101T114500Z (20260101T120000Z - 15 min.)',
    );
    assert.equal(await kindOf(await signed({ at: T0 + 16 * 60_000 })), 'expired');
  });

  it('refuses a credential scope whose date is not the X-Amz-Date day', async () => {
    const good = await signed();
    const authorization = String(good.headers['authorization']).replace('/20260101/', '/20251231/');
    assert.equal(
      await kindOf({ ...good, headers: { ...good.headers, authorization } }),
      'badSignature',
    );
  });
});

describe('SigV4 verification (presigned query)', () => {
  const url = '/?Action=GetCallerIdentity&Version=2011-06-15';

  async function presigned(expiresIn = 300): Promise<RawRequest> {
    const path = await presignUrl({
      method: 'GET',
      url,
      region: 'us-east-1',
      service: 'sts',
      at: T0,
      expiresIn,
    });
    const at = path.indexOf('?');
    return {
      method: 'GET',
      path: path.slice(0, at),
      query: path.slice(at + 1),
      headers: { host: 'localhost:80' },
      body: '',
    };
  }

  it('accepts a presigned URL until it expires', async () => {
    const clock = new ManualClock(T0);
    const request = await presigned(300);
    assert.equal(await kindOf(request, clock), 'ok');
    await clock.advance(300_000);
    assert.equal(await kindOf(request, clock), 'ok');
    await clock.advance(1_000);
    const result = await verifySignature(request, KEYS, clock);
    assert.ok(!result.ok);
    assert.equal(result.failure.kind, 'expired');
    assert.match(result.failure.message, /^Signature expired: /);
  });

  it('refuses a changed parameter or signature, and a missing or out-of-range part', async () => {
    const request = await presigned();
    assert.equal(
      await kindOf({
        ...request,
        query: request.query.replace('GetCallerIdentity', 'GetSessionToken'),
      }),
      'badSignature',
    );
    assert.equal(
      await kindOf({
        ...request,
        query: request.query.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=z'),
      }),
      'badSignature',
    );
    assert.equal(
      await kindOf({ ...request, query: request.query.replace(/&X-Amz-Date=[^&]+/, '') }),
      'incomplete',
    );
    assert.equal(
      await kindOf({
        ...request,
        query: request.query.replace('X-Amz-Expires=300', 'X-Amz-Expires=604801'),
      }),
      'incomplete',
    );
  });
});
