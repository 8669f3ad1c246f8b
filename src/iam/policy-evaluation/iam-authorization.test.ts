/**
 * The classic system's roles, made through IamService on an in-memory store and judged by
 * IamAuthorization on the real evaluator: the events role may RunTask the task definition only in
 * its cluster and may pass only the task and execution roles; the execution role (AWS-managed
 * AmazonECSTaskExecutionRolePolicy) may write logs; the trust policy admits events.amazonaws.com
 * only. Root bypasses identity policies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../../platform/ids.ts';
import { openStore } from '../../store/open-store.ts';
import { IamService } from '../iam.service.ts';
import { IamSimulateEvaluator } from './iam-simulate.evaluator.ts';
import { IamAuthorization } from './iam-authorization.ts';
import { accessDeniedMessage } from './policy-evaluator.ts';

const ACCT = DEFAULT_CONTEXT.accountId;
const REGION = 'us-east-1';
const NOW = Date.UTC(2026, 11, 3, 16, 0);
const CLUSTER = `arn:aws:ecs:${REGION}:${ACCT}:cluster/prod`;
const OTHER_CLUSTER = `arn:aws:ecs:${REGION}:${ACCT}:cluster/dev`;
const TD = `arn:aws:ecs:${REGION}:${ACCT}:task-definition/nightly:1`;
const role = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;
const RULE = `arn:aws:events:${REGION}:${ACCT}:rule/nightly`;

const trustFor = (service: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });

async function fixture() {
  const store = await openStore({ dataDir: ':memory:' });
  const iam = new IamService({ store, clock: new ManualClock(NOW), context: DEFAULT_CONTEXT });
  for (const name of ['task', 'exec']) {
    await iam.roles.createRole({
      RoleName: name,
      AssumeRolePolicyDocument: trustFor('ecs-tasks.amazonaws.com'),
    });
  }
  await iam.roles.createRole({
    RoleName: 'other',
    AssumeRolePolicyDocument: trustFor('ecs-tasks.amazonaws.com'),
  });
  await iam.roles.createRole({
    RoleName: 'events',
    AssumeRolePolicyDocument: trustFor('events.amazonaws.com'),
  });
  await iam.roles.putRolePolicy(
    'events',
    'run-nightly',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'ecs:RunTask',
          Resource: `arn:aws:ecs:${REGION}:${ACCT}:task-definition/nightly:*`,
          Condition: { ArnEquals: { 'ecs:cluster': CLUSTER } },
        },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: [role('task'), role('exec')] },
      ],
    }),
  );
  await iam.roles.attachRolePolicy(
    'exec',
    'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
  );
  const auth = new IamAuthorization(iam, new IamSimulateEvaluator(), ACCT);
  return { iam, auth, [Symbol.asyncDispose]: () => store.close() };
}

const events = `arn:aws:sts::${ACCT}:assumed-role/events/rule-nightly`;

describe('IamAuthorization: the classic scheduled-task roles', () => {
  it('reads inline and attached managed documents of a role and of its sessions', async () => {
    await using fx = await fixture();
    assert.deepEqual(
      (await fx.iam.identityPolicies(role('events'))).map((p) => p.name),
      ['run-nightly'],
    );
    assert.deepEqual(
      (await fx.iam.identityPolicies(events)).map((p) => p.name),
      ['run-nightly'],
    );
    const exec = await fx.iam.identityPolicies(role('exec'));
    assert.deepEqual(
      exec.map((p) => p.name),
      ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
    );
    assert.deepEqual(await fx.iam.identityPolicies(`arn:aws:iam::${ACCT}:role/nobody`), []);
  });

  it('allows RunTask of the task definition in its cluster, not in another', async () => {
    await using fx = await fixture();
    const ask = (cluster: string) =>
      fx.auth.authorize({
        principal: events,
        action: 'ecs:RunTask',
        resources: [TD],
        context: { 'ecs:cluster': cluster },
        region: REGION,
        now: NOW,
      });
    assert.equal((await ask(CLUSTER)).outcome, 'Allowed');
    const other = await ask(OTHER_CLUSTER);
    assert.equal(other.outcome, 'ImplicitlyDenied');
    assert.equal(
      accessDeniedMessage(other),
      `User: ${events} is not authorized to perform: ecs:RunTask on resource: ${TD} because no identity-based policy allows the ecs:RunTask action`,
    );
  });

  it('allows passing the task and execution roles, not a third one', async () => {
    await using fx = await fixture();
    const pass = (...roles: string[]) =>
      fx.auth.authorize({
        principal: events,
        action: 'iam:PassRole',
        resources: roles,
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
        region: REGION,
        now: NOW,
      });
    assert.equal((await pass(role('task'), role('exec'))).allowed, true);
    const third = await pass(role('task'), role('other'));
    assert.equal(third.allowed, false);
    assert.equal(third.resource, role('other'));
  });

  it('lets the execution role write its log stream through the AWS-managed policy', async () => {
    await using fx = await fixture();
    const stream = `arn:aws:logs:${REGION}:${ACCT}:log-group:/ecs/nightly:log-stream:ecs/app/abc`;
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      const d = await fx.auth.authorize({
        principal: role('exec'),
        action,
        resources: [stream],
        region: REGION,
        now: NOW,
      });
      assert.equal(d.outcome, 'Allowed', action);
    }
    const d = await fx.auth.authorize({
      principal: role('exec'),
      action: 'logs:DeleteLogGroup',
      resources: [`arn:aws:logs:${REGION}:${ACCT}:log-group:/ecs/nightly`],
      region: REGION,
      now: NOW,
    });
    assert.equal(d.outcome, 'ImplicitlyDenied');
  });

  it('trusts events.amazonaws.com, not scheduler.amazonaws.com, and no missing role', async () => {
    await using fx = await fixture();
    const assume = (principal: string, roleArn = role('events')) =>
      fx.auth.assumeRole({
        principal,
        roleArn,
        context: { 'aws:SourceArn': RULE, 'aws:SourceAccount': ACCT },
        region: REGION,
        now: NOW,
      });
    assert.equal((await assume('events.amazonaws.com')).allowed, true);
    const scheduler = await assume('scheduler.amazonaws.com');
    assert.equal(scheduler.outcome, 'ImplicitlyDenied');
    assert.equal(scheduler.deniedBy, 'resource');
    assert.match(
      accessDeniedMessage(scheduler),
      /because no resource-based policy allows the sts:AssumeRole action$/,
    );
    assert.equal((await assume('events.amazonaws.com', role('missing'))).allowed, false);
  });

  it('honours a trust condition on aws:SourceArn', async () => {
    await using fx = await fixture();
    await fx.iam.roles.updateAssumeRolePolicy(
      'events',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { ArnEquals: { 'aws:SourceArn': RULE } },
          },
        ],
      }),
    );
    const assume = (sourceArn: string) =>
      fx.auth.assumeRole({
        principal: 'events.amazonaws.com',
        roleArn: role('events'),
        context: { 'aws:SourceArn': sourceArn },
        region: REGION,
        now: NOW,
      });
    assert.equal((await assume(RULE)).allowed, true);
    assert.equal((await assume(`${RULE}-2`)).allowed, false);
  });

  it('an IAM principal named in the trust policy may assume without an identity grant; one only trusted via the account needs one', async () => {
    await using fx = await fixture();
    const user = `arn:aws:iam::${ACCT}:user/alice`;
    const trust = (principal: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
      });
    await fx.iam.roles.createRole({ RoleName: 'named', AssumeRolePolicyDocument: trust(user) });
    await fx.iam.roles.createRole({
      RoleName: 'account',
      AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCT}:root`),
    });
    const assume = (name: string) =>
      fx.auth.assumeRole({ principal: user, roleArn: role(name), now: NOW });
    assert.equal((await assume('named')).allowed, true);
    assert.equal((await assume('account')).allowed, false);
  });

  it('root bypasses identity policies; an explicit deny still binds a role', async () => {
    await using fx = await fixture();
    const root = `arn:aws:iam::${ACCT}:root`;
    const d = await fx.auth.authorize({
      principal: root,
      action: 'ecs:DeleteCluster',
      resources: [CLUSTER],
      region: REGION,
      now: NOW,
    });
    assert.equal(d.allowed, true);
    await fx.iam.roles.putRolePolicy(
      'events',
      'deny-dev',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Action: 'ecs:*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
          },
        ],
      }),
    );
    const denied = await fx.auth.authorize({
      principal: events,
      action: 'ecs:RunTask',
      resources: [TD],
      context: { 'ecs:cluster': CLUSTER },
      region: REGION,
      now: NOW,
    });
    assert.equal(denied.outcome, 'ExplicitlyDenied');
    const elsewhere = await fx.auth.authorize({
      principal: events,
      action: 'ecs:RunTask',
      resources: [TD],
      context: { 'ecs:cluster': CLUSTER },
      region: 'eu-west-1',
      now: NOW,
    });
    assert.equal(elsewhere.outcome, 'Allowed');
  });

  it('fills aws:PrincipalArn with the role ARN for a session', async () => {
    await using fx = await fixture();
    await fx.iam.roles.putRolePolicy(
      'task',
      'self',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'ecs:ListClusters',
            Resource: '*',
            Condition: { ArnEquals: { 'aws:PrincipalArn': role('task') } },
          },
        ],
      }),
    );
    const d = await fx.auth.authorize({
      principal: `arn:aws:sts::${ACCT}:assumed-role/task/s`,
      action: 'ecs:ListClusters',
      resources: ['*'],
      now: NOW,
    });
    assert.equal(d.allowed, true);
  });
});
