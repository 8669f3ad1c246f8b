import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Task } from './ecs.types.ts';
import {
  IllegalTransitionError,
  TASK_STATUSES,
  TASK_TRANSITIONS,
  type TaskStatus,
  applyContainerState,
  applyStopRequest,
  applyTaskState,
  failedToStartReason,
} from './task-lifecycle.ts';

const T = 1_000_000;

function task(extra: Partial<Task> = {}): Task {
  return {
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef',
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/job:1',
    availabilityZone: 'us-east-1a',
    group: 'family:job',
    desiredStatus: 'RUNNING',
    lastStatus: 'PROVISIONING',
    createdAt: T,
    overrides: { containerOverrides: [{ name: 'app' }] },
    attachments: [
      { id: 'att', type: 'ElasticNetworkInterface', status: 'PRECREATED', details: [] },
    ],
    containers: [
      {
        containerArn: 'c1',
        taskArn: 't',
        name: 'app',
        image: 'busybox',
        lastStatus: 'PENDING',
        networkInterfaces: [],
      },
    ],
    tags: [],
    enableExecuteCommand: false,
    version: 1,
    ...extra,
  };
}

describe('task state machine', () => {
  it('allows only forward moves, and every status can reach STOPPED', () => {
    TASK_STATUSES.forEach((from, i) => {
      for (const to of TASK_TRANSITIONS[from]) {
        assert.ok(TASK_STATUSES.indexOf(to) > i, `${from} -> ${to} must go forward`);
      }
      if (from !== 'STOPPED') assert.ok(TASK_TRANSITIONS[from].includes('STOPPED'), from);
    });
    assert.deepEqual(TASK_TRANSITIONS.STOPPED, []);
    assert.deepEqual(TASK_TRANSITIONS.PROVISIONING, ['PENDING', 'DEPROVISIONING', 'STOPPED']);
  });

  it('stamps ECS timestamps along a full Fargate life and bumps version on each change', () => {
    const steps: [TaskStatus, number, object?][] = [
      ['PENDING', T + 1000, { pullStartedAt: T + 1000 }],
      ['PENDING', T + 2000, { pullStoppedAt: T + 2000 }],
      ['ACTIVATING', T + 3000],
      ['RUNNING', T + 4000],
      ['DEACTIVATING', T + 5000],
      ['STOPPING', T + 6000],
      ['DEPROVISIONING', T + 7000, { executionStoppedAt: T + 6500 }],
      [
        'STOPPED',
        T + 8000,
        {
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
        },
      ],
    ];
    let t = task();
    for (const [lastStatus, at, extra] of steps) {
      t = applyTaskState(t, { lastStatus, at, ...extra });
    }
    assert.deepEqual(
      {
        lastStatus: t.lastStatus,
        desiredStatus: t.desiredStatus,
        connectivity: t.connectivity,
        connectivityAt: t.connectivityAt,
        pullStartedAt: t.pullStartedAt,
        pullStoppedAt: t.pullStoppedAt,
        startedAt: t.startedAt,
        stoppingAt: t.stoppingAt,
        executionStoppedAt: t.executionStoppedAt,
        stoppedAt: t.stoppedAt,
        stopCode: t.stopCode,
        stoppedReason: t.stoppedReason,
        attachment: t.attachments[0]?.status,
        version: t.version,
      },
      {
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        connectivity: 'CONNECTED',
        connectivityAt: T + 1000,
        pullStartedAt: T + 1000,
        pullStoppedAt: T + 2000,
        startedAt: T + 4000,
        stoppingAt: T + 5000,
        executionStoppedAt: T + 6500,
        stoppedAt: T + 8000,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        attachment: 'DELETED',
        version: 9,
      },
    );
  });

  it('lets a task that failed to start go straight to STOPPED without start timestamps', () => {
    const t = applyTaskState(task(), {
      lastStatus: 'STOPPED',
      at: T + 500,
      stopCode: 'TaskFailedToStart',
      stoppedReason: failedToStartReason('CannotPullContainerError', 'pull access denied'),
    });
    assert.equal(t.stoppedReason, 'CannotPullContainerError: pull access denied');
    assert.equal(t.stopCode, 'TaskFailedToStart');
    assert.equal(t.startedAt, undefined);
    assert.equal(t.connectivity, undefined);
    assert.equal(t.stoppingAt, T + 500);
    assert.equal(t.executionStoppedAt, T + 500);
    assert.equal(t.stoppedAt, T + 500);
  });

  it('refuses backward and skipping-into-start moves with an internal error', () => {
    const running = applyTaskState(applyTaskState(task(), { lastStatus: 'PENDING', at: T }), {
      lastStatus: 'RUNNING',
      at: T + 1,
    });
    assert.throws(
      () => applyTaskState(running, { lastStatus: 'PENDING', at: T + 2 }),
      (e: Error) =>
        e instanceof IllegalTransitionError &&
        /cannot move from RUNNING to PENDING/.test(e.message),
    );
    assert.throws(
      () => applyTaskState(task(), { lastStatus: 'RUNNING', at: T }),
      /cannot move from PROVISIONING to RUNNING/,
    );
    const stopped = applyTaskState(running, { lastStatus: 'STOPPED', at: T + 3 });
    assert.throws(
      () => applyTaskState(stopped, { lastStatus: 'RUNNING', at: T + 4 }),
      IllegalTransitionError,
    );
    assert.equal(applyTaskState(stopped, { lastStatus: 'STOPPED', at: T + 9 }), stopped, 'no-op');
  });

  it('keeps the StopTask code and reason over what the supervisor reports at the end', () => {
    let t = applyTaskState(task(), { lastStatus: 'PENDING', at: T });
    t = applyTaskState(t, { lastStatus: 'RUNNING', at: T + 1 });
    t = applyStopRequest(t, 'UserInitiated', 'maintenance', T + 2);
    assert.equal(t.desiredStatus, 'STOPPED');
    assert.equal(t.stoppingAt, T + 2);
    assert.equal(applyStopRequest(t, 'UserInitiated', 'again', T + 3), t, 'first stop stands');
    t = applyTaskState(t, { lastStatus: 'STOPPING', at: T + 4 });
    assert.equal(t.stoppingAt, T + 2);
    t = applyTaskState(t, {
      lastStatus: 'STOPPED',
      at: T + 5,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    assert.equal(t.stopCode, 'UserInitiated');
    assert.equal(t.stoppedReason, 'maintenance');
  });

  it('moves containers PENDING → RUNNING → STOPPED with runtime id, digest, exit code and reason', () => {
    let t = applyContainerState(task(), 'app', {
      lastStatus: 'PENDING',
      runtimeId: 'abc',
      imageDigest: 'sha256:00',
    });
    t = applyContainerState(t, 'app', { lastStatus: 'RUNNING', healthStatus: 'HEALTHY' });
    t = applyContainerState(t, 'app', {
      lastStatus: 'STOPPED',
      exitCode: 137,
      reason: 'x'.repeat(2000),
    });
    const c = t.containers[0];
    assert.equal(c?.lastStatus, 'STOPPED');
    assert.equal(c?.runtimeId, 'abc');
    assert.equal(c?.imageDigest, 'sha256:00');
    assert.equal(c?.healthStatus, 'HEALTHY');
    assert.equal(c?.exitCode, 137);
    assert.equal(c?.reason?.length, 1024);
    assert.equal(t.version, 4);
    assert.throws(
      () => applyContainerState(t, 'app', { lastStatus: 'RUNNING' }),
      /container app of task .* cannot move from STOPPED to RUNNING/,
    );
    assert.throws(
      () => applyContainerState(t, 'ghost', { lastStatus: 'RUNNING' }),
      /no container named ghost/,
    );
  });
});
