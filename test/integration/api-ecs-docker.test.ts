/**
 * The seed's task path driven by real AWS clients over HTTP: `@aws-sdk/client-ecs` and
 * `@aws-sdk/client-cloudwatch-logs`, then Debian's AWS CLI v2, against the API server with the
 * ECS service running containers on real Docker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ClusterNotFoundException,
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  waitUntilTasksStopped,
} from '@aws-sdk/client-ecs';

import { awsCli, awsCliGate } from '../support/aws-cli.ts';
import { defaultNetwork } from '../support/default-network.ts';
import { integrationGate, TEST_IMAGE } from '../support/docker.ts';
import { AWS_TEST_CLIENT, testEngine, type TestEngine } from '../support/test-engine.ts';

const skip = await integrationGate();

describe('ECS and Logs over HTTP with real AWS clients, tasks on real Docker', { skip }, () => {
  let fx: TestEngine;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;

  before(async () => {
    fx = await testEngine({ prefix: 'api-ecs', serviceRoles: true });
    const net = await defaultNetwork(fx.url);
    networkConfiguration = {
      awsvpcConfiguration: {
        subnets: net.subnets.slice(0, 2),
        securityGroups: net.securityGroups,
        assignPublicIp: 'ENABLED',
      },
    };
    const common = { ...AWS_TEST_CLIENT, endpoint: fx.url };
    ecs = new ECSClient(common);
    logs = new CloudWatchLogsClient(common);
  });

  after(async () => {
    ecs.destroy();
    logs.destroy();
    await fx[Symbol.asyncDispose]();
  });

  const taskDefinition = {
    family: 'seed-job',
    networkMode: 'awsvpc' as const,
    requiresCompatibilities: ['FARGATE' as const],
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
    containerDefinitions: [
      {
        name: 'job',
        image: TEST_IMAGE,
        command: ['sh', '-c', 'echo job started; echo job finished'],
        logConfiguration: {
          logDriver: 'awslogs' as const,
          options: {
            'awslogs-group': '/ecs/seed-job',
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
    ],
  };
  /** Two of the region's default subnets and its default group, looked up in `before`. */
  let networkConfiguration: {
    awsvpcConfiguration: { subnets: string[]; securityGroups: string[]; assignPublicIp: 'ENABLED' };
  };

  it('SDK v3: cluster, log group, task definition, RunTask, the tasksStopped waiter, GetLogEvents', async () => {
    const { cluster } = await ecs.send(
      new CreateClusterCommand({
        clusterName: 'seed',
        capacityProviders: ['FARGATE'],
        settings: [{ name: 'containerInsights', value: 'enabled' }],
      }),
    );
    assert.equal(cluster?.clusterArn, 'arn:aws:ecs:us-east-1:000000000000:cluster/seed');
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/seed-job' }));
    const registered = await ecs.send(new RegisterTaskDefinitionCommand(taskDefinition));
    assert.equal(registered.taskDefinition?.revision, 1);
    assert.ok(registered.taskDefinition?.registeredAt instanceof Date);
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'seed',
        taskDefinition: 'seed-job',
        launchType: 'FARGATE',
        platformVersion: 'LATEST',
        networkConfiguration,
      }),
    );
    const taskArn = run.tasks?.[0]?.taskArn ?? '';
    assert.match(taskArn, /^arn:aws:ecs:us-east-1:000000000000:task\/seed\/[0-9a-f]{32}$/);
    const waited = await waitUntilTasksStopped(
      { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 2 },
      { cluster: 'seed', tasks: [taskArn] },
    );
    assert.equal(waited.state, 'SUCCESS');
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'seed', tasks: [taskArn] }),
    );
    const task = tasks?.[0];
    assert.equal(task?.lastStatus, 'STOPPED');
    assert.equal(task?.stopCode, 'EssentialContainerExited');
    assert.equal(task?.containers?.[0]?.exitCode, 0);
    assert.ok(task?.stoppedAt instanceof Date && task.createdAt instanceof Date);
    assert.ok(task.stoppedAt.getTime() >= task.createdAt.getTime());
    const events = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/seed-job',
        logStreamName: `ecs/job/${taskArn.split('/').at(-1)}`,
        startFromHead: true,
      }),
    );
    assert.deepEqual(
      events.events?.map((e) => e.message),
      ['job started', 'job finished'],
    );
  });

  it('SDK v3: ECS errors arrive as the typed exceptions with ECS messages', async () => {
    await assert.rejects(
      ecs.send(
        new RunTaskCommand({ cluster: 'ghost', taskDefinition: 'seed-job', networkConfiguration }),
      ),
      (error: Error) =>
        error instanceof ClusterNotFoundException && error.message === 'Cluster not found.',
    );
    await assert.rejects(
      ecs.send(new RunTaskCommand({ cluster: 'seed', taskDefinition: 'seed-job' })),
      (error: Error) =>
        error instanceof InvalidParameterException &&
        error.message ===
          "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  });

  it(
    'AWS CLI v2: run-task, wait tasks-stopped, describe-tasks and get-log-events',
    { skip: awsCliGate() },
    async () => {
      const aws = awsCli(fx.url).json;
      // The default subnet and security group, found as an AWS CLI user finds them.
      const [subnet] = (await aws(
        ...['ec2', 'describe-subnets', '--filters', 'Name=default-for-az,Values=true'],
        ...['--query', 'Subnets[].SubnetId'],
      )) as string[];
      const [group] = (await aws(
        ...['ec2', 'describe-security-groups', '--group-names', 'default'],
        ...['--query', 'SecurityGroups[].GroupId'],
      )) as string[];
      const run = (await aws(
        'ecs',
        'run-task',
        '--cluster',
        'seed',
        '--task-definition',
        'seed-job:1',
        '--launch-type',
        'FARGATE',
        '--network-configuration',
        `awsvpcConfiguration={subnets=[${subnet}],securityGroups=[${group}],assignPublicIp=ENABLED}`,
      )) as { tasks: { taskArn: string }[] };
      const taskArn = run.tasks[0]?.taskArn ?? '';
      await aws('ecs', 'wait', 'tasks-stopped', '--cluster', 'seed', '--tasks', taskArn);
      const described = (await aws(
        'ecs',
        'describe-tasks',
        '--cluster',
        'seed',
        '--tasks',
        taskArn,
      )) as {
        tasks: { lastStatus: string; containers: { exitCode: number }[] }[];
      };
      assert.equal(described.tasks[0]?.lastStatus, 'STOPPED');
      assert.equal(described.tasks[0]?.containers[0]?.exitCode, 0);
      const events = (await aws(
        'logs',
        'get-log-events',
        '--log-group-name',
        '/ecs/seed-job',
        '--log-stream-name',
        `ecs/job/${taskArn.split('/').at(-1)}`,
        '--start-from-head',
      )) as { events: { message: string }[] };
      assert.deepEqual(
        events.events.map((e) => e.message),
        ['job started', 'job finished'],
      );
    },
  );
});
