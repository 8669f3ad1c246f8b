/** IamService on an in-memory store with a ManualClock: dates, ids, rules and conflicts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { ServiceError } from '../platform/errors.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { openStore } from '../store/open-store.ts';
import { IamService } from './iam.service.ts';

const T0 = Date.UTC(2026, 0, 1);
const TRUST =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const POLICY =
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:RunTask","Resource":"*"}}';

async function fixture() {
  const store = await openStore({ dataDir: ':memory:' });
  const clock = new ManualClock(T0);
  const iam = new IamService({
    store,
    clock,
    context: { ...DEFAULT_CONTEXT, region: 'ap-northeast-1' },
  });
  return { store, clock, iam, [Symbol.asyncDispose]: () => store.close() };
}

async function rejects(promise: Promise<unknown>, code: string, message?: RegExp | string) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ServiceError, String(err));
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

describe('IamService roles', () => {
  it('builds a global ARN, an AROA id and the clock time, and keeps the document URL-encoded', async () => {
    await using fx = await fixture();
    const role = await fx.iam.roles.createRole({
      RoleName: 'ecsEventsRole',
      AssumeRolePolicyDocument: TRUST,
    });
    assert.equal(role.Arn, 'arn:aws:iam::000000000000:role/ecsEventsRole');
    assert.match(role.RoleId, /^AROA[A-Z0-9]{17}$/);
    assert.equal(role.CreateDate, '2026-01-01T00:00:00.000Z');
    assert.equal(role.AssumeRolePolicyDocument, encodeURIComponent(TRUST));
    await fx.clock.advance(1000);
    const later = await fx.iam.roles.createRole({
      RoleName: 'second',
      AssumeRolePolicyDocument: TRUST,
    });
    assert.equal(later.CreateDate, '2026-01-01T00:00:01.000Z');
  });

  it('checks names, paths, session durations and trust documents', async () => {
    await using fx = await fixture();
    const create = (extra: object) =>
      fx.iam.roles.createRole({ RoleName: 'r', AssumeRolePolicyDocument: TRUST, ...extra });
    await rejects(
      create({ RoleName: 'a'.repeat(65) }),
      'ValidationError',
      /length less than or equal to 64/,
    );
    await rejects(create({ RoleName: 'a/b' }), 'ValidationError', /regular expression pattern/);
    await rejects(create({ Path: 'nopath' }), 'ValidationError', /at 'path'/);
    await rejects(create({ MaxSessionDuration: 60 }), 'ValidationError', /between 3600 and 43200/);
    await rejects(
      create({ AssumeRolePolicyDocument: '[]' }),
      'MalformedPolicyDocument',
      'This policy contains invalid Json',
    );
    await rejects(
      create({ AssumeRolePolicyDocument: POLICY }),
      'MalformedPolicyDocument',
      'Missing required field Principal',
    );
    await rejects(
      create({ AssumeRolePolicyDocument: TRUST.replace('"Service"', '"Robot"') }),
      'MalformedPolicyDocument',
      /Invalid principal/,
    );
    const ok = await create({ Path: '/a/b/' });
    assert.equal(ok.Arn, 'arn:aws:iam::000000000000:role/a/b/r');
  });

  it('refuses an identity policy with a principal or without a resource', async () => {
    await using fx = await fixture();
    await fx.iam.roles.createRole({ RoleName: 'r', AssumeRolePolicyDocument: TRUST });
    await rejects(
      fx.iam.roles.putRolePolicy('r', 'p', TRUST),
      'MalformedPolicyDocument',
      'Policy document should not specify a principal.',
    );
    await rejects(
      fx.iam.roles.putRolePolicy('r', 'p', '{"Statement":[{"Effect":"Allow","Action":"*"}]}'),
      'MalformedPolicyDocument',
      'Missing required field Resource',
    );
    await rejects(
      fx.iam.roles.putRolePolicy('ghost', 'p', POLICY),
      'NoSuchEntity',
      'The role with name ghost cannot be found.',
    );
  });

  it("applies AWS's role quotas and filters attached policies by path", async () => {
    await using fx = await fixture();
    await fx.iam.roles.createRole({ RoleName: 'r', AssumeRolePolicyDocument: TRUST });
    // Inline: 10,240 characters for all of a role's policies together, whitespace not counted.
    const big = (n: number) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: 'ecs:RunTask',
          Resource: `arn:aws:ecs:*:*:${'x'.repeat(n)}`,
        },
      });
    await fx.iam.roles.putRolePolicy('r', 'a', big(6_000));
    await rejects(
      fx.iam.roles.putRolePolicy('r', 'b', big(6_000)),
      'LimitExceeded',
      'Maximum policy size of 10240 bytes exceeded for role r',
    );
    await fx.iam.roles.putRolePolicy('r', 'a', big(9_000)); // replacing 'a' is measured alone

    // Managed: ten at most; attaching one again changes nothing.
    const arns: string[] = [];
    for (let i = 0; i < 10; i++) {
      const path = i % 2 === 0 ? '/team/' : '/';
      const made = await fx.iam.policies.createPolicy({
        PolicyName: `p${i}`,
        Path: path,
        PolicyDocument: POLICY,
      });
      arns.push(made.Arn);
      await fx.iam.roles.attachRolePolicy('r', made.Arn);
    }
    await fx.iam.roles.attachRolePolicy('r', arns[0]);
    const extra = await fx.iam.policies.createPolicy({ PolicyName: 'p10', PolicyDocument: POLICY });
    await rejects(
      fx.iam.roles.attachRolePolicy('r', extra.Arn),
      'LimitExceeded',
      'Cannot exceed quota for PoliciesPerRole: 10',
    );
    const team = await fx.iam.roles.listAttachedRolePolicies('r', { PathPrefix: '/team/' });
    assert.deepEqual(team.items.map((p) => p.PolicyName).sort(), ['p0', 'p2', 'p4', 'p6', 'p8']);
  });

  it('pages roles by marker', async () => {
    await using fx = await fixture();
    for (const name of ['c', 'a', 'b']) {
      await fx.iam.roles.createRole({ RoleName: name, AssumeRolePolicyDocument: TRUST });
    }
    const first = await fx.iam.roles.listRoles({ MaxItems: 2 });
    assert.deepEqual(
      first.items.map((r) => r.RoleName),
      ['a', 'b'],
    );
    assert.equal(first.IsTruncated, true);
    const second = await fx.iam.roles.listRoles({
      MaxItems: 2,
      ...(first.Marker ? { Marker: first.Marker } : {}),
    });
    assert.deepEqual(
      second.items.map((r) => r.RoleName),
      ['c'],
    );
    assert.equal(second.IsTruncated, false);
  });

  it('deletes a role only once its policies are gone', async () => {
    await using fx = await fixture();
    await fx.iam.roles.createRole({ RoleName: 'r', AssumeRolePolicyDocument: TRUST });
    const arn = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceEventsRole';
    await fx.iam.roles.attachRolePolicy('r', arn);
    await rejects(fx.iam.roles.deleteRole('r'), 'DeleteConflict');
    await fx.iam.roles.detachRolePolicy('r', arn);
    await rejects(fx.iam.roles.detachRolePolicy('r', arn), 'NoSuchEntity');
    await fx.iam.roles.deleteRole('r');
    await rejects(fx.iam.roles.deleteRole('r'), 'NoSuchEntity');
  });
});

describe('IamService managed policies', () => {
  it('serves the AWS-managed documents and refuses to delete them', async () => {
    await using fx = await fixture();
    const arn = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceEventsRole';
    const version = await fx.iam.policies.getPolicyVersion(arn, 'v3');
    assert.match(
      decodeURIComponent(version.Document),
      /"iam:PassedToService":"ecs-tasks.amazonaws.com"/,
    );
    await rejects(fx.iam.policies.getPolicyVersion(arn, 'v1'), 'NoSuchEntity');
    await rejects(fx.iam.policies.deletePolicy(arn), 'ValidationError');
  });

  it('refuses a second policy of the same name', async () => {
    await using fx = await fixture();
    await fx.iam.policies.createPolicy({ PolicyName: 'p', PolicyDocument: POLICY });
    await rejects(
      fx.iam.policies.createPolicy({ PolicyName: 'p', Path: '/x/', PolicyDocument: POLICY }),
      'EntityAlreadyExists',
    );
  });
});
