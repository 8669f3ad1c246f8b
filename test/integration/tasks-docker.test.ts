/**
 * The task supervisor on a real Docker engine with the offline busybox image: what a user's
 * scheduled job really goes through. Waits on real container events; asserts no timings.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { LogsService } from '../../src/logs/logs.service.ts';
import { SystemClock } from '../../src/platform/clock.ts';
import { DEFAULT_CONTEXT, randomHex } from '../../src/platform/ids.ts';
import type { DockerRuntime } from '../../src/runtime/docker-runtime.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import type { ContainerPlan, TaskLaunchPlan } from '../../src/supervisor/task-plan.ts';
import { LABELS } from '../../src/supervisor/task-plan.ts';
import { TaskSupervisor } from '../../src/supervisor/task-supervisor.ts';
import { RecordingProgress } from '../../src/supervisor/test-support/recording-progress.ts';
import {
  integrationGate,
  newTestRunId,
  reapTestContainers,
  TEST_IMAGE,
  TEST_RUN_LABEL,
  testRuntime,
} from '../support/docker.ts';
import { allowAwslogs } from '../../src/supervisor/test-support/awslogs-access.ts';

const skip = await integrationGate();
const GROUP = '/ecs/integration';

describe('ECS tasks on real Docker', { skip }, () => {
  const runId = newTestRunId('tasks');
  const clock = new SystemClock();
  let store: Store;
  let logs: LogsService;
  let runtime: DockerRuntime;
  let progress: RecordingProgress;

  before(async () => {
    store = await openStore({ dataDir: ':memory:' });
    logs = new LogsService({ store, clock });
    await logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: GROUP });
    runtime = testRuntime({ pullTimeoutMs: 30_000 });
    progress = new RecordingProgress();
  });

  after(async () => {
    await reapTestContainers(runId);
    await store.close();
  });

  function newSupervisor() {
    return new TaskSupervisor({
      runtime,
      logs,
      clock,
      progress,
      logFlushIntervalMs: 200,
      instanceId: runId,
      awslogsAccess: allowAwslogs(),
    });
  }

  function container(
    name: string,
    command: string[],
    extra: Partial<ContainerPlan> = {},
  ): ContainerPlan {
    return {
      name,
      image: TEST_IMAGE,
      essential: true,
      command,
      environment: {},
      stopTimeoutSeconds: 30,
      dependsOn: [],
      awslogs: { group: GROUP, streamPrefix: 'ecs', createGroup: false },
      ...extra,
    };
  }

  function plan(containers: ContainerPlan[]): TaskLaunchPlan {
    const taskId = randomHex(32);
    return {
      taskArn: `arn:aws:ecs:us-east-1:000000000000:task/it/${taskId}`,
      taskId,
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/it',
      family: 'it',
      revision: 1,
      containers,
      networkMode: 'none',
      containerInsights: false,
      extraLabels: { [TEST_RUN_LABEL]: runId },
    };
  }

  async function allLines(stream: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await logs.getLogEvents(DEFAULT_CONTEXT, {
        logGroupName: GROUP,
        logStreamName: stream,
        startFromHead: true,
        nextToken: token,
      });
      out.push(...page.events.map((e) => e.message));
      if (page.nextForwardToken === token) return out;
      token = page.nextForwardToken;
    }
  }

  it('runs a container to its exit code and ships stdout and stderr to the stream', async () => {
    const supervisor = newSupervisor();
    const p = plan([container('app', ['sh', '-c', 'echo out-line; echo err-line >&2; exit 3'])]);
    supervisor.launch(p);
    await supervisor.waitFor(p.taskArn);
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 3);
    assert.equal(progress.last(p.taskArn)?.stopCode, 'EssentialContainerExited');
    assert.deepEqual((await allLines(`ecs/app/${p.taskId}`)).sort(), ['err-line', 'out-line']);
    const left = await runtime.listContainers({ labels: { [LABELS.taskArn]: p.taskArn } });
    assert.deepEqual(left, [], 'containers are removed when the task ends');
  });

  it('stops a non-essential sidecar with SIGTERM when the essential container exits', async () => {
    const supervisor = newSupervisor();
    const p = plan([
      container('app', ['sh', '-c', 'sleep 1; echo done']),
      container(
        'sidecar',
        ['sh', '-c', "trap 'echo bye; exit 0' TERM; while :; do sleep 0.1; done"],
        {
          essential: false,
        },
      ),
    ]);
    supervisor.launch(p);
    await supervisor.waitFor(p.taskArn);
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 0);
    assert.equal(progress.container(p.taskArn, 'sidecar')?.exitCode, 0);
    assert.deepEqual(await allLines(`ecs/sidecar/${p.taskId}`), ['bye']);
  });

  it('starts a container after its COMPLETE dependency exited', async () => {
    const supervisor = newSupervisor();
    const p = plan([
      container('app', ['sh', '-c', 'echo app-ran'], {
        dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }],
      }),
      container('init', ['sh', '-c', 'echo init-ran'], { essential: false }),
    ]);
    const order: string[] = [];
    const off = supervisor.on((e) => {
      if (e.type === 'container:started' || e.type === 'container:exited') {
        order.push(`${e.type.split(':')[1]}:${e.container}`);
      }
    });
    supervisor.launch(p);
    await supervisor.waitFor(p.taskArn);
    off();
    assert.deepEqual(order, ['started:init', 'exited:init', 'started:app', 'exited:app']);
    assert.deepEqual(await allLines(`ecs/app/${p.taskId}`), ['app-ran']);
  });

  it('starts a container once its HEALTHY dependency passes a Docker health check', async () => {
    const supervisor = newSupervisor();
    const p = plan([
      container('app', ['sh', '-c', 'echo app-ran'], {
        dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }],
      }),
      container(
        'db',
        ['sh', '-c', "trap 'exit 0' TERM; sleep 1; touch /tmp/ready; while :; do sleep 0.1; done"],
        {
          essential: false,
          healthCheck: {
            command: ['CMD-SHELL', 'test -f /tmp/ready'],
            intervalSeconds: 1,
            timeoutSeconds: 2,
            retries: 3,
            startPeriodSeconds: 0,
          },
        },
      ),
    ]);
    supervisor.launch(p);
    await supervisor.waitFor(p.taskArn);
    const dbUpdates = progress.containers.get(p.taskArn)?.get('db') ?? [];
    assert.ok(
      dbUpdates.some((u) => u.healthStatus === 'HEALTHY'),
      JSON.stringify(dbUpdates),
    );
    assert.deepEqual(await allLines(`ecs/app/${p.taskId}`), ['app-ran']);
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 0);
  });

  it('StopTask kills a container that ignores SIGTERM once its stopTimeout passes', async () => {
    const supervisor = newSupervisor();
    const p = plan([
      container('app', ['sh', '-c', "trap '' TERM; echo ready; while :; do sleep 0.1; done"], {
        stopTimeoutSeconds: 2,
      }),
    ]);
    const started = supervisor.next((e) => e.type === 'container:started');
    supervisor.launch(p);
    await started;
    supervisor.requestStop(p.taskArn, 'UserInitiated', 'stopped by integration test');
    await supervisor.waitFor(p.taskArn);
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 137);
    const last = progress.last(p.taskArn);
    assert.equal(last?.stopCode, 'UserInitiated');
    assert.equal(last?.stoppedReason, 'stopped by integration test');
  });

  it('fails the task with CannotPullContainerError for an image that cannot be pulled', async () => {
    const supervisor = newSupervisor();
    const p = plan([
      container('app', ['true'], { image: `cronbridge-test/absent-${randomHex(6)}:1` }),
    ]);
    supervisor.launch(p);
    await supervisor.waitFor(p.taskArn);
    const last = progress.last(p.taskArn);
    assert.equal(last?.stopCode, 'TaskFailedToStart');
    assert.match(last?.stoppedReason ?? '', /^CannotPullContainerError: /);
  });

  it('stops a container killed for exceeding its memory with OutOfMemoryError', async () => {
    const supervisor = newSupervisor();
    const p = plan([
      container('app', ['sh', '-c', 'head -c 50m /dev/zero | tail'], { memoryMiB: 6 }),
    ]);
    supervisor.launch(p);
    await supervisor.waitFor(p.taskArn);
    const app = progress.container(p.taskArn, 'app');
    assert.equal(app?.exitCode, 137);
    assert.equal(app?.reason, 'OutOfMemoryError: Container killed due to memory usage');
  });

  it('runs a task asking for more CPU than the host has (4 vCPU on a small machine)', async () => {
    const supervisor = newSupervisor();
    const p = plan([container('app', ['sh', '-c', 'echo big'], { cpuUnits: 64 * 1024 })]);
    supervisor.launch(p);
    await supervisor.waitFor(p.taskArn);
    assert.equal(
      progress.container(p.taskArn, 'app')?.exitCode,
      0,
      progress.last(p.taskArn)?.stoppedReason,
    );
  });

  it('delivers 100,000 lines from one container line for line', async () => {
    const supervisor = newSupervisor();
    const p = plan([container('app', ['seq', '1', '100000'])]);
    supervisor.launch(p);
    await supervisor.waitFor(p.taskArn);
    const lines = await allLines(`ecs/app/${p.taskId}`);
    assert.equal(lines.length, 100_000);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== String(i + 1)) assert.fail(`line ${i + 1} is '${lines[i]}'`);
    }
  });

  it('survives a cronbridge restart mid-task: re-attached, finishes, logs whole', async () => {
    const first = newSupervisor();
    const p = plan([
      container('app', ['sh', '-c', 'for i in $(seq 1 40); do echo "line $i"; sleep 0.05; done']),
    ]);
    const started = first.next((e) => e.type === 'container:started');
    first.launch(p);
    await started;
    await clock.sleep(700);
    await first.detachAll();
    const before = (await allLines(`ecs/app/${p.taskId}`)).length;
    assert.ok(before < 40, `the task was still running at the restart (${before} lines stored)`);

    const second = newSupervisor();
    const report = await second.recover([{ plan: p, lastStatus: 'RUNNING' }]);
    assert.deepEqual(report.adopted, [p.taskArn]);
    await second.waitFor(p.taskArn);
    assert.deepEqual(
      await allLines(`ecs/app/${p.taskId}`),
      Array.from({ length: 40 }, (_, i) => `line ${i + 1}`),
    );
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 0);
    assert.deepEqual(await runtime.listContainers({ labels: { [LABELS.taskArn]: p.taskArn } }), []);
  });
});
