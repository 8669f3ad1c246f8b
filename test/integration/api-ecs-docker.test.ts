/**
 * The seed's task path driven by real AWS clients over HTTP: `@aws-sdk/client-ecs` and
 * `@aws-sdk/client-cloudwatch-logs`, then Debian's AWS CLI v2, against the API server with the
 * ECS service running containers on real Docker.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

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

import { createApiServer, type ApiServer } from '../../src/api/server.ts';
import { ecsApi } from '../../src/api/services/ecs.api.ts';
import { logsApi } from '../../src/api/services/logs.api.ts';
import { stsApi } from '../../src/api/services/sts.api.ts';
import { createEngine, type Engine } from '../../src/cli/engine.ts';
import { SystemClock } from '../../src/platform/clock.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import {
  integrationGate,
  newTestRunId,
  reapTestContainers,
  TEST_IMAGE,
  TEST_RUN_LABEL,
  testRuntime,
} from '../support/docker.ts';

const skip = await integrationGate();
const AWS = '/usr/bin/aws';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const exec = promisify(execFile);

describe('ECS and Logs over HTTP with real AWS clients, tasks on real Docker', { skip }, () => {
  const runId = newTestRunId('api-ecs');
  const clock = new SystemClock();
  let store: Store;
  let engine: Engine;
  let server: ApiServer;
  let url: string;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;

  before(async () => {
    store = await openStore({ dataDir: ':memory:' });
    engine = createEngine({
      store,
      clock,
      runtime: testRuntime({ pullTimeoutMs: 30_000 }),
      context: DEFAULT_CONTEXT,
      taskNetwork: 'none',
      extraLabels: { [TEST_RUN_LABEL]: runId },
      instanceId: runId,
      logFlushIntervalMs: 200,
    });
    server = createApiServer({
      services: [logsApi(engine.logs), ecsApi(engine.ecs), stsApi()],
      context: DEFAULT_CONTEXT,
      clock,
    });
    ({ url } = await server.start({ host: '127.0.0.1', port: 0 }));
    const common = { endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 };
    ecs = new ECSClient(common);
    logs = new CloudWatchLogsClient(common);
  });

  after(async () => {
    ecs.destroy();
    logs.destroy();
    await server.stop();
    await engine.close();
    await reapTestContainers(runId);
    await store.close();
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
  const networkConfiguration = {
    awsvpcConfiguration: {
      subnets: ['subnet-1', 'subnet-2'],
      securityGroups: ['sg-1'],
      assignPublicIp: 'ENABLED' as const,
    },
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
    {
      skip:
        !existsSync(AWS) && process.env['RUN_INTEGRATION_TESTS'] !== '1'
          ? `${AWS} not installed`
          : false,
    },
    async () => {
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const aws = async (...args: string[]) => {
        const { stdout } = await exec(AWS, ['--endpoint-url', url, '--output', 'json', ...args], {
          env,
        });
        return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
      };
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
        'awsvpcConfiguration={subnets=[subnet-1],securityGroups=[sg-1],assignPublicIp=ENABLED}',
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
