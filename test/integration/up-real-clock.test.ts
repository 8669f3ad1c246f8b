/**
 * The whole product on the real clock, black-box: `cronbridge up` as a process, an EventBridge
 * rule `rate(1 minute)` with an ECS target created through the AWS SDK, and a real container on
 * Docker within 70 s of the rule's creation, its output readable with GetLogEvents. Slow by
 * nature (a minute of real time): the only test that waits for a real schedule.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';

import { SystemClock } from '../../src/platform/clock.ts';
import {
  integrationGate,
  newTestRunId,
  reapTestContainers,
  TEST_IMAGE,
} from '../support/docker.ts';
import { defaultNetwork } from '../support/default-network.ts';
import { eventually, SDK_TEST_CLIENT, UpProcess } from '../support/up-process.ts';
import { apiRoles, createServiceRoles } from '../../src/engine/service-roles.test-support.ts';

const skip = await integrationGate();
const clock = new SystemClock();
/** AWS promises a rate rule's first run within its period; a little slack for the container. */
const DEADLINE_MS = 70_000;

describe('cronbridge up on the real clock', { skip }, () => {
  const runId = newTestRunId('up-real-clock');
  const root = mkdtempSync(join(tmpdir(), 'cronbridge-up-clock-'));
  const dataDir = join(root, 'data');
  let up: UpProcess | undefined;

  after(async () => {
    up?.kill();
    await reapTestContainers(runId);
    rmSync(root, { recursive: true, force: true });
  });

  it('slow: a rate(1 minute) rule runs a real container within 70 s; its line is in the logs', async () => {
    up = new UpProcess({ dataDir, runId });
    const client = { endpoint: await up.started(), ...SDK_TEST_CLIENT };
    const ecs = new ECSClient(client);
    const logs = new CloudWatchLogsClient(client);
    const events = new EventBridgeClient(client);
    // The rule runs its task as the events role, the task logs as the execution role.
    await createServiceRoles(apiRoles(client.endpoint));

    await ecs.send(new CreateClusterCommand({ clusterName: 'clockwork' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/clockwork' }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'clockwork',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
        containerDefinitions: [
          {
            name: 'tick',
            image: TEST_IMAGE,
            command: ['sh', '-c', 'echo "tick from $HOSTNAME"'],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/clockwork',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'ecs',
              },
            },
          },
        ],
      }),
    );

    const { subnets } = await defaultNetwork(client.endpoint);
    const createdAt = clock.now();
    const { RuleArn } = await events.send(
      new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)' }),
    );
    assert.match(RuleArn ?? '', /:rule\/every-minute$/);
    const targets = await events.send(
      new PutTargetsCommand({
        Rule: 'every-minute',
        Targets: [
          {
            Id: 'clockwork',
            Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/clockwork',
            RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
            EcsParameters: {
              TaskDefinitionArn: taskDefinition?.taskDefinitionArn,
              LaunchType: 'FARGATE',
              NetworkConfiguration: { awsvpcConfiguration: { Subnets: subnets } },
            },
          },
        ],
      }),
    );
    assert.equal(targets.FailedEntryCount, 0);

    const remaining = () => Math.max(1, createdAt + DEADLINE_MS - clock.now());
    await up.waitFor(/^\S+ {2}fired {4}rule every-minute {2}slot \S+$/m, remaining());
    const [, taskId] = await up.waitFor(
      /^\S+ {2}started {2}task ([0-9a-f]{32}) {2}family clockwork:1 {2}by events-rule\/every-minute$/m,
      remaining(),
    );
    const startedBy = clock.now();
    assert.ok(startedBy - createdAt <= DEADLINE_MS, `started ${startedBy - createdAt} ms after`);
    await up.waitFor(
      new RegExp(
        `^\\S+ {2}stopped {2}task ${taskId} {2}exit tick=0 {2}EssentialContainerExited`,
        'm',
      ),
      30_000,
    );

    const described = await ecs.send(
      new DescribeTasksCommand({ cluster: 'clockwork', tasks: [taskId ?? ''] }),
    );
    const task = described.tasks?.[0];
    assert.equal(task?.lastStatus, 'STOPPED');
    assert.equal(task?.startedBy, 'events-rule/every-minute');
    assert.match(task?.containers?.[0]?.runtimeId ?? '', /^[0-9a-f]{64}$/, 'a real Docker id');
    assert.equal(task?.containers?.[0]?.exitCode, 0);
    const ranAt = task?.startedAt?.getTime() ?? Infinity;
    assert.ok(ranAt - createdAt <= DEADLINE_MS, `container ran ${ranAt - createdAt} ms after`);

    const lines = await eventually('the log line', async () => {
      const page = await logs.send(
        new GetLogEventsCommand({
          logGroupName: '/ecs/clockwork',
          logStreamName: `ecs/tick/${taskId}`,
          startFromHead: true,
        }),
      );
      const messages = page.events?.map((e) => e.message ?? '') ?? [];
      return messages.length > 0 ? messages : undefined;
    });
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^tick from [0-9a-f]{12}$/);

    up.child.kill('SIGTERM');
    assert.deepEqual(await up.exit(), { code: 0, signal: null }, up.stderr);
  });
});
