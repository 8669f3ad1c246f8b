/**
 * STS AssumeRole through SDK v3 clients (STS, IAM, ECS) in ap-northeast-1, against the engine's
 * API: the root user assumes a role trusting its account, the session answers GetCallerIdentity
 * as the assumed role, and its key stops working when it expires on the engine's clock
 * (`ExpiredToken` / `ExpiredTokenException`), when its token is garbled (each family's "invalid
 * token") and when a trust policy names someone else (`AccessDenied`). What a session may do is
 * its role's policies, narrowed by its session policy: the last test acts as the role.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  CreateClusterCommand,
  DeleteClusterCommand,
  ECSClient,
  ListClustersCommand,
} from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  type Credentials,
} from '@aws-sdk/client-sts';

import { startTestEngine, type TestEngine } from '../../engine/engine.fixture.ts';
import { ManualClock, SystemClock } from '../../platform/clock.ts';
import { trustPolicy } from '../../iam/iam.test-support.ts';
import { sdkFailure } from '../api.test-support.ts';

const REGION = 'ap-northeast-1';
const ACCT = '000000000000';
const ROOT_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' };

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function keysOf(credentials: Credentials | undefined): Keys {
  assert.ok(credentials?.AccessKeyId && credentials.SecretAccessKey && credentials.SessionToken);
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
  };
}

describe('STS AssumeRole (SDK v3, ap-northeast-1)', () => {
  let fx: TestEngine;
  let clock: ManualClock;
  const clients: { destroy(): void }[] = [];
  const client = <C extends { destroy(): void }>(
    Make: new (config: object) => C,
    credentials: Keys = ROOT_KEYS,
  ): C => {
    const made = new Make({ endpoint: fx.url, region: REGION, credentials, maxAttempts: 1 });
    clients.push(made);
    return made;
  };

  before(async () => {
    // The engine's clock (which sessions expire on) starts at wall-clock time; SDK signatures are
    // checked against the real clock whatever this one says.
    clock = new ManualClock(new SystemClock().now());
    fx = await startTestEngine({ runtime: 'memory', clock });
    const iam = client(IAMClient);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'deployer',
        AssumeRolePolicyDocument: trustPolicy({ AWS: ACCT }),
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'tasks-only',
        AssumeRolePolicyDocument: trustPolicy({ Service: 'ecs-tasks.amazonaws.com' }),
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'partner',
        AssumeRolePolicyDocument: trustPolicy(
          { AWS: `arn:aws:iam::${ACCT}:root` },
          { StringEquals: { 'sts:ExternalId': 'partner-7' } },
        ),
      }),
    );
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await fx?.close();
  });

  const assume = (input: ConstructorParameters<typeof AssumeRoleCommand>[0]) =>
    client(STSClient).send(new AssumeRoleCommand(input));

  it('root assumes a role trusting its account; the session is the assumed role', async () => {
    const out = await assume({
      RoleArn: `arn:aws:iam::${ACCT}:role/deployer`,
      RoleSessionName: 'release-1',
      DurationSeconds: 1800,
    });
    assert.match(out.Credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
    assert.equal(out.Credentials?.Expiration?.getTime(), clock.now() + 1800_000);
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCT}:assumed-role/deployer/release-1`);
    assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z2-7]{17}:release-1$/);
    const me = await client(STSClient, keysOf(out.Credentials)).send(
      new GetCallerIdentityCommand({}),
    );
    assert.deepEqual(
      { Arn: me.Arn, UserId: me.UserId, Account: me.Account },
      { Arn: out.AssumedRoleUser?.Arn, UserId: out.AssumedRoleUser?.AssumedRoleId, Account: ACCT },
    );
  });

  it('an expired session gets ExpiredToken (query) and ExpiredTokenException (awsJson)', async () => {
    const out = await assume({
      RoleArn: `arn:aws:iam::${ACCT}:role/deployer`,
      RoleSessionName: 'short',
      DurationSeconds: 900,
    });
    const keys = keysOf(out.Credentials);
    // Valid until then (GetCallerIdentity needs no permission; the role has none yet).
    await client(STSClient, keys).send(new GetCallerIdentityCommand({}));
    await clock.advance(900_000);
    assert.deepEqual(
      await sdkFailure(client(STSClient, keys).send(new GetCallerIdentityCommand({}))),
      ['ExpiredToken', 403, 'The security token included in the request is expired'],
    );
    assert.deepEqual(await sdkFailure(client(ECSClient, keys).send(new ListClustersCommand({}))), [
      'ExpiredTokenException',
      400,
      'The security token included in the request is expired',
    ]);
  });

  it('a garbled or missing session token is an invalid token', async () => {
    const out = await assume({
      RoleArn: `arn:aws:iam::${ACCT}:role/deployer`,
      RoleSessionName: 'garbled',
    });
    const keys = keysOf(out.Credentials);
    const garbled = { ...keys, sessionToken: `${keys.sessionToken?.slice(0, -4)}AAAA` };
    const invalid = 'The security token included in the request is invalid.';
    assert.deepEqual(
      await sdkFailure(client(STSClient, garbled).send(new GetCallerIdentityCommand({}))),
      ['InvalidClientTokenId', 403, invalid],
    );
    assert.deepEqual(
      await sdkFailure(client(ECSClient, garbled).send(new ListClustersCommand({}))),
      ['UnrecognizedClientException', 400, invalid],
    );
    const { sessionToken: _t, ...bare } = keys;
    assert.equal(
      (await sdkFailure(client(STSClient, bare).send(new GetCallerIdentityCommand({}))))[0],
      'InvalidClientTokenId',
    );
    // The root key with someone's token is refused too.
    const rootWithToken = { ...ROOT_KEYS, sessionToken: keys.sessionToken ?? '' };
    assert.equal(
      (
        await sdkFailure(client(STSClient, rootWithToken).send(new GetCallerIdentityCommand({})))
      )[0],
      'InvalidClientTokenId',
    );
  });

  it('a trust policy for another principal is AccessDenied in AWS’s words', async () => {
    const role = `arn:aws:iam::${ACCT}:role/tasks-only`;
    assert.deepEqual(await sdkFailure(assume({ RoleArn: role, RoleSessionName: 'nope' })), [
      'AccessDenied',
      403,
      `User: arn:aws:iam::${ACCT}:root is not authorized to perform: sts:AssumeRole on resource: ${role}`,
    ]);
  });

  it('acts as the role: its policies allow, a session policy narrows, the rest is denied', async () => {
    await client(IAMClient).send(
      new PutRolePolicyCommand({
        RoleName: 'deployer',
        PolicyName: 'clusters',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['ecs:ListClusters', 'ecs:CreateCluster'], Resource: '*' },
          ],
        }),
      }),
    );
    const role = `arn:aws:iam::${ACCT}:role/deployer`;
    const session = `arn:aws:sts::${ACCT}:assumed-role/deployer`;
    const cluster = `arn:aws:ecs:${REGION}:${ACCT}:cluster/acted`;
    const full = client(
      ECSClient,
      keysOf((await assume({ RoleArn: role, RoleSessionName: 'full' })).Credentials),
    );
    await full.send(new CreateClusterCommand({ clusterName: 'acted' }));
    assert.ok((await full.send(new ListClustersCommand({}))).clusterArns?.includes(cluster));
    assert.deepEqual(await sdkFailure(full.send(new DeleteClusterCommand({ cluster: 'acted' }))), [
      'AccessDeniedException',
      403,
      `User: ${session}/full is not authorized to perform: ecs:DeleteCluster on resource: ${cluster} ` +
        'because no identity-based policy allows the ecs:DeleteCluster action',
    ]);

    // The session policy allows only listing: creating is refused although the role allows it.
    const narrow = client(
      ECSClient,
      keysOf(
        (
          await assume({
            RoleArn: role,
            RoleSessionName: 'narrow',
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' }],
            }),
          })
        ).Credentials,
      ),
    );
    assert.ok((await narrow.send(new ListClustersCommand({}))).clusterArns?.includes(cluster));
    const [code, status, message] = await sdkFailure(
      narrow.send(new CreateClusterCommand({ clusterName: 'not-made' })),
    );
    assert.deepEqual([code, status], ['AccessDeniedException', 403]);
    assert.match(
      message,
      /^User: arn:aws:sts::000000000000:assumed-role\/deployer\/narrow is not authorized to perform: ecs:CreateCluster on resource: .* because no session policy allows the ecs:CreateCluster action$/,
    );
  });

  it('checks ExternalId against the trust condition', async () => {
    const role = `arn:aws:iam::${ACCT}:role/partner`;
    const [code] = await sdkFailure(assume({ RoleArn: role, RoleSessionName: 'p1' }));
    assert.equal(code, 'AccessDenied');
    const ok = await assume({ RoleArn: role, RoleSessionName: 'p1', ExternalId: 'partner-7' });
    assert.match(ok.Credentials?.AccessKeyId ?? '', /^ASIA/);
  });

  it('refuses a DurationSeconds over the role’s MaxSessionDuration, and sizes a session policy', async () => {
    const role = `arn:aws:iam::${ACCT}:role/deployer`;
    assert.deepEqual(
      await sdkFailure(assume({ RoleArn: role, RoleSessionName: 'long', DurationSeconds: 7200 })),
      [
        'ValidationError',
        400,
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      ],
    );
    const scoped = await assume({
      RoleArn: role,
      RoleSessionName: 'scoped',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'ecs:List*', Resource: '*' }],
      }),
      PolicyArns: [
        { arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' },
      ],
      Tags: [{ Key: 'team', Value: 'ops' }],
      SourceIdentity: 'alice',
    });
    assert.ok((scoped.PackedPolicySize ?? 0) > 0);
    assert.equal(scoped.SourceIdentity, 'alice');
  });
});
