/**
 * The client commands against an in-process server on the in-memory container runtime (no
 * Docker): table and JSON output, history windows and MISSED runs, and how `--watch`/`--wait`
 * end on Ctrl-C. The Docker-backed end-to-end runs are in test/integration/cli-clients.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  JOB_IMAGE,
  memoryEngine,
  type MemoryEngine,
  runCli,
} from '../client/client.test-support.ts';
import { defaultNetwork } from '../../engine/engine.test-support.ts';
import { DEFAULT_CONTEXT } from '../../platform/ids.ts';

const MIN = 60_000;

describe('client commands on an in-memory engine', () => {
  let fx: MemoryEngine;
  const cli = (...args: string[]) => runCli([...args, '--endpoint', fx.url], { clock: fx.clock });
  const aborted = () => {
    const controller = new AbortController();
    controller.abort(new Error('Ctrl-C'));
    return controller.signal;
  };

  before(async () => {
    fx = await memoryEngine();
  });

  after(async () => {
    await fx[Symbol.asyncDispose]();
  });

  it('says so when there is nothing to list', async () => {
    assert.deepEqual(await cli('tasks'), { code: 0, stdout: 'No tasks.\n', stderr: '' });
    assert.deepEqual(await cli('rules'), { code: 0, stdout: 'No rules.\n', stderr: '' });
    assert.deepEqual(await cli('dlq'), { code: 0, stdout: 'No dead letters.\n', stderr: '' });
    assert.deepEqual(JSON.parse((await cli('tasks', '--json')).stdout), { tasks: [] });
  });

  it('run-task prints the started task; --wait interrupted exits 130 naming it', async () => {
    const { ecs } = fx.engine;
    await ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'seed' });
    await ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family: 'job',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'job', image: JOB_IMAGE }],
    });
    const net = await defaultNetwork(fx.engine);
    const started = await cli(
      ...['run-task', '--cluster', 'seed', '--task-definition', 'job'],
      ...['--subnets', net.subnets.slice(0, 2).join(','), '--count', '2'],
    );
    assert.equal(started.code, 0, started.stderr);
    const lines = started.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1] ?? '', /^[0-9a-f]{32}\s+seed\s+job:1\s+PROVISIONING\s+-\s+-\s+-\s+-$/);

    const waited = await runCli(
      [
        ...['run-task', '--cluster', 'seed', '--task-definition', 'job:1'],
        ...['--subnets', net.subnets[0]!],
        ...['--wait', '--endpoint', fx.url],
      ],
      { clock: fx.clock, interrupt: aborted() },
    );
    assert.equal(waited.code, 130);
    assert.match(
      waited.stderr,
      /stopped waiting; the tasks keep running: arn:aws:ecs:us-east-1:000000000000:task\/seed\/[0-9a-f]{32}\n$/,
    );
  });

  it('a request the server refuses exits 2 with its code and message', async () => {
    const result = await cli('run-task', '--cluster', 'nowhere', '--task-definition', 'job');
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'cronbridge: ClusterNotFoundException: Cluster not found.\n');
    const logs = await cli('logs', 'tail', '/no/such/group');
    assert.equal(logs.code, 2);
    assert.match(logs.stderr, /^cronbridge: ResourceNotFoundException: /);
  });

  it('tasks --watch prints the table and ends cleanly on Ctrl-C', async () => {
    await fx.clock.advance(1000);
    const result = await runCli(['tasks', '--watch', '--endpoint', fx.url], {
      clock: fx.clock,
      interrupt: aborted(),
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^TASK\s+CLUSTER\s+TASK DEFINITION\s+STATUS\s+STARTED\s+STOPPED\s+EXIT\s+STOP REASON$/,
    );
    assert.equal(lines.length, 4, result.stdout);
    assert.ok(
      lines
        .slice(1)
        .every((l) =>
          /\s+seed\s+job:1\s+STOPPED\s.*\s0\s+Essential container in task exited$/.test(l),
        ),
      result.stdout,
    );
  });

  it('history: newest slots first found, MISSED runs summarised, --limit and --since', async () => {
    const { events, firing } = fx.engine;
    await events.putRule(DEFAULT_CONTEXT, { Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
    // Anchored at T0 + 1 s: slots at :01 of each minute. Three fire, then the loop is down
    // for 15 minutes: the slots more than 2 minutes late are MISSED (ten rows of their own, the
    // rest in one summary row), the last two fire late on restart.
    for (let i = 0; i < 3; i++) await fx.clock.advance(MIN);
    await firing.stop();
    await fx.clock.advance(15 * MIN);
    await firing.start();
    await fx.engine.invoker.idle();

    const all = await cli('history', 'tick', '--limit', '100');
    assert.equal(all.code, 0, all.stderr);
    const rows = all.stdout.trimEnd().split('\n').slice(1);
    const fired = rows.filter((r) => /\sFIRED\s/.test(r));
    const missed = rows.filter((r) => /\sMISSED/.test(r));
    assert.equal(fired.length, 6, all.stdout);
    assert.match(
      fired[0] ?? '',
      /^2026-07-01T10:01:01Z\s+FIRED\s+0ms\s+-\s+-\s+0\s+-\s+-\s+-\s+-$/,
    );
    assert.match(fired[3] ?? '', /^2026-07-01T10:16:01Z\s+FIRED\s+2m00s\s/);
    assert.equal(missed.length, 11, all.stdout);
    assert.match(missed[0] ?? '', /^2026-07-01T10:04:01Z\s+MISSED\s+-\s.*\slate$/);
    assert.match(
      missed[10] ?? '',
      /^2026-07-01T10:15:01Z\s+MISSED x2\s.*\slate \(summary\); from 2026-07-01T10:14:01Z$/,
    );

    const newest = await cli('history', 'tick', '--limit', '2', '--json');
    const doc = JSON.parse(newest.stdout) as { slots: { nominalTime: string; lagMs: number }[] };
    assert.deepEqual(
      doc.slots.map((s) => [s.nominalTime, s.lagMs]),
      [
        ['2026-07-01T10:17:01.000Z', 60_000],
        ['2026-07-01T10:18:01.000Z', 0],
      ],
    );

    const early = await cli('history', 'tick', '--until', '2026-07-01T10:03:30Z', '--limit', '1');
    assert.match(early.stdout.split('\n')[1] ?? '', /^2026-07-01T10:03:01Z\s+FIRED/);
    const since = await cli(
      'history',
      'tick',
      '--since',
      '2026-07-01T10:03:00Z',
      '--until',
      '2026-07-01T10:05:00Z',
    );
    assert.equal(since.stdout.trimEnd().split('\n').length, 3, since.stdout);

    const empty = await cli('history', 'tick', '--since', '2030-01-01T00:00:00Z');
    assert.equal(
      empty.stdout,
      'No slots recorded for arn:aws:events:us-east-1:000000000000:rule/tick in that range.\n',
    );
  });

  it('rules: next slot and targets; --json keeps AWS member names', async () => {
    const result = await cli('rules');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^NAME\s+STATE\s+SCHEDULE\s+NEXT\s+TARGETS\n/);
    assert.match(result.stdout, /\ntick\s+ENABLED\s+rate\(1 minute\)\s+\d{4}-[\d-]+T[\d:]+Z\s+-\n/);
    const json = JSON.parse((await cli('rules', '--json')).stdout) as {
      rules: { Name: string; NextSlotTime: string; Targets: unknown[] }[];
    };
    assert.equal(json.rules[0]?.Name, 'tick');
    assert.deepEqual(json.rules[0]?.Targets, []);
    assert.equal(
      json.rules[0]?.NextSlotTime,
      new Date(
        fx.engine.firing.nextSlotOf('arn:aws:events:us-east-1:000000000000:rule/tick')!,
      ).toISOString(),
    );
  });

  it('asks the region of --region, else CRONBRIDGE_REGION, and prints its ARNs', async () => {
    const tokyo = { ...DEFAULT_CONTEXT, region: 'ap-northeast-1' };
    await fx.engine.events.putRule(tokyo, { Name: 'far', ScheduleExpression: 'rate(1 hour)' });
    type Listed = { rules: { Name: string; Arn: string; NextSlotTime?: string }[] };
    const far = 'arn:aws:events:ap-northeast-1:000000000000:rule/far';
    const byFlag = JSON.parse((await cli('rules', '--json', '--region', 'ap-northeast-1')).stdout);
    assert.deepEqual(
      (byFlag as Listed).rules.map((r) => [r.Name, r.Arn, r.NextSlotTime !== undefined]),
      [['far', far, true]],
    );
    const byEnv = await runCli(['rules', '--endpoint', fx.url], {
      clock: fx.clock,
      env: { CRONBRIDGE_REGION: 'ap-northeast-1' },
    });
    assert.equal(byEnv.code, 0, byEnv.stderr);
    assert.match(byEnv.stdout, /\nfar\s+ENABLED\s+rate\(1 hour\)/);
    assert.doesNotMatch(byEnv.stdout, /\ntick\s/);
    // The CLI's own default is us-east-1: the Tokyo rule is not there.
    const home = JSON.parse((await cli('rules', '--json')).stdout) as Listed;
    assert.ok(
      home.rules.every((r) => r.Arn.includes(':us-east-1:')),
      JSON.stringify(home),
    );
    assert.ok(!home.rules.some((r) => r.Name === 'far'));
  });
});
