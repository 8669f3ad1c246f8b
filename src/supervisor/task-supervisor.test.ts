import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import { LogsService } from '../logs/logs.service.ts';
import { ManualClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT, randomHex } from '../platform/ids.ts';
import type { ContainerScript } from '../runtime/memory-runtime.ts';
import { MemoryRuntime } from '../runtime/memory-runtime.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import type { ContainerPlan, TaskLaunchPlan } from './task-plan.ts';
import { LABELS } from './task-plan.ts';
import { TaskSupervisor } from './task-supervisor.ts';
import { RecordingProgress } from './test-support/recording-progress.ts';
import { StubAwslogsAccess, allowAwslogs } from './test-support/awslogs-access.ts';

const T0 = Date.parse('2026-06-01T12:00:00Z');

function container(name: string, image: string, extra: Partial<ContainerPlan> = {}): ContainerPlan {
  return {
    name,
    image,
    essential: true,
    environment: {},
    stopTimeoutSeconds: 30,
    dependsOn: [],
    awslogs: { group: '/ecs/batch', streamPrefix: 'ecs', createGroup: false },
    ...extra,
  };
}

function plan(containers: ContainerPlan[], extra: Partial<TaskLaunchPlan> = {}): TaskLaunchPlan {
  const taskId = randomHex(32);
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/default/${taskId}`,
    taskId,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    family: 'batch',
    revision: 1,
    containers,
    networkMode: 'none',
    containerInsights: false,
    ...extra,
  };
}

describe('TaskSupervisor on the in-memory runtime', () => {
  let store: Store;
  let clock: ManualClock;
  let logs: LogsService;
  let progress: RecordingProgress;

  beforeEach(async () => {
    store = await openStore({ dataDir: ':memory:' });
    clock = new ManualClock(T0);
    logs = new LogsService({ store, clock });
    await logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/batch' });
    progress = new RecordingProgress();
  });

  afterEach(async () => {
    await store.close();
  });

  function setup(
    scripts: Record<string, ContainerScript>,
    extra: {
      pullFailures?: Record<string, string>;
      pullDelayMs?: number;
      awslogsAccess?: StubAwslogsAccess;
    } = {},
  ) {
    const runtime = new MemoryRuntime({
      clock,
      localImages: Object.keys(scripts),
      scripts,
      pullFailures: extra.pullFailures,
      pullDelayMs: extra.pullDelayMs,
    });
    const supervisor = new TaskSupervisor({
      runtime,
      logs,
      clock,
      progress,
      statsIntervalMs: 10_000,
      awslogsAccess: extra.awslogsAccess ?? allowAwslogs(),
    });
    return { runtime, supervisor };
  }

  /** Advances the manual clock in steps until the task is done; bounded, never sleeps. */
  async function runToEnd(
    supervisor: TaskSupervisor,
    taskArn: string,
    stepMs = 1000,
    maxSteps = 500,
  ) {
    let done = false;
    void supervisor.waitFor(taskArn).then(() => (done = true));
    for (let i = 0; i < maxSteps && !done; i++) await clock.advance(stepMs);
    assert.ok(
      done,
      `task ${taskArn} did not stop within ${(stepMs * maxSteps) / 1000}s of clock time`,
    );
  }

  async function streamLines(stream: string): Promise<string[]> {
    const out = await logs.getLogEvents(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/batch',
      logStreamName: stream,
      startFromHead: true,
    });
    return out.events.map((e) => e.message);
  }

  it('runs a task through every ECS status and ships its output to the awslogs stream', async () => {
    const { runtime, supervisor } = setup({
      'job:1': {
        lines: [
          { afterMs: 100, line: 'hello' },
          { afterMs: 200, line: 'oops', stream: 'stderr' },
        ],
        exitAfterMs: 3000,
        exitCode: 0,
      },
    });
    const p = plan([container('app', 'job:1')]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);

    assert.deepEqual(progress.statuses(p.taskArn), [
      'PENDING',
      'PENDING',
      'ACTIVATING',
      'RUNNING',
      'DEACTIVATING',
      'STOPPING',
      'DEPROVISIONING',
      'STOPPED',
    ]);
    const stopped = progress.last(p.taskArn);
    assert.equal(stopped?.stopCode, 'EssentialContainerExited');
    assert.equal(stopped?.stoppedReason, 'Essential container in task exited');
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 0);
    assert.deepEqual(await streamLines(`ecs/app/${p.taskId}`), ['hello', 'oops']);
    assert.deepEqual(await runtime.listContainers(), [], 'no container is left behind');
  });

  it('writes awslogs output into the group of awslogs-region, else of the task region', async () => {
    const tokyo = { ...DEFAULT_CONTEXT, region: 'ap-northeast-1' };
    const osaka = { ...DEFAULT_CONTEXT, region: 'ap-northeast-3' };
    await logs.createLogGroup(tokyo, { logGroupName: '/ecs/batch' });
    await logs.createLogGroup(osaka, { logGroupName: '/ecs/batch' });
    const { supervisor } = setup({
      'job:1': { lines: [{ afterMs: 100, line: 'hello' }], exitAfterMs: 1000, exitCode: 0 },
    });
    const base = plan([]);
    const taskArn = base.taskArn.replace(':us-east-1:', ':ap-northeast-1:');
    const p = plan(
      [
        container('own', 'job:1', { essential: false }),
        container('named', 'job:1', {
          awslogs: {
            group: '/ecs/batch',
            streamPrefix: 'ecs',
            createGroup: false,
            region: 'ap-northeast-3',
          },
        }),
      ],
      { taskArn, taskId: base.taskId },
    );
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    const lines = async (ctx: typeof tokyo, stream: string) =>
      (
        await logs
          .getLogEvents(ctx, {
            logGroupName: '/ecs/batch',
            logStreamName: stream,
            startFromHead: true,
          })
          .catch(() => ({ events: [] }))
      ).events.map((e) => e.message);
    assert.deepEqual(await lines(tokyo, `ecs/own/${p.taskId}`), ['hello']);
    assert.deepEqual(await lines(osaka, `ecs/named/${p.taskId}`), ['hello']);
    assert.deepEqual(await lines(DEFAULT_CONTEXT, `ecs/own/${p.taskId}`), []);
    assert.deepEqual(await lines(tokyo, `ecs/named/${p.taskId}`), []);
  });

  it('labels containers with cluster, task ARN and container name', async () => {
    const { runtime, supervisor } = setup({ 'job:1': { exitAfterMs: 60_000 } });
    const p = plan([container('app', 'job:1')]);
    const started = supervisor.next((e) => e.type === 'container:started');
    supervisor.launch(p);
    await clock.advance(0);
    await started;
    const [summary] = await runtime.listContainers({ labels: { [LABELS.taskArn]: p.taskArn } });
    assert.equal(summary?.labels[LABELS.cluster], p.clusterArn);
    assert.equal(summary?.labels[LABELS.container], 'app');
    assert.equal(summary?.labels[LABELS.managed], 'true');
    supervisor.requestStop(p.taskArn, 'UserInitiated', 'test over');
    await runToEnd(supervisor, p.taskArn);
  });

  it('stops the task with ResourceInitializationError when its execution role may not log', async () => {
    const denied = new StubAwslogsAccess({
      allowed: false,
      code: 'AccessDeniedException',
      message: 'User: arn:aws:sts::000000000000:assumed-role/exec/s is not authorized',
    });
    const { runtime, supervisor } = setup(
      { 'busybox:latest': { exitAfterMs: 1000 } },
      { awslogsAccess: denied },
    );
    const p = plan([container('app', 'busybox:latest')], {
      executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
    });
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    const stopped = progress.last(p.taskArn);
    assert.equal(stopped?.stopCode, 'TaskFailedToStart');
    assert.equal(
      stopped?.stoppedReason,
      'ResourceInitializationError: failed to validate logger args: failed to create Cloudwatch ' +
        'log stream: AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/exec/s ' +
        'is not authorized : exit status 1',
    );
    assert.deepEqual(
      denied.asked.map((w) => [w.executionRoleArn, w.groupName, w.streamName]),
      [['arn:aws:iam::000000000000:role/exec', '/ecs/batch', `ecs/app/${p.taskId}`]],
    );
    // Nothing was made: no container, no log stream.
    assert.deepEqual(await runtime.listContainers(), []);
    const { logStreams } = await logs.describeLogStreams(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/batch',
    });
    assert.deepEqual(logStreams, []);
  });

  it('stops the task with TaskFailedToStart and CannotPullContainerError when a pull fails', async () => {
    const { runtime, supervisor } = setup(
      {},
      { pullFailures: { 'ghost:1': 'pull access denied for ghost, repository does not exist' } },
    );
    const p = plan([container('app', 'ghost:1')]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    const stopped = progress.last(p.taskArn);
    assert.equal(stopped?.lastStatus, 'STOPPED');
    assert.equal(stopped?.stopCode, 'TaskFailedToStart');
    assert.match(
      stopped?.stoppedReason ?? '',
      /^CannotPullContainerError: pull access denied for ghost/,
    );
    assert.deepEqual(await runtime.listContainers(), []);
  });

  it('fails to start when the log group is missing and awslogs-create-group is not set', async () => {
    const { supervisor } = setup({ 'job:1': { exitAfterMs: 10 } });
    const p = plan([
      container('app', 'job:1', {
        awslogs: { group: '/missing', streamPrefix: 'ecs', createGroup: false },
      }),
    ]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    const stopped = progress.last(p.taskArn);
    assert.equal(stopped?.stopCode, 'TaskFailedToStart');
    assert.match(
      stopped?.stoppedReason ?? '',
      /^ResourceInitializationError: .*The specified log group does not exist\./,
    );
  });

  it('creates the log group when awslogs-create-group is true', async () => {
    const { supervisor } = setup({
      'job:1': { lines: [{ afterMs: 1, line: 'made it' }], exitAfterMs: 10 },
    });
    const p = plan([
      container('app', 'job:1', {
        awslogs: { group: '/fresh', streamPrefix: 'x', createGroup: true },
      }),
    ]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    const out = await logs.getLogEvents(DEFAULT_CONTEXT, {
      logGroupName: '/fresh',
      logStreamName: `x/app/${p.taskId}`,
      startFromHead: true,
    });
    assert.deepEqual(
      out.events.map((e) => e.message),
      ['made it'],
    );
  });

  it('stops the other containers when an essential one exits, with SIGTERM', async () => {
    const { supervisor } = setup({
      'app:1': { exitAfterMs: 2000, exitCode: 3 },
      'sidecar:1': {},
    });
    const p = plan([
      container('app', 'app:1'),
      container('sidecar', 'sidecar:1', { essential: false }),
    ]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 3);
    assert.equal(progress.container(p.taskArn, 'sidecar')?.exitCode, 143);
    assert.equal(progress.last(p.taskArn)?.stopCode, 'EssentialContainerExited');
  });

  it('keeps the task running when only a non-essential container exits', async () => {
    const { supervisor } = setup({
      'app:1': { exitAfterMs: 20_000, exitCode: 0 },
      'helper:1': { exitAfterMs: 1000, exitCode: 9 },
    });
    const p = plan([
      container('app', 'app:1'),
      container('helper', 'helper:1', { essential: false }),
    ]);
    const helperExit = supervisor.next(
      (e) => e.type === 'container:exited' && e.container === 'helper',
    );
    supervisor.launch(p);
    for (let i = 0; i < 10; i++) await clock.advance(1000);
    await helperExit;
    assert.equal(progress.statuses(p.taskArn).at(-1), 'RUNNING');
    await runToEnd(supervisor, p.taskArn);
    assert.equal(progress.container(p.taskArn, 'helper')?.exitCode, 9);
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 0);
  });

  it('starts a container only after its SUCCESS dependency exited 0', async () => {
    const { supervisor } = setup({
      'init:1': { exitAfterMs: 5000, exitCode: 0 },
      'app:1': { exitAfterMs: 1000 },
    });
    const starts: string[] = [];
    supervisor.on((e) => {
      if (e.type === 'container:started') starts.push(`${e.container}@${clock.now() - T0}`);
    });
    const p = plan([
      container('app', 'app:1', { dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }),
      container('init', 'init:1', { essential: false }),
    ]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn, 500);
    assert.equal(starts.length, 2);
    assert.ok(starts[0]?.startsWith('init@'));
    const initAt = Number(starts[0]?.split('@')[1]);
    const appAt = Number(starts[1]?.split('@')[1]);
    assert.ok(appAt >= initAt + 5000, `app started at ${appAt}, init at ${initAt}`);
    assert.equal(progress.last(p.taskArn)?.stopCode, 'EssentialContainerExited');
  });

  it('never starts a container whose SUCCESS dependency failed, and stops the task', async () => {
    const { supervisor } = setup({
      'init:1': { exitAfterMs: 1000, exitCode: 1 },
      'app:1': { exitAfterMs: 1000 },
    });
    const p = plan([
      container('app', 'app:1', { dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }),
      container('init', 'init:1', { essential: false }),
    ]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    const app = progress.container(p.taskArn, 'app');
    assert.equal(app?.lastStatus, 'STOPPED');
    assert.equal(app?.exitCode, undefined);
    assert.equal(
      app?.reason,
      'dependency condition SUCCESS not met: container init exited with code 1',
    );
    assert.equal(progress.last(p.taskArn)?.lastStatus, 'STOPPED');
  });

  it('starts a container once its HEALTHY dependency passes its health check', async () => {
    const { supervisor } = setup({
      'db:1': { healthyAfterMs: 4000 },
      'app:1': { exitAfterMs: 1000 },
    });
    const starts = new Map<string, number>();
    supervisor.on((e) => {
      if (e.type === 'container:started') starts.set(e.container, clock.now() - T0);
    });
    const healthCheck = {
      command: ['CMD-SHELL', 'true'],
      intervalSeconds: 1,
      timeoutSeconds: 1,
      retries: 1,
      startPeriodSeconds: 0,
    };
    const p = plan([
      container('app', 'app:1', { dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      container('db', 'db:1', { essential: false, healthCheck }),
    ]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn, 500);
    assert.ok(
      (starts.get('app') ?? 0) >= (starts.get('db') ?? 0) + 4000,
      JSON.stringify([...starts]),
    );
    const dbUpdates = progress.containers.get(p.taskArn)?.get('db') ?? [];
    assert.ok(dbUpdates.some((u) => u.healthStatus === 'HEALTHY'));
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 0);
  });

  it('never starts a container whose HEALTHY dependency turns unhealthy', async () => {
    const { supervisor } = setup({
      'db:1': { unhealthyAfterMs: 3000 },
      'app:1': { exitAfterMs: 1000 },
    });
    const healthCheck = {
      command: ['CMD-SHELL', 'false'],
      intervalSeconds: 1,
      timeoutSeconds: 1,
      retries: 1,
      startPeriodSeconds: 0,
    };
    const p = plan([
      container('app', 'app:1', { dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      container('db', 'db:1', { essential: false, healthCheck }),
    ]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn, 500);
    assert.equal(
      progress.container(p.taskArn, 'app')?.reason,
      'dependency condition HEALTHY not met: container db is unhealthy',
    );
  });

  it('StopTask: SIGTERM, then SIGKILL once stopTimeout passes for a container that ignores it', async () => {
    const { supervisor } = setup({ 'stubborn:1': { ignoreSigterm: true } });
    const p = plan([container('app', 'stubborn:1', { stopTimeoutSeconds: 10 })]);
    const started = supervisor.next((e) => e.type === 'container:started');
    supervisor.launch(p);
    await clock.advance(0);
    await started;
    const stopAt = clock.now();
    supervisor.requestStop(p.taskArn, 'UserInitiated', 'Task stopped by the test');
    const exited = supervisor.next((e) => e.type === 'container:exited');
    await runToEnd(supervisor, p.taskArn);
    await exited;
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 137);
    const stopped = progress.last(p.taskArn);
    assert.equal(stopped?.stopCode, 'UserInitiated');
    assert.equal(stopped?.stoppedReason, 'Task stopped by the test');
    const deprov = progress.tasks.get(p.taskArn)?.find((u) => u.lastStatus === 'DEPROVISIONING');
    assert.ok(
      (deprov?.executionStoppedAt ?? 0) - stopAt >= 10_000,
      'killed only after the timeout',
    );
  });

  it('records an OOM kill with ECS reason and exit code 137', async () => {
    const { supervisor } = setup({ 'hog:1': { exitAfterMs: 500, oomKilled: true } });
    const p = plan([container('app', 'hog:1')]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    const app = progress.container(p.taskArn, 'app');
    assert.equal(app?.exitCode, 137);
    assert.equal(app?.reason, 'OutOfMemoryError: Container killed due to memory usage');
  });

  it('StopTask while the image is still being pulled stops without creating anything', async () => {
    const { runtime, supervisor } = setup({}, { pullDelayMs: 60_000 });
    const p = plan([container('app', 'slow:1')]);
    supervisor.launch(p);
    await clock.advance(1000);
    supervisor.requestStop(p.taskArn, 'UserInitiated', 'changed my mind');
    await runToEnd(supervisor, p.taskArn);
    const stopped = progress.last(p.taskArn);
    assert.equal(stopped?.stopCode, 'UserInitiated');
    assert.equal(stopped?.stoppedReason, 'changed my mind');
    assert.deepEqual(await runtime.listContainers(), []);
  });

  it('records Container Insights samples when the cluster enables them', async () => {
    const { supervisor } = setup({
      'job:1': { exitAfterMs: 35_000, memoryBytes: 5_000_000, cpuPercent: 12 },
    });
    const p = plan([container('app', 'job:1')], { containerInsights: true });
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    assert.ok(progress.stats.length >= 3, `got ${progress.stats.length} samples`);
    assert.equal(progress.stats[0]?.memoryBytes, 5_000_000);
    assert.equal(progress.stats[0]?.containerName, 'app');
  });

  it('after a restart, adopts running containers and keeps logs whole without duplicates', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => ({
      afterMs: (i + 1) * 1000,
      line: `line ${i + 1}`,
    }));
    const { runtime, supervisor } = setup({ 'job:1': { lines, exitAfterMs: 25_000 } });
    const p = plan([container('app', 'job:1')]);
    supervisor.launch(p);
    for (let i = 0; i < 12; i++) await clock.advance(1000);
    // cronbridge goes away; the container keeps running.
    await supervisor.detachAll();
    assert.equal((await runtime.listContainers()).length, 1);
    const stored = (await streamLines(`ecs/app/${p.taskId}`)).length;
    assert.ok(stored > 0 && stored < 20, `some lines stored before the restart (${stored})`);

    const second = new TaskSupervisor({
      runtime,
      logs,
      clock,
      progress,
      awslogsAccess: allowAwslogs(),
    });
    const report = await second.recover([{ plan: p, lastStatus: 'RUNNING' }]);
    assert.deepEqual(report.adopted, [p.taskArn]);
    await runToEnd(second, p.taskArn);
    assert.deepEqual(
      await streamLines(`ecs/app/${p.taskId}`),
      lines.map((l) => l.line),
    );
    assert.equal(progress.last(p.taskArn)?.stopCode, 'EssentialContainerExited');
    assert.deepEqual(await runtime.listContainers(), []);
  });

  it('detachAll gives up every wait and log follow and records nothing: the task stays RUNNING', async () => {
    const { runtime, supervisor } = setup({
      'job:1': {
        lines: [
          { afterMs: 500, line: 'before the detach' },
          { afterMs: 30_000, line: 'after the detach' },
        ],
        healthyAfterMs: 1000,
        memoryBytes: 1_000_000,
      },
    });
    const healthCheck = {
      command: ['CMD-SHELL', 'true'],
      intervalSeconds: 1,
      timeoutSeconds: 1,
      retries: 1,
      startPeriodSeconds: 0,
    };
    const p = plan([container('app', 'job:1', { healthCheck })], { containerInsights: true });
    const started = supervisor.next((e) => e.type === 'container:started');
    supervisor.launch(p);
    await clock.advance(0);
    const { runtimeId } = (await started) as { runtimeId: string };
    for (let i = 0; i < 12; i++) await clock.advance(1000);
    assert.equal(runtime.openCalls(), 2, 'the exit wait and the log follow are open');
    assert.ok(progress.stats.length > 0, 'sampling ran before the detach');
    const snapshot = JSON.stringify([
      [...progress.tasks],
      [...progress.containers],
      progress.stats,
    ]);

    await supervisor.detachAll();
    assert.equal(runtime.openCalls(), 0, 'no request to the engine is left open');
    assert.equal(progress.last(p.taskArn)?.lastStatus, 'RUNNING');
    assert.equal((await runtime.inspectContainer(runtimeId)).running, true);

    // The container ends later: nobody is watching any more, so nothing is recorded.
    await runtime.killContainer(runtimeId, 'SIGKILL');
    for (let i = 0; i < 40; i++) await clock.advance(1000);
    assert.equal(
      JSON.stringify([[...progress.tasks], [...progress.containers], progress.stats]),
      snapshot,
      'a given-up wait is never taken for an exit',
    );
    assert.deepEqual(await streamLines(`ecs/app/${p.taskId}`), ['before the detach']);
  });

  it('adopts a task recorded as still starting once its container has started (never runs it twice)', async () => {
    const { runtime, supervisor } = setup({ 'job:1': { exitAfterMs: 5000 } });
    const p = plan([container('app', 'job:1')]);
    const started = supervisor.next((e) => e.type === 'container:started');
    supervisor.launch(p);
    await clock.advance(0);
    await started;
    await supervisor.detachAll();

    const second = new TaskSupervisor({
      runtime,
      logs,
      clock,
      progress,
      awslogsAccess: allowAwslogs(),
    });
    const report = await second.recover([{ plan: p, lastStatus: 'ACTIVATING' }]);
    assert.deepEqual(report.adopted, [p.taskArn]);
    assert.deepEqual(report.restarted, []);
    await runToEnd(second, p.taskArn);
    assert.equal(progress.container(p.taskArn, 'app')?.exitCode, 0);
  });

  it('restarts a task that was still starting when no container had started', async () => {
    const { runtime, supervisor } = setup({}, { pullDelayMs: 60_000 });
    const p = plan([container('app', 'slow:1')]);
    supervisor.launch(p);
    await clock.advance(1000);
    await supervisor.detachAll();
    const second = new TaskSupervisor({
      runtime,
      logs,
      clock,
      progress,
      awslogsAccess: allowAwslogs(),
    });
    const report = await second.recover([{ plan: p, lastStatus: 'PENDING' }]);
    assert.deepEqual(report.restarted, [p.taskArn]);
    await runToEnd(second, p.taskArn, 5000);
    assert.equal(progress.last(p.taskArn)?.lastStatus, 'STOPPED');
  });

  it("leaves another instance's containers alone when recovering", async () => {
    const { runtime } = setup({ 'job:1': {} });
    const other = new TaskSupervisor({
      runtime,
      logs,
      clock,
      progress,
      instanceId: 'other',
      awslogsAccess: allowAwslogs(),
    });
    const theirs = plan([container('app', 'job:1')]);
    other.launch(theirs);
    for (let i = 0; i < 3; i++) await clock.advance(100);
    const mine = new TaskSupervisor({
      runtime,
      logs,
      clock,
      progress,
      instanceId: 'mine',
      awslogsAccess: allowAwslogs(),
    });
    const report = await mine.recover([]);
    assert.deepEqual(report.removedContainers, []);
    assert.equal((await runtime.listContainers()).length, 1);
    other.requestStop(theirs.taskArn, 'UserInitiated', 'done');
    await runToEnd(other, theirs.taskArn);
  });

  it('removes containers of unknown tasks and stops tasks whose containers vanished', async () => {
    const { runtime, supervisor } = setup({ 'job:1': {} });
    const orphan = plan([container('app', 'job:1')]);
    supervisor.launch(orphan);
    for (let i = 0; i < 3; i++) await clock.advance(100);
    await supervisor.detachAll();
    const lost = plan([container('app', 'job:1')]);

    const second = new TaskSupervisor({
      runtime,
      logs,
      clock,
      progress,
      awslogsAccess: allowAwslogs(),
    });
    const report = await second.recover([{ plan: lost, lastStatus: 'RUNNING' }]);
    assert.equal(report.removedContainers.length, 1);
    assert.deepEqual(report.vanished, [lost.taskArn]);
    assert.deepEqual(await runtime.listContainers(), []);
    const stopped = progress.last(lost.taskArn);
    assert.equal(stopped?.lastStatus, 'STOPPED');
    assert.match(stopped?.stoppedReason ?? '', /containers were gone from the container engine/);
  });

  it("reports the container's address from the engine, and none when the engine gave none", async () => {
    const { supervisor } = setup({
      'web:1': { exitAfterMs: 2000, ipAddress: '172.18.0.7' },
      'off:1': { exitAfterMs: 2000 },
    });
    const p = plan([container('web', 'web:1'), container('off', 'off:1', { essential: false })]);
    supervisor.launch(p);
    await runToEnd(supervisor, p.taskArn);
    const running = (name: string) =>
      progress.containers
        .get(p.taskArn)
        ?.get(name)
        ?.find((u) => u.lastStatus === 'RUNNING');
    assert.equal(running('web')?.privateIpv4Address, '172.18.0.7');
    assert.ok(running('off'));
    assert.equal(running('off')?.privateIpv4Address, undefined);
  });
});
