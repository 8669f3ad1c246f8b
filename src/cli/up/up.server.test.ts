/**
 * `cronbridge up`'s server on a ManualClock and a MemoryRuntime: the summary, run lines of a
 * scheduled run, restart with re-attachment, housekeeping, the task gauge, and start-up failures
 * that leave nothing open. The API listens on a real loopback port (0 = ephemeral).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { fargateDefinition } from '../../ecs/ecs.test-support.ts';
import { awsvpc, defaultNetwork } from '../../engine/engine.test-support.ts';
import { ManualClock } from '../../platform/clock.ts';
import { type ConfigInput, loadConfig } from '../../platform/config.ts';
import type { ContainerScript } from '../../runtime/memory-runtime.ts';
import { MemoryRuntime } from '../../runtime/memory-runtime.ts';
import { UpStartupError } from './up.errors.ts';
import { HELD_LINES_LIMIT, startUpServer, type UpServer } from './up.server.ts';
import { DEFAULT_CONTEXT } from '../../platform/ids.ts';
import { createServiceRoles, engineRoles } from '../../engine/service-roles.test-support.ts';

const T0 = Date.parse('2026-07-01T10:00:00Z');
const IMAGE = 'busybox:latest';

function fixture(script: ContainerScript, flags: Partial<ConfigInput> = {}) {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'cronbridge-up-')), 'data');
  const clock = new ManualClock(T0);
  const runtime = new MemoryRuntime({ clock, localImages: [IMAGE], scripts: { [IMAGE]: script } });
  const lines: string[] = [];
  const start = (more: Partial<ConfigInput> = {}) =>
    startUpServer(
      loadConfig({ flags: { dataDir, port: 0, taskNetwork: 'none', ...flags, ...more } }),
      {
        clock,
        write: (line) => lines.push(line),
        createRuntime: () => runtime,
        housekeepingIntervalMs: 60_000,
        engine: { logFlushIntervalMs: 500 },
      },
    );
  return { dataDir, clock, runtime, lines, start };
}

async function seed(server: UpServer): Promise<void> {
  const { engine } = server;
  // The rule's events role and the definition's execution role (`exec`), allowed what they do.
  await createServiceRoles(engineRoles(engine.iam), { execution: 'exec' });
  await engine.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'seed' });
  await engine.logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/nightly' });
  await engine.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
}

function stoppedFor(server: UpServer) {
  return server.engine.supervisor.next((e) => e.type === 'task:stopped');
}

function runningFor(server: UpServer) {
  return server.engine.supervisor.next((e) => e.type === 'task:status' && e.status === 'RUNNING');
}

describe('up server', () => {
  it('prints the summary, then one line per fired slot, started and stopped task', async () => {
    const fx = fixture({
      lines: [{ afterMs: 100, line: 'hello' }],
      exitAfterMs: 2_000,
      exitCode: 0,
    });
    const server = await fx.start();
    try {
      await seed(server);
      const net = await defaultNetwork(server.engine);
      await server.engine.events.putRule(DEFAULT_CONTEXT, {
        Name: 'nightly',
        ScheduleExpression: 'rate(1 minute)',
      });
      await server.engine.events.putTargets(DEFAULT_CONTEXT, {
        Rule: 'nightly',
        Targets: [
          {
            Id: 'job',
            Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/seed',
            RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
            EcsParameters: {
              TaskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/nightly',
              LaunchType: 'FARGATE',
              NetworkConfiguration: { awsvpcConfiguration: { Subnets: net.subnets } },
            },
          },
        ],
      });
      assert.equal(fx.lines[0], 'cronbridge is up');
      assert.ok(fx.lines.includes(`  API endpoint  ${server.address.url}`));
      assert.match(server.address.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server.address.port, 0);
      assert.ok(fx.lines.includes('  containers    memory 1.0.0 at unix:///var/run/docker.sock'));
      assert.equal(fx.lines.length, 7);

      const running = runningFor(server);
      const stopped = stoppedFor(server);
      await fx.clock.advance(60_000);
      const { taskArn } = await running;
      await fx.clock.advance(3_000);
      await stopped;
      await server.idle();
      const taskId = taskArn.split('/').at(-1);
      assert.deepEqual(fx.lines.slice(7), [
        '2026-07-01T10:01:00Z  fired    rule nightly  slot 2026-07-01T10:01:00Z',
        `2026-07-01T10:01:00Z  started  task ${taskId}  family nightly:1  by events-rule/nightly`,
        `2026-07-01T10:01:02Z  stopped  task ${taskId}  exit app=0  ` +
          'EssentialContainerExited: Essential container in task exited  after 2.0s',
      ]);
    } finally {
      await server.stop();
    }
  });

  it('after downtime, holds back the first 200 start-up lines for after the summary and counts the rest', async () => {
    const fx = fixture({ exitAfterMs: 1_000, exitCode: 0 });
    const first = await fx.start();
    for (let i = 0; i < 250; i++) {
      await first.engine.events.putRule(DEFAULT_CONTEXT, {
        Name: `r${i}`,
        ScheduleExpression: 'rate(1 minute)',
      });
    }
    await first.stop();
    // Down over every rule's first slot, but within the 2-minute lateness: each fires late.
    await fx.clock.advance(90_000);
    fx.lines.length = 0;
    const second = await fx.start();
    try {
      assert.equal(fx.lines[0], 'cronbridge is up');
      const note = fx.lines.findIndex((l) => l.includes('not shown'));
      assert.ok(note > 0, fx.lines.slice(0, 12).join('\n'));
      const fired = fx.lines.slice(0, note).filter((l) => l.includes(' fired '));
      assert.equal(fired.length, HELD_LINES_LIMIT);
      assert.equal(
        fx.lines[note],
        '2026-07-01T10:01:30Z  note     50 more start-up lines not shown; `cronbridge history <rule>` has every slot',
      );
    } finally {
      await second.stop();
    }
  });

  it('keeps containers running over a stop; the next start re-attaches them with whole logs', async () => {
    const fx = fixture(
      {
        lines: [
          { afterMs: 1_000, line: 'before restart' },
          { afterMs: 20_000, line: 'after restart' },
        ],
        exitAfterMs: 30_000,
        exitCode: 0,
      },
      { containerLabels: { 'example.org/owner': 'ops' } },
    );
    const first = await fx.start();
    await seed(first);
    const running = runningFor(first);
    const {
      tasks: [task],
    } = await first.engine.ecs.runTask(DEFAULT_CONTEXT, {
      cluster: 'seed',
      taskDefinition: 'nightly',
      launchType: 'FARGATE',
      networkConfiguration: awsvpc(await defaultNetwork(first.engine)),
    });
    const taskArn = task!.taskArn;
    await running;
    await fx.clock.advance(5_000);
    await first.stop();
    await first.stop(); // idempotent
    const containers = await fx.runtime.listContainers();
    assert.equal(containers.length, 1);
    assert.equal(containers[0]?.running, true, 'the container outlives cronbridge');
    const instanceId = readFileSync(join(fx.dataDir, 'instance-id'), 'utf8').trim();
    assert.equal(containers[0]?.labels['cronbridge.instance'], instanceId);
    assert.equal(containers[0]?.labels['example.org/owner'], 'ops', 'config containerLabels');

    await fx.clock.advance(10_000);
    fx.lines.length = 0;
    const second = await fx.start();
    try {
      const taskId = taskArn.split('/').at(-1);
      assert.equal(second.summary.instanceId, instanceId);
      assert.ok(
        fx.lines.includes(`  recovery      1 task re-attached (${taskId})`),
        fx.lines.join('\n'),
      );
      const stopped = stoppedFor(second);
      await fx.clock.advance(20_000);
      await stopped;
      await second.idle();
      assert.match(fx.lines.at(-1) ?? '', new RegExp(`stopped  task ${taskId}  exit app=0 `));
      const {
        tasks: [done],
      } = await second.engine.ecs.describeTasks(DEFAULT_CONTEXT, {
        cluster: 'seed',
        tasks: [taskArn],
      });
      assert.equal(done?.lastStatus, 'STOPPED');
      assert.equal(done?.containers[0]?.exitCode, 0);
      const events = await second.engine.logs.getLogEvents(DEFAULT_CONTEXT, {
        logGroupName: '/ecs/nightly',
        logStreamName: `ecs/app/${taskId}`,
        startFromHead: true,
      });
      assert.deepEqual(
        events.events.map((e) => e.message),
        ['before restart', 'after restart'],
      );
    } finally {
      await second.stop();
    }
  });

  it('serves the task gauge on /metrics and purges expired stopped tasks', async () => {
    const fx = fixture({ exitAfterMs: 1_000, exitCode: 3 }, { stoppedTaskRetention: '2m' });
    const server = await fx.start();
    try {
      await seed(server);
      const stopped = stoppedFor(server);
      const {
        tasks: [task],
      } = await server.engine.ecs.runTask(DEFAULT_CONTEXT, {
        cluster: 'seed',
        taskDefinition: 'nightly',
        launchType: 'FARGATE',
        networkConfiguration: awsvpc(await defaultNetwork(server.engine)),
      });
      await fx.clock.advance(2_000);
      await stopped;
      const metrics = await (await fetch(`${server.address.url}/metrics`)).text();
      assert.match(metrics, /^# TYPE cronbridge_tasks gauge$/m);
      assert.match(metrics, /^cronbridge_tasks\{last_status="STOPPED"\} 1$/m);
      assert.match(metrics, /^cronbridge_tasks\{last_status="RUNNING"\} 0$/m);

      // Housekeeping runs every minute; the task expires two minutes after it stopped.
      await fx.clock.advance(3 * 60_000);
      await server.idle();
      assert.ok(
        fx.lines.some((l) => /purged {3}1 expired stopped task, 0 expired log events$/.test(l)),
        fx.lines.join('\n'),
      );
      const { failures } = await server.engine.ecs.describeTasks(DEFAULT_CONTEXT, {
        cluster: 'seed',
        tasks: [task!.taskArn],
      });
      assert.equal(failures[0]?.reason, 'MISSING');
      const after = await (await fetch(`${server.address.url}/metrics`)).text();
      assert.match(after, /^cronbridge_tasks\{last_status="STOPPED"\} 0$/m);
    } finally {
      await server.stop();
    }
  });

  it('an unreachable engine fails with a how-to-fix message before touching the data dir', async () => {
    const fx = fixture({});
    fx.runtime.setAvailable(false);
    await assert.rejects(fx.start(), (error: Error) => {
      assert.ok(error instanceof UpStartupError);
      assert.equal(error.exitCode, 1);
      assert.match(
        error.message,
        /^cannot reach a container engine at unix:\/\/\/var\/run\/docker\.sock \(Docker's default socket; no DOCKER_HOST was set\): switched off by the test\./,
      );
      assert.match(error.message, /systemctl start docker/);
      assert.match(error.message, /podman system service/);
      return true;
    });
    assert.equal(existsSync(fx.dataDir), false);
  });

  it('refuses a network address with the default root secret (exit 2, naming the setting)', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      const fx = fixture({});
      await assert.rejects(fx.start({ host }), (error: Error) => {
        assert.ok(error instanceof UpStartupError);
        assert.equal(error.exitCode, 2);
        assert.match(
          error.message,
          new RegExp(`^refusing to listen on ${host.replace(/\./g, '\\.')} `),
        );
        assert.match(error.message, /CRONBRIDGE_ROOT_SECRET_ACCESS_KEY/);
        return true;
      });
      assert.equal(existsSync(fx.dataDir), false, 'refused before touching the data dir');
    }
    // A secret of one's own is accepted on any address; the default one on loopback.
    const own = fixture({}, { rootSecretAccessKey: 'a-secret-of-my-own' });
    await (await own.start({ host: '0.0.0.0' })).stop();
    await (await fixture({}).start({ host: 'localhost' })).stop();
  });

  it('a port in use fails clearly and leaves nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const fx = fixture({});
    try {
      await assert.rejects(fx.start({ port }), (error: Error) => {
        assert.ok(error instanceof UpStartupError);
        assert.equal(error.exitCode, 1);
        assert.equal(
          error.message,
          `port ${port} on 127.0.0.1 is already in use (another cronbridge or LocalStack?). ` +
            'Stop that process, or pick another port with --port (0 picks a free one) or ' +
            'CRONBRIDGE_PORT.',
        );
        return true;
      });
      assert.equal(fx.clock.pendingTimers(), 0, 'no timer of a half-started server is left');
      assert.deepEqual(fx.lines, []);
      // The same data directory starts fine afterwards (store closed, id kept).
      const server = await fx.start();
      await server.stop();
    } finally {
      blocker.close();
    }
  });
  it('a second up on the same data directory exits 1 naming the holder, and starts once it stopped', async () => {
    const fx = fixture({});
    const first = await fx.start();
    try {
      await assert.rejects(fx.start(), (error: Error) => {
        assert.ok(error instanceof UpStartupError);
        assert.equal(error.exitCode, 1);
        assert.equal(
          error.message,
          `the data directory ${fx.dataDir} is in use by cronbridge pid ${process.pid} serving ` +
            `${first.address.url}. Stop that process, or start this one with another --data-dir ` +
            '(CRONBRIDGE_DATA_DIR).',
        );
        return true;
      });
    } finally {
      await first.stop();
    }
    const second = await fx.start();
    await second.stop();
  });

  it('refuses host network unless the config allows host access, and says so when it does', async () => {
    const hostDefinition = {
      family: 'hostjob',
      networkMode: 'host',
      containerDefinitions: [{ name: 'app', image: IMAGE, memory: 64 }],
    };
    const strict = fixture({ exitAfterMs: 0 });
    const confined = await strict.start();
    try {
      await assert.rejects(
        confined.engine.ecs.registerTaskDefinition(DEFAULT_CONTEXT, hostDefinition),
        {
          name: 'ClientException',
        },
      );
      assert.ok(!strict.lines.some((l) => l.includes('allowHostAccess')));
    } finally {
      await confined.stop();
    }
    const open = fixture({ exitAfterMs: 0 }, { allowHostAccess: true });
    const widened = await open.start();
    try {
      await widened.engine.ecs.registerTaskDefinition(DEFAULT_CONTEXT, hostDefinition);
      assert.ok(open.lines.some((l) => l.startsWith('WARNING: allowHostAccess is on')));
    } finally {
      await widened.stop();
    }
  });
});
