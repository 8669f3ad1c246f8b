/**
 * Debian's AWS CLI v2 (/usr/bin/aws) and STS AssumeRole in ap-northeast-1: the root user makes a
 * role trusting its account and assumes it; the CLI with the session's three values (key, secret,
 * AWS_SESSION_TOKEN) is the assumed role; the same key fails with ExpiredToken once the engine's
 * clock passes the expiry, with the invalid-token code when the token is garbled, and AssumeRole
 * of a role trusting only a service is AccessDenied. Needs no Docker; skips with a message when
 * the CLI is missing, unless RUN_INTEGRATION_TESTS=1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestEngine, type TestEngine } from '../../src/engine/engine.fixture.ts';
import { ManualClock, SystemClock } from '../../src/platform/clock.ts';
import { AWS_CLI, awsCliEnv, awsCliGate, runProcess } from '../support/aws-cli.ts';

const skip = awsCliGate();
if (skip) console.log(`# ${skip}`);

const REGION = 'ap-northeast-1';
const ACCT = '000000000000';

interface Session {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

describe('AWS CLI v2 and STS AssumeRole', { skip }, () => {
  let fx: TestEngine;
  let clock: ManualClock;

  before(async () => {
    // Sessions expire on the engine's clock; the CLI's signatures are checked on the real one.
    clock = new ManualClock(new SystemClock().now());
    fx = await startTestEngine({ runtime: 'memory', clock });
  });
  after(async () => {
    await fx?.close();
  });

  const aws = (keys: Record<string, string>, ...args: string[]) =>
    runProcess(AWS_CLI, ['--endpoint-url', fx.url, '--output', 'json', ...args], {
      env: awsCliEnv({ AWS_DEFAULT_REGION: REGION, ...keys }),
    });
  const root = (...args: string[]) => aws({}, ...args);
  const as = (s: Session, ...args: string[]) =>
    aws(
      {
        AWS_ACCESS_KEY_ID: s.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: s.SecretAccessKey,
        AWS_SESSION_TOKEN: s.SessionToken,
      },
      ...args,
    );
  const errorCode = (stderr: string) => /An error occurred \(([^)]+)\)/.exec(stderr)?.[1];

  const trust = (principal: unknown) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
    });

  async function assumeRole(role: string, session: string, ...extra: string[]) {
    const res = await root(
      'sts',
      'assume-role',
      '--role-arn',
      `arn:aws:iam::${ACCT}:role/${role}`,
      '--role-session-name',
      session,
      ...extra,
    );
    return res;
  }

  it('root assumes a role trusting the account; the session answers as the assumed role', async () => {
    const made = await root(
      'iam',
      'create-role',
      '--role-name',
      'cli-deployer',
      '--assume-role-policy-document',
      trust({ AWS: `arn:aws:iam::${ACCT}:root` }),
    );
    assert.equal(made.code, 0, made.stderr);
    const res = await assumeRole('cli-deployer', 'cli-session', '--duration-seconds', '900');
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as {
      Credentials: Session & { Expiration: string };
      AssumedRoleUser: { Arn: string; AssumedRoleId: string };
    };
    assert.match(out.Credentials.AccessKeyId, /^ASIA/);
    assert.equal(
      out.AssumedRoleUser.Arn,
      `arn:aws:sts::${ACCT}:assumed-role/cli-deployer/cli-session`,
    );
    const me = await as(out.Credentials, 'sts', 'get-caller-identity');
    assert.equal(me.code, 0, me.stderr);
    assert.deepEqual(JSON.parse(me.stdout), {
      UserId: out.AssumedRoleUser.AssumedRoleId,
      Account: ACCT,
      Arn: out.AssumedRoleUser.Arn,
    });

    const garbled = { ...out.Credentials, SessionToken: `x${out.Credentials.SessionToken}` };
    const bad = await as(garbled, 'sts', 'get-caller-identity');
    assert.equal(errorCode(bad.stderr), 'InvalidClientTokenId', bad.stderr);
    const badEcs = await as(garbled, 'ecs', 'list-clusters');
    assert.equal(errorCode(badEcs.stderr), 'UnrecognizedClientException', badEcs.stderr);

    await clock.advance(900_000);
    const expired = await as(out.Credentials, 'sts', 'get-caller-identity');
    assert.equal(errorCode(expired.stderr), 'ExpiredToken', expired.stderr);
    assert.match(expired.stderr, /The security token included in the request is expired/);
    const expiredEcs = await as(out.Credentials, 'ecs', 'list-clusters');
    assert.equal(errorCode(expiredEcs.stderr), 'ExpiredTokenException', expiredEcs.stderr);
  });

  it('a role trusting only a service is AccessDenied to root', async () => {
    const made = await root(
      'iam',
      'create-role',
      '--role-name',
      'cli-tasks',
      '--assume-role-policy-document',
      trust({ Service: 'ecs-tasks.amazonaws.com' }),
    );
    assert.equal(made.code, 0, made.stderr);
    const res = await assumeRole('cli-tasks', 'denied');
    assert.equal(errorCode(res.stderr), 'AccessDenied', res.stderr);
    assert.match(
      res.stderr,
      new RegExp(
        `User: arn:aws:iam::${ACCT}:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCT}:role/cli-tasks`,
      ),
    );
  });
});
