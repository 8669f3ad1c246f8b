/**
 * The client commands (`run-task`, `tasks`, `logs tail`, `history`, `dlq`, `rules`) run in-process
 * through `main()` against a real server (createEngine + createEngineApi on an ephemeral loopback
 * port) whose tasks run on real Docker. The first suite runs on the real clock (containers and
 * polling take real time); the second drives a ManualClock to make scheduled rules fire.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { runCli } from '../../src/cli/client/client.test-support.ts';
import { defaultNetwork } from '../../src/engine/engine.test-support.ts';
import { main } from '../../src/cli/main.ts';
import { ManualClock, SystemClock } from '../../src/platform/clock.ts';
import { integrationGate, TEST_IMAGE } from '../support/docker.ts';
import { type TestEngine, testEngine } from '../support/test-engine.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';

const skip = await integrationGate();
const ROLE = 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole';

function awslogs(group: string) {
  return {
    logDriver: 'awslogs' as const,
    options: {
      'awslogs-group': group,
      'awslogs-region': 'us-east-1',
      'awslogs-stream-prefix': 'ecs',
    },
  };
}

function fargate(
  family: string,
  containers: { name: string; command: string; essential?: boolean }[],
) {
  return {
    family,
    networkMode: 'awsvpc' as const,
    requiresCompatibilities: ['FARGATE' as const],
    cpu: '256',
    memory: '512',
    executionRoleArn: ROLE,
    containerDefinitions: containers.map((c) => ({
      name: c.name,
      image: TEST_IMAGE,
      command: ['sh', '-c', c.command],
      ...(c.essential === undefined ? {} : { essential: c.essential }),
      logConfiguration: awslogs('/ecs/cli-job'),
    })),
  };
}

/** Polls (real time) until `check` holds; integration tests on real Docker may wait like this. */
async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  for (let waited = 0; !check(); waited += 50) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

