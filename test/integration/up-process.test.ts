/**
 * `cronbridge up` as a real process on real Docker, driven the way an operator and their SDK
 * clients drive it: read the summary from stdout, call the API, SIGTERM it while a task runs
 * (exit 0, the container keeps running), start it again on the same data directory (the task is
 * re-adopted, ends STOPPED with exit code 0, logs complete). An unreachable engine exits 1 with
 * a message that says what to do.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import {
  integrationGate,
  newTestRunId,
  reapTestContainers,
  TEST_IMAGE,
  TEST_RUN_LABEL,
  testDockerClient,
} from '../support/docker.ts';
import { defaultNetwork } from '../support/default-network.ts';
import { eventually, SDK_TEST_CLIENT, UpProcess } from '../support/up-process.ts';
import { apiRoles, createServiceRoles } from '../../src/engine/service-roles.test-support.ts';

const skip = await integrationGate();

describe('cronbridge up as a process on real Docker', { skip }, () => {
  const runId = newTestRunId('up-process');
  const root = mkdtempSync(join(tmpdir(), 'cronbridge-up-it-'));
  const dataDir = join(root, 'data');
  const processes: UpProcess[] = [];
  const start = (env: Record<string, string> = {}, dir = dataDir) => {
    const up = new UpProcess({ dataDir: dir, runId, env });
    processes.push(up);
    return up;
  };

  after(async () => {
    for (const up of processes) up.kill();
    await reapTestContainers(runId);
    rmSync(root, { recursive: true, force: true });
  });

  it('survives a SIGTERM mid-task: the container runs on and the next start re-adopts it', async () => {
    const first = start();
    const url = await first.started();
    assert.match(first.stdout, /^ {2}containers +docker \S+ \(API [\d.]+\) at unix:\/\//m);
    assert.match(first.stdout, /^ {2}recovery +nothing to re-attach$/m);
    assert.match(
      first.stdout,
      new RegExp(`^ {2}data dir +${dataDir} \\(instance cb-[0-9a-f]+\\)$`, 'm'),
    );

    // The task logs as its execution role, which must exist and may write the group.
    await createServiceRoles(apiRoles(url));
    const client = { endpoint: url, ...SDK_TEST_CLIENT };
    const sts = new STSClient(client);
    const ecs = new ECSClient(client);
    const logs = new CloudWatchLogsClient(client);
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '000000000000');

    await ecs.send(new CreateClusterCommand({ clusterName: 'up-it' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/up-it' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'nap',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
        containerDefinitions: [
          {
            name: 'nap',
            image: TEST_IMAGE,
            command: ['sh', '-c', 'echo going to sleep; sleep 8; echo woke up'],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/up-it',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'ecs',
              },
            },
          },
        ],
      }),
    );
    const { subnets } = await defaultNetwork(url);
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'up-it',
        taskDefinition: 'nap',
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets } },
      }),
    );
    const taskArn = run.tasks?.[0]?.taskArn ?? '';
    const taskId = taskArn.split('/').at(-1) ?? '';
    assert.match(taskId, /^[0-9a-f]{32}$/);
    await first.waitFor(new RegExp(`started  task ${taskId}  family nap:1  by RunTask$`, 'm'));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^cronbridge_tasks\{last_status="RUNNING"\} 1$/m);

    first.child.kill('SIGTERM');
    const exit = await first.exit();
    assert.deepEqual(exit, { code: 0, signal: null }, first.stderr);
    assert.match(first.stdout, /SIGTERM received: shutting down \(1 running task keep/);
    assert.match(first.stdout, /cronbridge stopped\n$/);
    const docker = testDockerClient();
    const left = await docker.listContainers({
      filters: { label: [`${TEST_RUN_LABEL}=${runId}`, `cronbridge.task-arn=${taskArn}`] },
    });
    assert.equal(left.length, 1, 'the task container keeps running without cronbridge');
    assert.equal(left[0]?.State, 'running');

    const second = start();
    const url2 = await second.started();
    assert.match(
      second.stdout,
      new RegExp(`^ {2}recovery +1 task re-attached \\(${taskId}\\)$`, 'm'),
    );
    await second.waitFor(
      new RegExp(
        `stopped  task ${taskId}  exit nap=0  ` +
          'EssentialContainerExited: Essential container in task exited  after \\d',
        'm',
      ),
      30_000,
    );
    const ecs2 = new ECSClient({ ...client, endpoint: url2 });
    const logs2 = new CloudWatchLogsClient({ ...client, endpoint: url2 });
    const stopped = await eventually('the task to be STOPPED', async () => {
      const { tasks } = await ecs2.send(
        new DescribeTasksCommand({ cluster: 'up-it', tasks: [taskArn] }),
      );
      return tasks?.[0]?.lastStatus === 'STOPPED' ? tasks[0] : undefined;
    });
    assert.equal(stopped.containers?.[0]?.exitCode, 0);
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    const events = await logs2.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/up-it',
        logStreamName: `ecs/nap/${taskId}`,
        startFromHead: true,
      }),
    );
    assert.deepEqual(
      events.events?.map((e) => e.message),
      ['going to sleep', 'woke up'],
    );

    second.child.kill('SIGINT');
    assert.deepEqual(await second.exit(), { code: 0, signal: null }, second.stderr);
  });

  it('exits 1 with a how-to-fix message when no container engine answers', async () => {
    const dir = join(root, 'never-created');
    const up = start({ DOCKER_HOST: `unix://${root}/no-such-docker.sock` }, dir);
    const exit = await up.exit();
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.match(
      up.stderr,
      new RegExp(
        `^cronbridge up: cannot reach a container engine at unix://${root}/no-such-docker\\.sock ` +
          '\\(from DOCKER_HOST\\): ENOENT: no socket at that path\\.\\n',
      ),
    );
    assert.match(up.stderr, /systemctl start docker/);
    assert.match(up.stderr, /podman system service/);
    assert.equal(up.stdout, '');
    assert.equal(existsSync(dir), false, 'nothing is created when start-up fails');
  });
});
