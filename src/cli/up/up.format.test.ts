import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  formatDeadLettered,
  formatDuration,
  formatPurged,
  formatRecovery,
  formatSlotFired,
  formatSlotsMissed,
  EXPOSED_WARNING,
  HOST_ACCESS_WARNING,
  formatSummary,
  formatTaskStarted,
  isLoopbackHost,
  formatTaskStopped,
  ruleNameOf,
} from './up.format.ts';

const T = Date.parse('2026-07-01T10:00:00Z');
const TASK = 'arn:aws:ecs:us-east-1:000000000000:task/seed/0123456789abcdef0123456789abcdef';
const noRecovery = { adopted: [], restarted: [], vanished: [], removedContainers: [] };

describe('up summary', () => {
  it('names endpoint, data dir, engine, rules, next slot and recovery', () => {
    const lines = formatSummary({
      apiUrl: 'http://127.0.0.1:4566',
      dataDir: '/srv/cronbridge',
      instanceId: 'cb-1234',
      docker: {
        address: 'unix:///var/run/docker.sock',
        engine: 'docker',
        version: '27.1.1',
        apiVersion: '1.46',
      },
      rules: 2,
      nextSlot: { ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/nightly', atMs: T + 42_000 },
      recovery: { ...noRecovery, adopted: [TASK] },
      nowMs: T,
    });
    assert.deepEqual(lines, [
      'cronbridge is up',
      '  API endpoint  http://127.0.0.1:4566',
      '  data dir      /srv/cronbridge (instance cb-1234)',
      '  containers    docker 27.1.1 (API 1.46) at unix:///var/run/docker.sock',
      '  rules         2 scheduled rules loaded',
      '  next slot     nightly at 2026-07-01T10:00:42Z (in 42.0s)',
      '  recovery      1 task re-attached (0123456789abcdef0123456789abcdef)',
    ]);
  });

  it('says plainly when there is nothing scheduled and nothing to re-attach', () => {
    const lines = formatSummary({
      apiUrl: 'http://[::1]:0',
      dataDir: '/d',
      instanceId: 'x',
      docker: { address: 'tcp://10.0.0.1:2375', engine: 'podman', version: '5.0.0' },
      rules: 1,
      recovery: noRecovery,
      nowMs: T,
    });
    assert.equal(lines[3], '  containers    podman 5.0.0 at tcp://10.0.0.1:2375');
    assert.equal(lines[4], '  rules         1 scheduled rule loaded');
    assert.equal(lines[5], '  next slot     none (no enabled scheduled rule)');
    assert.equal(lines[6], '  recovery      nothing to re-attach');
  });

  it('warns at the end of the summary when the API is reachable from other machines', () => {
    const summary = {
      apiUrl: 'http://0.0.0.0:4566',
      dataDir: '/d',
      instanceId: 'x',
      docker: { address: 'unix:///var/run/docker.sock', engine: 'docker', version: '27.1.1' },
      rules: 0,
      recovery: noRecovery,
      nowMs: T,
    };
    assert.deepEqual(formatSummary({ ...summary, exposed: true }).slice(-2), EXPOSED_WARNING);
    assert.match(EXPOSED_WARNING.join(' '), /^WARNING: .*--host 127\.0\.0\.1/);
    assert.ok(!formatSummary(summary).some((line) => line.startsWith('WARNING')));
    assert.deepEqual(
      formatSummary({ ...summary, hostAccess: true }).slice(-2),
      HOST_ACCESS_WARNING,
    );
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '127.0.0.1.example.com']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it('lists every kind of recovery outcome and abbreviates long id lists', () => {
    const ids = Array.from({ length: 7 }, (_, i) => `arn:aws:ecs:r:1:task/c/${i}`);
    assert.equal(
      formatRecovery({
        adopted: ids,
        restarted: [ids[0]!],
        vanished: [ids[1]!, ids[2]!],
        removedContainers: ['c1'],
      }),
      '7 tasks re-attached (0, 1, 2, 3, 4 and 2 more); 1 unstarted task launched again (0); ' +
        '2 tasks STOPPED, containers gone (1, 2); 1 leftover container removed',
    );
  });
});

describe('up run lines', () => {
  it('slot fired: rule name (custom bus kept) and nominal time', () => {
    assert.equal(ruleNameOf('arn:aws:events:us-east-1:000000000000:rule/ops/backup'), 'ops/backup');
    assert.equal(
      formatSlotFired({
        ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/every-minute',
        nominalMs: T,
        firedAtMs: T + 1200,
      }),
      '2026-07-01T10:00:01Z  fired    rule every-minute  slot 2026-07-01T10:00:00Z',
    );
  });

  it('task started: task id, family:revision, who started it', () => {
    assert.equal(
      formatTaskStarted(T, {
        taskArn: TASK,
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/tick:3',
        startedBy: 'events-rule/every-minute',
      }),
      '2026-07-01T10:00:00Z  started  task 0123456789abcdef0123456789abcdef  family tick:3  ' +
        'by events-rule/every-minute',
    );
    assert.match(formatTaskStarted(T, { taskArn: TASK }), /task 0123\w+ {2}by RunTask$/);
  });

  it('task stopped: exit code per container, stop code and reason, duration', () => {
    assert.equal(
      formatTaskStopped(T + 5000, {
        taskArn: TASK,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [
          { name: 'app', exitCode: 0 },
          { name: 'sidecar', exitCode: 143 },
          { name: 'init' },
        ],
        fromMs: T,
        toMs: T + 3_250,
      }),
      '2026-07-01T10:00:05Z  stopped  task 0123456789abcdef0123456789abcdef  ' +
        'exit app=0 sidecar=143 init=-  ' +
        'EssentialContainerExited: Essential container in task exited  after 3.2s',
    );
    assert.equal(
      formatTaskStopped(T, { taskArn: TASK, containers: [] }),
      '2026-07-01T10:00:00Z  stopped  task 0123456789abcdef0123456789abcdef  exit -  stopped',
    );
  });

  it('missed slots, dead letters and housekeeping', () => {
    const rule = 'arn:aws:events:us-east-1:000000000000:rule/r';
    assert.equal(
      formatSlotsMissed(T, { ruleArn: rule, firstMs: T - 180_000, lastMs: T - 120_000, count: 2 }),
      '2026-07-01T10:00:00Z  missed   rule r  2 slots 2026-07-01T09:57:00Z .. ' +
        '2026-07-01T09:58:00Z (too late to fire)',
    );
    assert.equal(
      formatDeadLettered(T, { ruleArn: rule, targetId: 't', attempts: 3, errorCode: 'Boom' }),
      '2026-07-01T10:00:00Z  failed   rule r  target t: Boom after 3 attempts',
    );
    assert.equal(
      formatPurged(T, { tasks: 1, events: 20, slots: 0, deadLetters: 0 }),
      '2026-07-01T10:00:00Z  purged   1 expired stopped task, 20 expired log events',
    );
    assert.equal(
      formatPurged(T, { tasks: 0, events: 0, slots: 1440, deadLetters: 1 }),
      '2026-07-01T10:00:00Z  purged   0 expired stopped tasks, 0 expired log events, 1440 history slots, 1 dead letter',
    );
  });

  it('durations read naturally at every scale', () => {
    assert.equal(formatDuration(-5), '0ms');
    assert.equal(formatDuration(850), '850ms');
    assert.equal(formatDuration(3_299), '3.2s');
    assert.equal(formatDuration(125_000), '2m05s');
    assert.equal(formatDuration(3_720_000), '1h02m');
  });
});
