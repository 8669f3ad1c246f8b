/**
 * StsSessions on an in-memory store with a ManualClock: AssumeRole's member rules (session names,
 * durations against the role's MaxSessionDuration and role chaining), trust decisions by the real
 * evaluator (the account's root, another principal, an ExternalId condition), session policies,
 * and the session lookup SigV4 verification uses (expiry, a deleted role, pruning).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { ServiceError } from '../platform/errors.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { openStore } from '../store/open-store.ts';
import { IamService } from './iam.service.ts';
import { EXPIRED_SESSION_RETENTION_MS, sessionTokenDigest } from './sts-sessions.service.ts';
import { trustPolicy } from './iam.test-support.ts';

const T0 = Date.UTC(2026, 0, 1);
const ACCT = DEFAULT_CONTEXT.accountId;
const ROOT = `arn:aws:iam::${ACCT}:root`;
const role = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;

async function fixture() {
  const store = await openStore({ dataDir: ':memory:' });
  const clock = new ManualClock(T0);
  const iam = new IamService({ store, clock, context: DEFAULT_CONTEXT });
  await iam.roles.createRole({
    RoleName: 'app',
    AssumeRolePolicyDocument: trustPolicy({ AWS: ROOT }),
  });
  await iam.roles.createRole({
    RoleName: 'long',
    Path: '/team/',
    AssumeRolePolicyDocument: trustPolicy({ AWS: ACCT }),
    MaxSessionDuration: 43_200,
  });
  return { store, clock, iam, [Symbol.asyncDispose]: () => store.close() };
}

async function rejects(promise: Promise<unknown>, code: string, message?: string | RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ServiceError, String(err));
    assert.equal(err.code, code, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

describe('StsSessions.assumeRole', () => {
  it('issues ASIA credentials for an hour to the root of a trusted account', async () => {
    await using fx = await fixture();
    const out = await fx.iam.sessions.assumeRole(ROOT, {
      RoleArn: role('app'),
      RoleSessionName: 'deploy',
    });
    assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(out.Credentials.SecretAccessKey.length, 40);
    assert.ok(out.Credentials.SessionToken.length >= 200);
    assert.equal(out.Credentials.Expiration, new Date(T0 + 3600_000).toISOString());
    const roleId = (await fx.iam.roles.getRole('app')).RoleId;
    assert.deepEqual(out.AssumedRoleUser, {
      AssumedRoleId: `${roleId}:deploy`,
      Arn: `arn:aws:sts::${ACCT}:assumed-role/app/deploy`,
    });
    assert.equal(out.PackedPolicySize, undefined);
  });

  it('accepts a trust policy naming the bare account id, and leaves the role path out of the ARN', async () => {
    await using fx = await fixture();
    const out = await fx.iam.sessions.assumeRole(ROOT, {
      RoleArn: `arn:aws:iam::${ACCT}:role/team/long`,
      RoleSessionName: 's1',
      DurationSeconds: 43_200,
    });
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCT}:assumed-role/long/s1`);
    assert.equal(out.Credentials.Expiration, new Date(T0 + 43_200_000).toISOString());
  });

  it('checks RoleSessionName as AWS does', async () => {
    await using fx = await fixture();
    const assume = (name: string | undefined) =>
      fx.iam.sessions.assumeRole(ROOT, {
        RoleArn: role('app'),
        ...(name === undefined ? {} : { RoleSessionName: name }),
      });
    await rejects(
      assume(undefined),
      'ValidationError',
      "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    );
    await rejects(
      assume('a'),
      'ValidationError',
      /Member must have length greater than or equal to 2$/,
    );
    await rejects(assume('x'.repeat(65)), 'ValidationError', /less than or equal to 64$/);
    await rejects(
      assume('has space'),
      'ValidationError',
      "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    const ok = await assume('a+b=c,d.e@f-g_1');
    assert.match(ok.AssumedRoleUser.Arn, /assumed-role\/app\/a\+b=c,d\.e@f-g_1$/);
  });

  it('bounds DurationSeconds by 900 and the role’s MaxSessionDuration', async () => {
    await using fx = await fixture();
    const assume = (DurationSeconds: number, name = 'app') =>
      fx.iam.sessions.assumeRole(ROOT, {
        RoleArn: name === 'long' ? `arn:aws:iam::${ACCT}:role/team/long` : role(name),
        RoleSessionName: 'dur',
        DurationSeconds,
      });
    await rejects(
      assume(899),
      'ValidationError',
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    await rejects(assume(43_201, 'long'), 'ValidationError', /less than or equal to 43200$/);
    await rejects(
      assume(3601),
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    await rejects(assume(Number.NaN), 'ValidationError', /Member must be an integer$/);
    const short = await assume(900);
    assert.equal(short.Credentials.Expiration, new Date(T0 + 900_000).toISOString());
  });

  it('limits a session assumed by another role session to one hour (role chaining)', async () => {
    await using fx = await fixture();
    const session = `arn:aws:sts::${ACCT}:assumed-role/app/first`;
    await fx.iam.roles.updateAssumeRolePolicy('long', trustPolicy({ AWS: role('app') }));
    const arn = `arn:aws:iam::${ACCT}:role/team/long`;
    await rejects(
      fx.iam.sessions.assumeRole(session, {
        RoleArn: arn,
        RoleSessionName: 'chain',
        DurationSeconds: 7200,
      }),
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    const ok = await fx.iam.sessions.assumeRole(session, {
      RoleArn: arn,
      RoleSessionName: 'chain',
    });
    assert.equal(ok.Credentials.Expiration, new Date(T0 + 3600_000).toISOString());
  });

  it('denies a caller the trust policy does not name, and a role that does not exist, alike', async () => {
    await using fx = await fixture();
    await fx.iam.roles.createRole({
      RoleName: 'svc',
      AssumeRolePolicyDocument: trustPolicy({ Service: 'ecs-tasks.amazonaws.com' }),
    });
    await rejects(
      fx.iam.sessions.assumeRole(ROOT, { RoleArn: role('svc'), RoleSessionName: 'x1' }),
      'AccessDenied',
      `User: ${ROOT} is not authorized to perform: sts:AssumeRole on resource: ${role('svc')}`,
    );
    await rejects(
      fx.iam.sessions.assumeRole(ROOT, { RoleArn: role('nope'), RoleSessionName: 'x1' }),
      'AccessDenied',
      `User: ${ROOT} is not authorized to perform: sts:AssumeRole on resource: ${role('nope')}`,
    );
    // Another account's root is not this account.
    await fx.iam.roles.updateAssumeRolePolicy(
      'app',
      trustPolicy({ AWS: 'arn:aws:iam::111122223333:root' }),
    );
    await rejects(
      fx.iam.sessions.assumeRole(ROOT, { RoleArn: role('app'), RoleSessionName: 'x1' }),
      'AccessDenied',
    );
  });

  it('lets a user the trust policy names assume the role; one trusted only via the account needs a grant', async () => {
    await using fx = await fixture();
    const user = (await fx.iam.users.createUser({ UserName: 'alice' })).Arn;
    await fx.iam.roles.createRole({
      RoleName: 'named',
      AssumeRolePolicyDocument: trustPolicy({ AWS: user }),
    });
    const out = await fx.iam.sessions.assumeRole(user, {
      RoleArn: role('named'),
      RoleSessionName: 'alice',
    });
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCT}:assumed-role/named/alice`);
    await rejects(
      fx.iam.sessions.assumeRole(user, { RoleArn: role('app'), RoleSessionName: 'alice' }),
      'AccessDenied',
      `User: ${user} is not authorized to perform: sts:AssumeRole on resource: ${role('app')}`,
    );
  });

  it('passes ExternalId as sts:ExternalId to the trust conditions', async () => {
    await using fx = await fixture();
    await fx.iam.roles.updateAssumeRolePolicy(
      'app',
      trustPolicy({ AWS: ROOT }, { StringEquals: { 'sts:ExternalId': 'tenant-42' } }),
    );
    const assume = (ExternalId?: string) =>
      fx.iam.sessions.assumeRole(ROOT, {
        RoleArn: role('app'),
        RoleSessionName: 'ext',
        ...(ExternalId === undefined ? {} : { ExternalId }),
      });
    await rejects(assume(), 'AccessDenied');
    await rejects(assume('tenant-43'), 'AccessDenied');
    assert.match((await assume('tenant-42')).Credentials.AccessKeyId, /^ASIA/);
    await rejects(assume('x'), 'ValidationError', /at 'externalId'.*greater than or equal to 2$/);
  });

  it('combines the inline and managed session policies into one document, and sizes it', async () => {
    await using fx = await fixture();
    const inline = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' }],
    });
    const out = await fx.iam.sessions.assumeRole(ROOT, {
      RoleArn: role('app'),
      RoleSessionName: 'scoped',
      Policy: inline,
      PolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
    });
    assert.ok(out.PackedPolicySize !== undefined && out.PackedPolicySize > 0);
    assert.ok(out.PackedPolicySize <= 100);
    const session = await fx.iam.sessions.lookup(out.Credentials.AccessKeyId);
    const statements = session?.sessionPolicy?.['Statement'] as { Action: unknown }[];
    assert.equal(statements[0]?.Action, 'ecs:ListClusters');
    assert.ok(statements.length >= 2, 'the managed policy’s statements follow');

    await rejects(
      fx.iam.sessions.assumeRole(ROOT, {
        RoleArn: role('app'),
        RoleSessionName: 'pol',
        Policy: '{',
      }),
      'MalformedPolicyDocument',
    );
    await rejects(
      fx.iam.sessions.assumeRole(ROOT, {
        RoleArn: role('app'),
        RoleSessionName: 'pol',
        Policy: ' '.repeat(2049),
      }),
      'ValidationError',
      /at 'policy'.*less than or equal to 2048$/,
    );
    await rejects(
      fx.iam.sessions.assumeRole(ROOT, {
        RoleArn: role('app'),
        RoleSessionName: 'pol',
        PolicyArns: [`arn:aws:iam::${ACCT}:policy/missing`],
      }),
      'ValidationError',
      `Policy arn:aws:iam::${ACCT}:policy/missing does not exist or is not attachable.`,
    );
  });

  it('refuses duplicate session tag keys (case-insensitive) and unknown transitive keys', async () => {
    await using fx = await fixture();
    const base = { RoleArn: role('app'), RoleSessionName: 'tags' };
    await rejects(
      fx.iam.sessions.assumeRole(ROOT, {
        ...base,
        Tags: [
          { Key: 'team', Value: 'a' },
          { Key: 'Team', Value: 'b' },
        ],
      }),
      'ValidationError',
      /Duplicate tag keys/,
    );
    await rejects(
      fx.iam.sessions.assumeRole(ROOT, {
        ...base,
        Tags: [{ Key: 'team', Value: 'a' }],
        TransitiveTagKeys: ['cost'],
      }),
      'ValidationError',
    );
    const out = await fx.iam.sessions.assumeRole(ROOT, {
      ...base,
      Tags: [{ Key: 'team', Value: 'a' }],
      TransitiveTagKeys: ['team'],
    });
    const session = await fx.iam.sessions.lookup(out.Credentials.AccessKeyId);
    assert.deepEqual(session?.tags, [{ Key: 'team', Value: 'a' }]);
  });
});

describe('StsSessions.lookup', () => {
  it('finds the session by key, keeps only the token digest, and expires it on the clock', async () => {
    await using fx = await fixture();
    const out = await fx.iam.sessions.assumeRole(ROOT, {
      RoleArn: role('app'),
      RoleSessionName: 'look',
      DurationSeconds: 900,
    });
    const found = await fx.iam.sessions.lookup(out.Credentials.AccessKeyId);
    assert.ok(found);
    assert.equal(found.secretAccessKey, out.Credentials.SecretAccessKey);
    assert.equal(found.sessionTokenSha256, sessionTokenDigest(out.Credentials.SessionToken));
    assert.equal(found.arn, out.AssumedRoleUser.Arn);
    assert.equal(found.userId, out.AssumedRoleUser.AssumedRoleId);
    assert.equal(found.roleArn, role('app'));
    assert.equal(found.expired, false);
    const rows = await fx.store.db.selectFrom('sts_sessions').selectAll().execute();
    assert.ok(!JSON.stringify(rows).includes(out.Credentials.SessionToken));

    await fx.clock.advance(899_000);
    assert.equal((await fx.iam.sessions.lookup(out.Credentials.AccessKeyId))?.expired, false);
    await fx.clock.advance(1000);
    assert.equal((await fx.iam.sessions.lookup(out.Credentials.AccessKeyId))?.expired, true);
    assert.equal(await fx.iam.sessions.lookup('AKIAUNKNOWNUNKNOWN12'), undefined);
    assert.equal(await fx.iam.sessions.lookup('ASIAUNKNOWNUNKNOWN12'), undefined);
  });

  it('keeps a session across a restart: the row is committed before the answer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cronbridge-sts-'));
    try {
      const clock = new ManualClock(T0);
      const first = await openStore({ dataDir: dir });
      const iam = new IamService({ store: first, clock, context: DEFAULT_CONTEXT });
      await iam.roles.createRole({
        RoleName: 'app',
        AssumeRolePolicyDocument: trustPolicy({ AWS: ROOT }),
      });
      const out = await iam.sessions.assumeRole(ROOT, {
        RoleArn: role('app'),
        RoleSessionName: 'keep',
      });
      await first.close();
      const second = await openStore({ dataDir: dir });
      try {
        const again = new IamService({ store: second, clock, context: DEFAULT_CONTEXT });
        const found = await again.sessions.lookup(out.Credentials.AccessKeyId);
        assert.equal(found?.arn, out.AssumedRoleUser.Arn);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('forgets the sessions of a deleted role, even when a role of that name is made again', async () => {
    await using fx = await fixture();
    const out = await fx.iam.sessions.assumeRole(ROOT, {
      RoleArn: role('app'),
      RoleSessionName: 'gone',
    });
    await fx.iam.roles.deleteRole('app');
    assert.equal(await fx.iam.sessions.lookup(out.Credentials.AccessKeyId), undefined);
    await fx.iam.roles.createRole({
      RoleName: 'app',
      AssumeRolePolicyDocument: trustPolicy({ AWS: ROOT }),
    });
    assert.equal(await fx.iam.sessions.lookup(out.Credentials.AccessKeyId), undefined);
  });

  it('prunes sessions expired for longer than the retention when issuing a new one', async () => {
    await using fx = await fixture();
    const assume = (name: string) =>
      fx.iam.sessions.assumeRole(ROOT, {
        RoleArn: role('app'),
        RoleSessionName: name,
        DurationSeconds: 900,
      });
    const old = await assume('old');
    await fx.clock.advance(900_000 + EXPIRED_SESSION_RETENTION_MS - 1000);
    await assume('mid');
    assert.equal((await fx.iam.sessions.lookup(old.Credentials.AccessKeyId))?.expired, true);
    await fx.clock.advance(2000);
    await assume('new');
    assert.equal(await fx.iam.sessions.lookup(old.Credentials.AccessKeyId), undefined);
    const rows = await fx.store.db.selectFrom('sts_sessions').select('session_name').execute();
    assert.deepEqual(rows.map((r) => r.session_name).sort(), ['mid', 'new']);
  });
});
