/**
 * Authentication as real clients meet it: SDK v3 clients of every served AWS service with a wrong
 * secret, an unknown key and a skewed clock, unsigned requests, and presigned URLs. Each protocol
 * family answers in its own error code (sigv4.errors.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { startTestEngine, type TestEngine } from '../engine/engine.fixture.ts';
import { ManualClock, SystemClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { createApiServer } from './server.ts';
import { stsApi } from './services/sts.api.ts';
import { presignUrl, signedFetch } from './signing.test-support.ts';
import { sdkFailure } from './api.test-support.ts';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** One call per served AWS service, and the codes each answers for wrong secret / unknown key. */
const SERVICES = [
  {
    name: 'ecs',
    call: (c: object) => new ECSClient(c).send(new ListClustersCommand({})),
    wrongSecret: ['InvalidSignatureException', 400],
    unknownKey: ['UnrecognizedClientException', 400],
    skewed: ['InvalidSignatureException', 400],
  },
  {
    name: 'events',
    call: (c: object) => new EventBridgeClient(c).send(new ListRulesCommand({})),
    wrongSecret: ['InvalidSignatureException', 400],
    unknownKey: ['UnrecognizedClientException', 400],
    skewed: ['InvalidSignatureException', 400],
  },
  {
    name: 'logs',
    call: (c: object) => new CloudWatchLogsClient(c).send(new DescribeLogGroupsCommand({})),
    wrongSecret: ['InvalidSignatureException', 400],
    unknownKey: ['UnrecognizedClientException', 400],
    skewed: ['InvalidSignatureException', 400],
  },
  {
    name: 'sts',
    call: (c: object) => new STSClient(c).send(new GetCallerIdentityCommand({})),
    wrongSecret: ['SignatureDoesNotMatch', 403],
    unknownKey: ['InvalidClientTokenId', 403],
    skewed: ['SignatureDoesNotMatch', 403],
  },
  {
    name: 'iam',
    call: (c: object) => new IAMClient(c).send(new ListRolesCommand({})),
    wrongSecret: ['SignatureDoesNotMatch', 403],
    unknownKey: ['InvalidClientTokenId', 403],
    skewed: ['SignatureDoesNotMatch', 403],
  },
  {
    name: 'ec2',
    call: (c: object) => new EC2Client(c).send(new DescribeVpcsCommand({})),
    wrongSecret: ['AuthFailure', 401],
    unknownKey: ['AuthFailure', 401],
    skewed: ['RequestExpired', 400],
  },
] as const;

describe('authentication with SDK v3 clients', () => {
  let fx: TestEngine;
  const client = (region: string, credentials: Credentials, extra: object = {}) => ({
    endpoint: fx.url,
    region,
    credentials,
    maxAttempts: 1,
    ...extra,
  });

  before(async () => {
    fx = await startTestEngine({ runtime: 'memory' });
  });
  after(async () => {
    await fx?.close();
  });

  for (const region of ['us-east-1', 'ap-northeast-1']) {
    it(`${region}: the right key works, and STS names the root user`, async () => {
      const sts = new STSClient(client(region, { accessKeyId: 'test', secretAccessKey: 'test' }));
      const me = await sts.send(new GetCallerIdentityCommand({}));
      assert.deepEqual(
        { Arn: me.Arn, UserId: me.UserId, Account: me.Account },
        { Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000', Account: '000000000000' },
      );
      for (const service of SERVICES) {
        await service.call(client(region, { accessKeyId: 'test', secretAccessKey: 'test' }));
      }
    });

    it(`${region}: a wrong secret and an unknown key get each service's own error`, async () => {
      for (const service of SERVICES) {
        const [code, status, message] = await sdkFailure(
          service.call(client(region, { accessKeyId: 'test', secretAccessKey: 'wrong' })),
        );
        assert.deepEqual([code, status], [...service.wrongSecret], service.name);
        if (service.name !== 'ec2') {
          assert.match(message, /^The request signature we calculated does not match/);
        }
        const [unknown, unknownStatus] = await sdkFailure(
          service.call(client(region, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'test' })),
        );
        assert.deepEqual([unknown, unknownStatus], [...service.unknownKey], service.name);
      }
    });

    it(`${region}: a clock 20 minutes off is refused as expired`, async () => {
      for (const offset of [-20 * 60_000, 20 * 60_000]) {
        for (const service of SERVICES) {
          const [code, status, message] = await sdkFailure(
            service.call(
              client(
                region,
                { accessKeyId: 'test', secretAccessKey: 'test' },
                { systemClockOffset: offset },
              ),
            ),
          );
          assert.deepEqual([code, status], [...service.skewed], `${service.name} ${offset}`);
          assert.match(message, /Signature (expired|not yet current)/);
        }
      }
    });
  }

  it('answers unsigned requests with each protocol’s missing-token error', async () => {
    const ecs = await fetch(fx.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
      },
      body: '{}',
    });
    assert.equal(ecs.status, 400);
    assert.deepEqual(await ecs.json(), {
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    const sts = await fetch(`${fx.url}/?Action=GetCallerIdentity&Version=2011-06-15`);
    assert.equal(sts.status, 403);
    assert.match(await sts.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    const ec2 = await fetch(`${fx.url}/?Action=DescribeVpcs&Version=2016-11-15`);
    assert.equal(ec2.status, 400);
    assert.match(await ec2.text(), /<Code>MissingParameter<\/Code>/);
    // A garbled Authorization header is incomplete, not missing.
    const garbled = await fetch(fx.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Logs_20140328.DescribeLogGroups',
        authorization: 'AWS4-HMAC-SHA256 garbage',
        'x-amz-date': '20260101T000000Z',
      },
      body: '{}',
    });
    assert.equal(garbled.status, 400);
    assert.equal((await garbled.json()).__type, 'IncompleteSignatureException');
  });

  it('refuses a signature for another service than the one addressed', async () => {
    const res = await signedFetch(
      fx.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
        },
        body: '{}',
      },
      { service: 'logs' },
    );
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.__type, 'InvalidSignatureException');
    assert.match(body.message, /Credential should be scoped to correct service: 'ecs'/);
  });

  it('accepts a presigned STS GetCallerIdentity URL', async () => {
    const url = new URL(fx.url);
    const path = await presignUrl({
      method: 'GET',
      url: '/?Action=GetCallerIdentity&Version=2011-06-15',
      host: url.host,
      region: 'ap-northeast-1',
      service: 'sts',
      at: new SystemClock().now(),
      expiresIn: 60,
    });
    const res = await fetch(`${fx.url}${path}`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(await res.text(), /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);
  });
});

describe('presigned URLs on a simulated clock', () => {
  it('are accepted until X-Amz-Expires has passed, then refused as expired', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    await using server = createApiServer({ services: [stsApi()], context: DEFAULT_CONTEXT, clock });
    const url = await presignUrl({
      method: 'GET',
      url: '/?Action=GetCallerIdentity&Version=2011-06-15',
      region: 'us-east-1',
      service: 'sts',
      at: clock.now(),
      expiresIn: 900,
    });
    const first = await server.inject({ method: 'GET', url });
    assert.equal(first.statusCode, 200, first.body);
    await clock.advance(900_000 + 1_000);
    const late = await server.inject({ method: 'GET', url });
    assert.equal(late.statusCode, 403);
    assert.match(late.body, /<Code>SignatureDoesNotMatch<\/Code><Message>Signature expired: /);
    // The server's Date header follows its clock, so clients can correct their skew.
    assert.equal(late.headers['date'], new Date(clock.now()).toUTCString());
  });
});
