/**
 * Service roles enforced on a whole engine (in-memory runtime, ManualClock): a scheduled rule
 * invokes its ECS target only when EventBridge may assume the target's role and that role may
 * run the task (with `ecs:cluster`) and pass the task's roles; otherwise the invocation fails
 * with EventBridge's dead-letter code and IAM's message, is not retried, is dead-lettered and
 * counted. A task whose execution role may not write its log group stops before any container.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fargateDefinition } from '../ecs/ecs.test-support.ts';
import type { RuleTarget } from '../events/target.types.ts';
import { ManualClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { MemoryRuntime } from '../runtime/memory-runtime.ts';
import { startTestEngine } from './engine.fixture.ts';
import { defaultNetwork } from './engine.test-support.ts';
import {
  type ServiceRoles,
  createServiceRoles,
  engineRoles,
  trustPolicyFor,
} from './service-roles.test-support.ts';

const T0 = Date.parse('2026-06-01T12:00:30Z');
const IMAGE = 'busybox:latest';
const ACCOUNT = DEFAULT_CONTEXT.accountId;
const CLUSTER_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/jobs`;
const RULE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly`;
const DLQ = `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq`;

async function engineWithRule(eventsPolicy?: object, trustService?: string) {
  const clock = new ManualClock(T0);
  const runtime = new MemoryRuntime({
    clock,
    localImages: [IMAGE],
    scripts: { [IMAGE]: { exitAfterMs: 1000 } },
  });
  const fx = await startTestEngine({ runtime, clock, withApi: false, startFiring: true });
  const iam = engineRoles(fx.engine.iam);
  const roles: ServiceRoles = await createServiceRoles(iam);
  if (eventsPolicy) {
    await iam.putRolePolicy('ecsEventsRole', 'run-tasks', JSON.stringify(eventsPolicy));
  }
  if (trustService) {
    await fx.engine.iam.roles.updateAssumeRolePolicy('ecsEventsRole', trustPolicyFor(trustService));
  }
  await fx.engine.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'jobs' });
  await fx.engine.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'other' });
  await fx.engine.logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/nightly' });
  await fx.engine.ecs.registerTaskDefinition(
    DEFAULT_CONTEXT,
    fargateDefinition({
      executionRoleArn: roles.executionRoleArn,
      taskRoleArn: roles.taskRoleArn,
      containerDefinitions: [
        { ...(fargateDefinition().containerDefinitions[0] as object), image: IMAGE },
      ],
    }),
  );
  const net = await defaultNetwork(fx.engine);
  const target: RuleTarget = {
    Id: 'job',
    Arn: CLUSTER_ARN,
    RoleArn: roles.eventsRoleArn,
    DeadLetterConfig: { Arn: DLQ },
    EcsParameters: {
      // No revision: the latest one runs, and is what IAM is asked about.
      TaskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/nightly`,
      LaunchType: 'FARGATE',
      NetworkConfiguration: {
        awsvpcConfiguration: {
          Subnets: net.subnets,
          SecurityGroups: net.securityGroups,
        },
      },
    },
  };
  await fx.engine.events.putRule(DEFAULT_CONTEXT, {
    Name: 'nightly',
    ScheduleExpression: 'rate(1 minute)',
  });
  await fx.engine.events.putTargets(DEFAULT_CONTEXT, { Rule: 'nightly', Targets: [target] });
  /** Fires the first slot only (the rule is disabled once it fired) and lets it play out. */
  const fireOnce = async () => {
    for (let i = 0; i < 10; i++) {
      await clock.advance(10_000);
      await fx.engine.invoker.idle();
      if ((await fx.engine.history.slots({ ruleArn: RULE_ARN })).length > 0) {
        await fx.engine.events.disableRule(DEFAULT_CONTEXT, { Name: 'nightly' });
      }
    }
  };
  return { fx, roles, fireOnce, clock };
}

function policy(statements: object[]) {
  return { Version: '2012-10-17', Statement: statements };
}

