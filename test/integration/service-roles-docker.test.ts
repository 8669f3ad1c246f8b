/**
 * The classic system on real Docker with its IAM roles enforced: a scheduled rule whose ECS
 * target role EventBridge assumes, a task execution role the awslogs driver writes with, and a
 * task role, all made through the IAM API. The well-made system fires and its container logs;
 * the same rule with `iam:PassRole` removed, with the `ecs:cluster` condition naming another
 * cluster, or with a trust policy for another service starts no task and its history shows the
 * FailedInvocation with AWS's reason; a task whose execution role cannot write its log group
 * stops with ResourceInitializationError before any container runs. The engine's clock is
 * manual (the rules fire when the test moves it); the containers run in real time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';

import { defaultNetwork } from '../../src/engine/engine.test-support.ts';
import {
  type RoleWriter,
  apiRoles,
  trustPolicyFor,
} from '../../src/engine/service-roles.test-support.ts';
import type { RuleTarget } from '../../src/events/target.types.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';
import { integrationGate, TEST_IMAGE } from '../support/docker.ts';
import { AWS_TEST_CLIENT, testEngine, type TestEngine } from '../support/test-engine.ts';

const skip = await integrationGate();
const T0 = Date.parse('2026-07-01T10:00:00Z');
const ACCOUNT = DEFAULT_CONTEXT.accountId;
const ECS = `arn:aws:ecs:us-east-1:${ACCOUNT}`;
const JOBS = `${ECS}:cluster/jobs`;
const OTHER = `${ECS}:cluster/other`;
const DLQ = `arn:aws:sqs:us-east-1:${ACCOUNT}:role-failures`;

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('service roles enforced on real Docker', { skip }, () => {
  const clock = new ManualClock(T0);
  let fx: TestEngine;
  let iam: RoleWriter;
  const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

  /** The classic events role's policy, with `runOn` as the `ecs:cluster` condition. */
  const eventsPolicy = (runOn: string, passRole: boolean) =>
    doc(
      {
        Effect: 'Allow',
        Action: 'ecs:RunTask',
        Resource: [`${ECS}:task-definition/classic:*`, `${ECS}:task-definition/mute:*`],
        Condition: { ArnEquals: { 'ecs:cluster': runOn } },
      },
      ...(passRole
        ? [
            {
              Effect: 'Allow',
              Action: 'iam:PassRole',
              Resource: [role('classic-exec'), role('classic-task'), role('mute-exec')],
              Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
            },
          ]
        : []),
    );

  async function eventsRole(name: string, trusted: string, policy: string): Promise<string> {
    const arn = await iam.createRole(name, trustPolicyFor(trusted));
    await iam.putRolePolicy(name, 'run-classic', policy);
    return arn;
  }

  async function taskDefinition(family: string, executionRole: string): Promise<void> {
    await fx.engine.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: role(executionRole),
      taskRoleArn: role('classic-task'),
      containerDefinitions: [
        {
          name: 'app',
          image: TEST_IMAGE,
          command: ['sh', '-c', `echo "${family} ran"`],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/classic',
              'awslogs-region': 'us-east-1',
              'awslogs-stream-prefix': 'ecs',
            },
          },
        },
      ],
    });
  }

  async function rule(name: string, roleArn: string, family: string): Promise<string> {
    const { subnets } = await defaultNetwork(fx.engine);
    const { RuleArn } = await fx.engine.events.putRule(DEFAULT_CONTEXT, {
      Name: name,
      ScheduleExpression: 'rate(1 minute)',
    });
    const target: RuleTarget = {
      Id: 'job',
      Arn: JOBS,
      RoleArn: roleArn,
      DeadLetterConfig: { Arn: DLQ },
      EcsParameters: {
        TaskDefinitionArn: `${ECS}:task-definition/${family}`,
        LaunchType: 'FARGATE',
        NetworkConfiguration: {
          awsvpcConfiguration: { Subnets: subnets, AssignPublicIp: 'ENABLED' },
        },
      },
    };
    await fx.engine.events.putTargets(DEFAULT_CONTEXT, { Rule: name, Targets: [target] });
    return RuleArn ?? '';
  }

  const rules: Record<string, string> = {};
  const stoppedTasks = new Map<string, string>();
  const settled = new Map<string, string>();

  before(async () => {
    fx = await testEngine({ prefix: 'roles', clock, startFiring: true });
    iam = apiRoles(fx.url);
    await fx.engine.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'jobs' });
    await fx.engine.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'other' });
    await fx.engine.logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/classic' });

    // The task execution role may write the group's streams; `mute-exec` may not.
    await iam.createRole('classic-exec', trustPolicyFor('ecs-tasks.amazonaws.com'));
    await iam.putRolePolicy(
      'classic-exec',
      'awslogs',
      doc({
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/classic:*`,
      }),
    );
    await iam.createRole('mute-exec', trustPolicyFor('ecs-tasks.amazonaws.com'));
    await iam.createRole('classic-task', trustPolicyFor('ecs-tasks.amazonaws.com'));
    await taskDefinition('classic', 'classic-exec');
    await taskDefinition('mute', 'mute-exec');

    const classic = await eventsRole(
      'classic-events',
      'events.amazonaws.com',
      eventsPolicy(JOBS, true),
    );
    rules.classic = await rule('classic', classic, 'classic');
    rules.mute = await rule('mute', classic, 'mute');
    rules.noPassRole = await rule(
      'no-pass-role',
      await eventsRole('no-pass-role-events', 'events.amazonaws.com', eventsPolicy(JOBS, false)),
      'classic',
    );
    rules.otherCluster = await rule(
      'other-cluster',
      await eventsRole('other-cluster-events', 'events.amazonaws.com', eventsPolicy(OTHER, true)),
      'classic',
    );
    rules.wrongTrust = await rule(
      'wrong-trust',
      await eventsRole('wrong-trust-events', 'scheduler.amazonaws.com', eventsPolicy(JOBS, true)),
      'classic',
    );

    // Every rule fires once at T0 + 1 min: two tasks run to their end, three invocations fail.
    const tasksDone = new Promise<void>((resolve) => {
      const off = fx.engine.supervisor.on((e) => {
        if (e.type !== 'task:stopped') return;
        stoppedTasks.set(e.taskArn, e.reason);
        if (stoppedTasks.size === 2) {
          off();
          resolve();
        }
      });
    });
    const invocationsDone = new Promise<void>((resolve) => {
      const off = fx.engine.invoker.events.on((e) => {
        if (e.type !== 'invoke:succeeded' && e.type !== 'invoke:deadLettered') return;
        settled.set(e.ruleArn, e.type);
        if (settled.size === 5) {
          off();
          resolve();
        }
      });
    });
    await clock.advance(60_000);
    await invocationsDone;
    // No second slot: the rules are done once they fired.
    for (const name of ['classic', 'mute', 'no-pass-role', 'other-cluster', 'wrong-trust']) {
      await fx.engine.events.disableRule(DEFAULT_CONTEXT, { Name: name });
    }
    await tasksDone;
  });

  after(async () => {
    await fx?.[Symbol.asyncDispose]();
  });

  async function onlyInvocation(ruleArn: string) {
    const slots = await fx.engine.history.slots({ ruleArn });
    assert.equal(slots.length, 1);
    const inv = slots[0]?.invocations[0];
    assert.ok(inv);
    return inv;
  }

  it('the classic system fires, runs its container and logs its line', async () => {
    assert.equal(settled.get(rules.classic!), 'invoke:succeeded');
    const inv = await onlyInvocation(rules.classic!);
    const [taskArn] = inv.taskArns;
    assert.ok(taskArn);
    const {
      tasks: [task],
    } = await fx.engine.ecs.describeTasks(DEFAULT_CONTEXT, { cluster: 'jobs', tasks: [taskArn] });
    assert.equal(task?.stopCode, 'EssentialContainerExited');
    assert.equal(task?.containers[0]?.exitCode, 0);
    const events = await fx.engine.logs.getLogEvents(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/classic',
      logStreamName: `ecs/app/${taskArn.split('/').at(-1)}`,
      startFromHead: true,
    });
    assert.deepEqual(
      events.events.map((e) => e.message),
      ['classic ran'],
    );
  });

  const failures: [string, string, RegExp][] = [
    [
      'noPassRole',
      'NO_PERMISSIONS',
      /^User: arn:aws:sts::000000000000:assumed-role\/no-pass-role-events\/[0-9a-f]{32} is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role\/classic-task because no identity-based policy allows the iam:PassRole action$/,
    ],
    [
      'otherCluster',
      'NO_PERMISSIONS',
      /^User: arn:aws:sts::000000000000:assumed-role\/other-cluster-events\/[0-9a-f]{32} is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:us-east-1:000000000000:task-definition\/classic:1 because no identity-based policy allows the ecs:RunTask action$/,
    ],
    [
      'wrongTrust',
      'FAILED_TO_ASSUME_ROLE',
      /^User: events\.amazonaws\.com is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role\/wrong-trust-events/,
    ],
  ];
  for (const [key, code, message] of failures) {
    it(`${key}: no task starts, the history shows the FailedInvocation and its reason`, async () => {
      const ruleArn = rules[key]!;
      assert.equal(settled.get(ruleArn), 'invoke:deadLettered');
      const inv = await onlyInvocation(ruleArn);
      assert.equal(inv.status, 'FAILED');
      assert.deepEqual(inv.taskArns, []);
      assert.equal(inv.attempts.length, 1, 'permission errors are not retried');
      assert.equal(inv.attempts[0]?.errorCode, code);
      assert.match(inv.attempts[0]?.errorMessage ?? '', message);
      const letter = ((await fx.engine.history.deadLetters())[DLQ] ?? []).find(
        (d) => d.ruleArn === ruleArn,
      );
      assert.equal(letter?.errorCode, code);
      assert.equal(fx.engine.metrics.get(ruleArn, 'FailedInvocations'), 1);
    });
  }

  it('a task whose execution role cannot write its log group stops before it runs', async () => {
    assert.equal(settled.get(rules.mute!), 'invoke:succeeded');
    const inv = await onlyInvocation(rules.mute!);
    const [taskArn] = inv.taskArns;
    assert.ok(taskArn);
    const {
      tasks: [task],
    } = await fx.engine.ecs.describeTasks(DEFAULT_CONTEXT, { cluster: 'jobs', tasks: [taskArn] });
    assert.equal(task?.lastStatus, 'STOPPED');
    assert.equal(task?.stopCode, 'TaskFailedToStart');
    assert.match(
      task?.stoppedReason ?? '',
      /^ResourceInitializationError: failed to validate logger args: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role\/mute-exec\/[0-9a-f]{32} is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:000000000000:log-group:\/ecs\/classic:log-stream:ecs\/app\/[0-9a-f]{32} because no identity-based policy allows the logs:CreateLogStream action/,
    );
    assert.equal(task?.startedAt, undefined, 'no container ran');
    assert.equal(stoppedTasks.get(taskArn), task?.stoppedReason);
  });

  it('a role given its missing right through the IAM API runs on the next slot', async () => {
    // The fix a user makes: grant PassRole, and the same rule's next slot runs its task.
    const client = new IAMClient({ endpoint: fx.url, ...AWS_TEST_CLIENT });
    try {
      await client.send(
        new PutRolePolicyCommand({
          RoleName: 'no-pass-role-events',
          PolicyName: 'run-classic',
          PolicyDocument: eventsPolicy(JOBS, true),
        }),
      );
    } finally {
      client.destroy();
    }
    const succeeded = fx.engine.invoker.events.next(
      'invoke:succeeded',
      (e) => e.ruleArn === rules.noPassRole,
    );
    await fx.engine.events.enableRule(DEFAULT_CONTEXT, { Name: 'no-pass-role' });
    await clock.advance(60_000);
    await succeeded;
  });
});