/** Runs the CLI with a live stdout buffer and an interrupt the test pulls. */
function startCli(args: string[], clock: SystemClock) {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const done = main(['node', 'cronbridge', ...args], {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    clock,
    env: {},
    interrupt: controller.signal,
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    interrupt: () => controller.abort(new Error('test interrupt')),
    done,
  };
}

describe('client commands against a server running tasks on Docker', { skip }, () => {
  const clock = new SystemClock();
  let fx: TestEngine;
  let endpoint: string[];
  /** The region's first default subnet (RunTask accepts only subnets that exist). */
  let subnet: string | undefined;
  const cli = (...args: string[]) => runCli([...args, ...endpoint], { clock });

  before(async () => {
    fx = await testEngine({ prefix: 'cli-clients', serviceRoles: true });
    endpoint = ['--endpoint', fx.url];
    [subnet] = (await defaultNetwork(fx.engine)).subnets;
    const { ecs, logs } = fx.engine;
    await ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'seed' });
    await logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/cli-job' });
    await ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      fargate('cli-ok', [
        { name: 'job', command: 'echo hello; sleep 1; echo done' },
        // A failing sidecar that is not essential must not fail the job.
        { name: 'helper', command: 'exit 1', essential: false },
      ]),
    );
    await ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      fargate('cli-fail', [{ name: 'job', command: 'echo never' }]),
    );
    await ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      fargate('cli-ticker', [
        { name: 'job', command: 'for i in 1 2 3 4 5; do echo "line $i"; sleep 0.4; done' },
      ]),
    );
  });

  after(async () => {
    await fx?.[Symbol.asyncDispose]();
  });

  let okTaskId = '';

  it('run-task --wait: exit codes per container and log streams; a non-essential failure is fine', async () => {
    const result = await cli(
      'run-task',
      ...['--cluster', 'seed', '--task-definition', 'cli-ok:1', '--subnets', subnet!],
      ...['--wait', '--interval', '200ms'],
    );
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^TASK\s+CONTAINER\s+ESSENTIAL\s+EXIT\s+STOP REASON\s+LOG STREAM$/,
    );
    const job = lines.find((l) => / job /.test(l)) ?? '';
    const helper = lines.find((l) => / helper /.test(l)) ?? '';
    okTaskId = job.split(/\s+/)[0] ?? '';
    assert.match(okTaskId, /^[0-9a-f]{32}$/);
    assert.match(job, new RegExp(`job\\s+yes\\s+0\\s+.*/ecs/cli-job ecs/job/${okTaskId}$`));
    assert.match(helper, /helper\s+no\s+1\s+/);
    assert.match(result.stderr, /started cli-ok:1: [0-9a-f]{32}; waiting for STOPPED/);
  });

  it('run-task --wait exits 3 when the essential container fails (--command override)', async () => {
    const result = await cli(
      'run-task',
      ...['--cluster', 'seed', '--task-definition', 'cli-fail', '--subnets', subnet!],
      ...['--command', "sh -c 'echo failing; exit 3'", '--wait', '--interval', '200ms', '--json'],
    );
    assert.equal(result.code, 3, result.stderr);
    const out = JSON.parse(result.stdout) as {
      tasks: {
        failed: boolean;
        containers: { name: string; exitCode: number }[];
        lastStatus: string;
      }[];
    };
    assert.equal(out.tasks.length, 1);
    assert.equal(out.tasks[0]?.lastStatus, 'STOPPED');
    assert.equal(out.tasks[0]?.failed, true);
    assert.deepEqual(
      out.tasks[0]?.containers.map((c) => [c.name, c.exitCode]),
      [['job', 3]],
    );
  });

  it('tasks: stopped tasks with family:revision, exit codes and stop reasons; --json', async () => {
    const table = await cli('tasks', '--cluster', 'seed', '--status', 'STOPPED');
    assert.equal(table.code, 0, table.stderr);
    const row = table.stdout.split('\n').find((l) => l.startsWith(okTaskId)) ?? '';
    assert.match(
      row,
      /seed\s+cli-ok:1\s+STOPPED\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+job=0,helper=1\s+Essential container in task exited$/,
    );
    assert.match(table.stdout, /cli-fail:1\s+STOPPED.*\s3\s+Essential container in task exited/);

    const json = await cli('tasks', '--json');
    assert.equal(json.code, 0, json.stderr);
    const { tasks } = JSON.parse(json.stdout) as {
      tasks: { taskId: string; lastStatus: string }[];
    };
    assert.ok(tasks.some((t) => t.taskId === okTaskId && t.lastStatus === 'STOPPED'));
  });

  it('logs tail: the events of one task stream, time-stamped and in order', async () => {
    const result = await cli(
      'logs',
      'tail',
      '/ecs/cli-job',
      ...['--since', '1h', '--stream-prefix', `ecs/job/${okTaskId}`],
    );
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, result.stdout);
    assert.match(
      lines[0] ?? '',
      new RegExp(`^\\d{4}-[\\d-]+T[\\d:.]+Z ecs/job/${okTaskId} hello$`),
    );
    assert.match(lines[1] ?? '', /ecs\/job\/[0-9a-f]{32} done$/);
  });

  it('tasks --watch appends rows as a task changes, and Ctrl-C ends it with exit 0', async () => {
    const started = await cli(
      'run-task',
      ...['--cluster', 'seed', '--task-definition', 'cli-ticker', '--subnets', subnet!, '--json'],
    );
    assert.equal(started.code, 0, started.stderr);
    const taskId = (JSON.parse(started.stdout) as { tasks: { taskId: string }[] }).tasks[0]?.taskId;
    assert.ok(taskId);
    const watch = startCli(
      ['tasks', '--cluster', 'seed', '--watch', '--interval', '200ms', ...endpoint],
      clock,
    );
    const stoppedRow = new RegExp(
      `^${taskId}\\s.*STOPPED.*\\s0\\s+Essential container in task exited$`,
      'm',
    );
    await until(() => stoppedRow.test(watch.stdout()), 'the STOPPED row', 60_000);
    watch.interrupt();
    assert.equal(await watch.done, 0, watch.stderr());
    const lines = watch.stdout().trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^TASK\s+CLUSTER\s+TASK DEFINITION\s+STATUS/);
    assert.equal(lines.filter((l) => l.startsWith('TASK ')).length, 1, 'one header only');
    const rows = lines.filter((l) => l.startsWith(taskId ?? '-'));
    // Seen before it stopped (in the first table or a change row), then once as STOPPED.
    assert.ok(rows.length >= 2, watch.stdout());
    assert.equal(rows.filter((l) => /\sSTOPPED\s/.test(l)).length, 1, watch.stdout());
  });

  it('logs tail --follow prints each new event once, in order, until Ctrl-C', async () => {
    const started = await cli(
      'run-task',
      ...['--cluster', 'seed', '--task-definition', 'cli-ticker', '--subnets', subnet!, '--json'],
    );
    assert.equal(started.code, 0, started.stderr);
    const taskId = (JSON.parse(started.stdout) as { tasks: { taskId: string }[] }).tasks[0]?.taskId;
    const follow = startCli(
      [
        ...['logs', 'tail', '/ecs/cli-job', '--stream-prefix', `ecs/job/${taskId}`],
        ...['--follow', '--interval', '150ms', ...endpoint],
      ],
      clock,
    );
    await until(() => follow.stdout().includes('line 5'), 'the last line', 60_000);
    // A few more polls: nothing may be printed twice.
    await delay(600);
    follow.interrupt();
    assert.equal(await follow.done, 0, follow.stderr());
    const messages = follow
      .stdout()
      .trimEnd()
      .split('\n')
      .map((l) => l.split(' ').slice(2).join(' '));
    assert.deepEqual(messages, ['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  });
});

const T0 = Date.parse('2026-07-01T10:00:00Z');

describe('history, dlq and rules after a scheduled rule fired on Docker', { skip }, () => {
  const clock = new ManualClock(T0);
  let fx: TestEngine;
  let endpoint: string[];
  const cli = (...args: string[]) => runCli([...args, ...endpoint], { clock });
  let taskId = '';

  before(async () => {
    fx = await testEngine({ prefix: 'cli-history', clock, startFiring: true, serviceRoles: true });
    endpoint = ['--endpoint', fx.url];
    const { ecs, logs, events } = fx.engine;
    const { subnets } = await defaultNetwork(fx.engine);
    await ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'seed' });
    await logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/cli-job' });
    await ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      fargate('tick', [{ name: 'tick', command: 'echo tick' }]),
    );
    const ecsTarget = (id: string, family: string) => ({
      Id: id,
      Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/seed',
      RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
      EcsParameters: {
        TaskDefinitionArn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${family}`,
        TaskCount: 1,
        LaunchType: 'FARGATE' as const,
        NetworkConfiguration: { awsvpcConfiguration: { Subnets: subnets } },
      },
    });
    await events.putRule(DEFAULT_CONTEXT, {
      Name: 'every-minute',
      ScheduleExpression: 'rate(1 minute)',
    });
    await events.putTargets(DEFAULT_CONTEXT, {
      Rule: 'every-minute',
      Targets: [ecsTarget('tick-task', 'tick')],
    });
    await events.putRule(DEFAULT_CONTEXT, { Name: 'broken', ScheduleExpression: 'rate(1 minute)' });
    await events.putTargets(DEFAULT_CONTEXT, {
      Rule: 'broken',
      Targets: [
        {
          ...ecsTarget('gone', 'no-such-family'),
          DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:cronbridge-dlq' },
        },
      ],
    });
    const stopped = fx.engine.supervisor.next((e) => e.type === 'task:stopped');
    const dead = fx.engine.invoker.events.next('invoke:deadLettered');
    await clock.advance(60_000);
    await dead;
    const event = await stopped;
    assert.equal(event.type, 'task:stopped');
    taskId = event.taskArn.split('/').at(-1) ?? '';
    await fx.engine.invoker.idle();
  });

  after(async () => {
    await fx?.[Symbol.asyncDispose]();
  });

  it('history: the fired slot, its delivery, task, exit code and log stream', async () => {
    const result = await cli('history', 'every-minute');
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, result.stdout);
    assert.match(
      lines[0] ?? '',
      /^NOMINAL\s+STATUS\s+LAG\s+TARGET\s+DELIVERY\s+ATTEMPTS\s+TASKS\s+EXIT\s+LOG STREAMS\s+NOTE$/,
    );
    assert.match(
      lines[1] ?? '',
      new RegExp(
        `^2026-07-01T10:01:00Z\\s+FIRED\\s+0ms\\s+tick-task\\s+SUCCEEDED\\s+1\\s+${taskId}\\s+0\\s+ecs/tick/${taskId}\\s+-$`,
      ),
    );

    const json = await cli('history', 'every-minute', '--json');
    const doc = JSON.parse(json.stdout) as {
      ruleArn: string;
      slots: {
        nominalTime: string;
        status: string;
        invocations: {
          status: string;
          tasks: { exitCodes: { exitCode: number }[]; logStreams: { stream: string }[] }[];
        }[];
      }[];
    };
    assert.equal(doc.ruleArn, 'arn:aws:events:us-east-1:000000000000:rule/every-minute');
    assert.equal(doc.slots[0]?.nominalTime, '2026-07-01T10:01:00.000Z');
    assert.equal(doc.slots[0]?.invocations[0]?.tasks[0]?.exitCodes[0]?.exitCode, 0);
    assert.equal(
      doc.slots[0]?.invocations[0]?.tasks[0]?.logStreams[0]?.stream,
      `ecs/tick/${taskId}`,
    );

    const logs = await cli('logs', 'tail', '/ecs/cli-job', '--since', '2026-07-01T00:00:00Z');
    assert.match(logs.stdout, new RegExp(`ecs/tick/${taskId} tick\\n`));
  });

  it('history of a failing target: the attempt error; unknown rules exit 2', async () => {
    const result = await cli('history', 'broken');
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /2026-07-01T10:01:00Z\s+FIRED\s+0ms\s+gone\s+FAILED\s+1\s+-\s+-\s+-\s+ClientException: TaskDefinition not found\./,
    );
    const unknown = await cli('history', 'no-such-rule');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /ResourceNotFoundException: Rule no-such-rule does not exist/);
  });

  it('dlq: the dead letter with its error, attempts and DeadLetterConfig ARN', async () => {
    const result = await cli('dlq');
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, result.stdout);
    assert.match(
      lines[1] ?? '',
      /^2026-07-01T10:01:00Z\s+2026-07-01T10:01:00Z\s+broken\s+gone\s+1\s+-\s+ClientException: TaskDefinition not found\.\s+arn:aws:sqs:us-east-1:000000000000:cronbridge-dlq$/,
    );
    const none = await cli('dlq', '--rule', 'every-minute');
    assert.equal(none.stdout, 'No dead letters.\n');
    const json = JSON.parse((await cli('dlq', '--json')).stdout) as {
      deadLetters: { ruleName: string; event: { 'detail-type': string } }[];
    };
    assert.equal(json.deadLetters[0]?.ruleName, 'broken');
    assert.equal(json.deadLetters[0]?.event['detail-type'], 'Scheduled Event');
  });

  it('rules: state, schedule, next slot and targets', async () => {
    const result = await cli('rules');
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /broken\s+ENABLED\s+rate\(1 minute\)\s+2026-07-01T10:02:00Z\s+gone: ecs seed\/no-such-family\n/,
    );
    assert.match(
      result.stdout,
      /every-minute\s+ENABLED\s+rate\(1 minute\)\s+2026-07-01T10:02:00Z\s+tick-task: ecs seed\/tick\n/,
    );
  });
});