const RUN_ON_JOBS = {
  Effect: 'Allow',
  Action: 'ecs:RunTask',
  Resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/nightly:*`,
  Condition: { ArnEquals: { 'ecs:cluster': CLUSTER_ARN } },
};
const PASS_ROLES = {
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: '*',
  Condition: { StringLike: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
};

async function onlyAttempt(fx: Awaited<ReturnType<typeof engineWithRule>>['fx']) {
  const [slot] = await fx.engine.history.slots({ ruleArn: RULE_ARN });
  const inv = slot?.invocations[0];
  assert.ok(inv, 'the rule fired');
  return inv;
}

describe('service roles on a rule’s ECS target', () => {
  it('a properly made events role runs the task, which logs as its execution role', async () => {
    const { fx, fireOnce, clock } = await engineWithRule(policy([RUN_ON_JOBS, PASS_ROLES]));
    await using _ = { [Symbol.asyncDispose]: fx.close };
    await fireOnce();
    const inv = await onlyAttempt(fx);
    assert.equal(inv.status, 'SUCCEEDED', JSON.stringify(inv.attempts));
    const [taskArn] = inv.taskArns;
    // The task runs on the clock: a second of work, then its record says STOPPED.
    const describe = async () =>
      (await fx.engine.ecs.describeTasks(DEFAULT_CONTEXT, { cluster: 'jobs', tasks: [taskArn!] }))
        .tasks;
    let tasks = await describe();
    for (let i = 0; i < 60 && tasks[0]?.lastStatus !== 'STOPPED'; i++) {
      await clock.advance(1000);
      tasks = await describe();
    }
    assert.equal(tasks[0]?.lastStatus, 'STOPPED', JSON.stringify(tasks[0]));
    assert.equal(tasks[0]?.stopCode, 'EssentialContainerExited');
    const { logStreams } = await fx.engine.logs.describeLogStreams(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/nightly',
    });
    assert.deepEqual(
      logStreams?.map((l) => l.logStreamName),
      [`ecs/app/${taskArn!.slice(taskArn!.lastIndexOf('/') + 1)}`],
    );
  });

  it("AWS's managed policies for the two roles are enough, as in AWS's guides", async () => {
    const { fx, fireOnce } = await engineWithRule();
    await using _ = { [Symbol.asyncDispose]: fx.close };
    const roles = fx.engine.iam.roles;
    await roles.deleteRolePolicy('ecsEventsRole', 'run-tasks');
    await roles.attachRolePolicy(
      'ecsEventsRole',
      'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceEventsRole',
    );
    await roles.deleteRolePolicy('ecsTaskExecutionRole', 'write-logs');
    await roles.attachRolePolicy(
      'ecsTaskExecutionRole',
      'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    );
    await fireOnce();
    const inv = await onlyAttempt(fx);
    assert.equal(inv.status, 'SUCCEEDED', JSON.stringify(inv.attempts));
    const { tasks } = await fx.engine.ecs.describeTasks(DEFAULT_CONTEXT, {
      cluster: 'jobs',
      tasks: inv.taskArns,
    });
    assert.notEqual(tasks[0]?.stopCode, 'TaskFailedToStart', tasks[0]?.stoppedReason);
    const { logStreams } = await fx.engine.logs.describeLogStreams(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/nightly',
    });
    assert.equal(logStreams?.length, 1, 'the execution role wrote its stream');
  });

  for (const [tag, status] of [
    ['nightly', 'SUCCEEDED'],
    ['adhoc', 'FAILED'],
  ] as const) {
    it(`aws:ResourceTag on the task definition, tagged ${tag}: ${status}`, async () => {
      const onlyNightly = {
        ...RUN_ON_JOBS,
        Condition: {
          ...RUN_ON_JOBS.Condition,
          StringEquals: { 'aws:ResourceTag/schedule': 'nightly' },
        },
      };
      const { fx, fireOnce } = await engineWithRule(policy([onlyNightly, PASS_ROLES]));
      await using _ = { [Symbol.asyncDispose]: fx.close };
      await fx.engine.ecs.tagResource(DEFAULT_CONTEXT, {
        resourceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/nightly:1`,
        tags: [{ key: 'schedule', value: tag }],
      });
      await fireOnce();
      const inv = await onlyAttempt(fx);
      assert.equal(inv.status, status, JSON.stringify(inv.attempts));
      if (status === 'FAILED') assert.equal(inv.attempts[0]?.errorCode, 'NO_PERMISSIONS');
    });
  }

  const denials: [string, object | undefined, string | undefined, string, RegExp][] = [
    [
      'iam:PassRole removed',
      policy([RUN_ON_JOBS]),
      undefined,
      'NO_PERMISSIONS',
      /^User: arn:aws:sts::000000000000:assumed-role\/ecsEventsRole\/[0-9a-f]{32} is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role\/ecsTaskRole because no identity-based policy allows the iam:PassRole action$/,
    ],
    [
      'the ecs:cluster condition naming another cluster',
      policy([
        {
          ...RUN_ON_JOBS,
          Condition: { ArnEquals: { 'ecs:cluster': CLUSTER_ARN.replace('jobs', 'other') } },
        },
        PASS_ROLES,
      ]),
      undefined,
      'NO_PERMISSIONS',
      /^User: arn:aws:sts::000000000000:assumed-role\/ecsEventsRole\/[0-9a-f]{32} is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:us-east-1:000000000000:task-definition\/nightly:1 because no identity-based policy allows the ecs:RunTask action$/,
    ],
    [
      'a trust policy for another service',
      undefined,
      'scheduler.amazonaws.com',
      'FAILED_TO_ASSUME_ROLE',
      /^User: events\.amazonaws\.com is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role\/ecsEventsRole/,
    ],
  ];
  for (const [name, eventsPolicy, trust, code, message] of denials) {
    it(`${name}: no task, a FailedInvocation with AWS's reason, dead-lettered at once`, async () => {
      const { fx, fireOnce } = await engineWithRule(eventsPolicy, trust);
      await using _ = { [Symbol.asyncDispose]: fx.close };
      await fireOnce();
      const inv = await onlyAttempt(fx);
      assert.equal(inv.status, 'FAILED');
      assert.deepEqual(inv.taskArns, []);
      // Permission errors are not retried: one attempt, then the dead letter.
      assert.equal(inv.attempts.length, 1);
      const [attempt] = inv.attempts;
      assert.equal(attempt?.errorCode, code);
      assert.match(attempt?.errorMessage ?? '', message);
      assert.equal(attempt?.retryable, false);
      const letters = (await fx.engine.history.deadLetters())[DLQ] ?? [];
      assert.equal(letters.length, 1);
      assert.equal(letters[0]?.errorCode, code);
      assert.match(letters[0]?.errorMessage ?? '', message);
      assert.equal(fx.engine.metrics.get(RULE_ARN, 'FailedInvocations'), 1);
      const { taskArns } = await fx.engine.ecs.listTasks(DEFAULT_CONTEXT, { cluster: 'jobs' });
      assert.deepEqual(taskArns, []);
    });
  }

  it('an execution role that cannot write its log group: STOPPED before any container', async () => {
    const { fx, fireOnce } = await engineWithRule(policy([RUN_ON_JOBS, PASS_ROLES]));
    await using _ = { [Symbol.asyncDispose]: fx.close };
    await fx.engine.iam.roles.deleteRolePolicy('ecsTaskExecutionRole', 'write-logs');
    await fireOnce();
    const inv = await onlyAttempt(fx);
    assert.equal(inv.status, 'SUCCEEDED');
    const { tasks } = await fx.engine.ecs.describeTasks(DEFAULT_CONTEXT, {
      cluster: 'jobs',
      tasks: inv.taskArns,
    });
    const task = tasks[0];
    assert.equal(task?.lastStatus, 'STOPPED');
    assert.equal(task?.stopCode, 'TaskFailedToStart');
    assert.match(
      task?.stoppedReason ?? '',
      /^ResourceInitializationError: failed to validate logger args: .*AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role\/ecsTaskExecutionRole\/[0-9a-f]{32} is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:000000000000:log-group:\/ecs\/nightly:log-stream:ecs\/app\/[0-9a-f]{32} because no identity-based policy allows the logs:CreateLogStream action/,
    );
    assert.equal(task?.containers?.[0]?.runtimeId, undefined);
    assert.equal(task?.startedAt, undefined);
    const streams = await fx.engine.logs.describeLogStreams(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/nightly',
    });
    assert.deepEqual(streams.logStreams, []);
  });
});
