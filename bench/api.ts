/**
 * Benchmark: the AWS-compatible HTTP API under load, and a scheduled rule end to end on Docker.
 *
 * The servers run in child processes (support/api-server.ts), the load generator here. On a
 * 2-core machine an in-process server would share one event loop with the generator: every
 * request's client work (serialising, parsing, timing) would queue behind server work and inflate
 * both sides' latency, and the bare floor would measure the generator more than Node. In its own
 * process the server gets its own core and its CPU time can be read apart (µs per request).
 *
 *  1. Load: 32 keep-alive connections on loopback, closed loop (support/http-load.ts), a warm-up
 *     then a fixed window per scenario. Floor: a bare node:http server answering a fixed JSON body
 *     (measured first and last; the mean is the 1.00× line). Then cronbridge's own server, built
 *     as `cronbridge up` builds it (createEngine + createEngineApi) on a SQLite file store and the
 *     in-memory container runtime, seeded through the API with 100 RUNNING tasks, a 10k-event log
 *     stream, and one stream per connection for writes:
 *       GET /health (fastify + our hooks) · ECS DescribeTasks (10 ARNs) · ECS ListTasks (100 ARNs)
 *       · Logs PutLogEvents (25 events × ~100 B) · Logs GetLogEvents (limit 100 from a random
 *       time) · Logs GetLogEvents (default page: as many of the 10k events as fit in 1 MB).
 *     Timings on a shared machine are noisy: read the ratios to the floor, and server CPU µs per
 *     request, rather than absolute figures.
 *  2. End to end on real Docker (image cronbridge-test/busybox:latest, network mode none): PutRule
 *     `rate(1 minute)` + PutTargets (ECS RunTask) through the API, then wait for the first task
 *     RUNNING. The first slot of a rate rule is one period after creation, so this reports the
 *     slot − creation wait apart from the overhead after the slot (fire lag, RunTask, container
 *     start, RUNNING recorded), from the firing history, ECS timestamps and Docker's StartedAt.
 *
 * Run: npm run bench:api [-- --quick] [--only=load|e2e] [--duration=MS] [--connections=N]
 *      (node --import tsx bench/api.ts). A full run takes about 2 minutes, most of it the wait for
 * the rule's first slot. It is a measurement, not a test: nothing asserts on time.
 */
import { performance } from 'node:perf_hooks';

import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';

import { CronbridgeClient } from '../src/cli/client/cronbridge.client.ts';
import { defaultNetworkAt } from '../src/engine/engine.test-support.ts';
import { startedByFor } from '../src/invoke/index.ts';
import { reapLabelledContainers, testDockerClient } from '../test/support/docker.ts';
import { SystemClock } from '../src/platform/clock.ts';
import { type BenchServer, startBenchServer } from './support/api-child.ts';
import { MEMORY_IMAGE } from './support/api-server.ts';
import { type LoadRequest, type LoadResult, loadWithServerCpu } from './support/http-load.ts';
import { BENCH_RUN_LABEL } from './support/launchers.ts';
import { signedAwsJson } from './support/signed-request.ts';
import { num, percentile } from './support/stats.ts';

const quick = process.argv.includes('--quick');
const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = arg('only');
const CONNECTIONS = Number(arg('connections') ?? 32);
const WINDOW_MS = Number(arg('duration') ?? (quick ? 2_000 : 5_000));
const WARMUP_MS = quick ? 500 : 1_000;

const E2E_IMAGE = 'cronbridge-test/busybox:latest';
const CLUSTER = 'bench-api';
const TASKS = 100;
const DESCRIBE_BATCH = 10;
const BIG_STREAM_EVENTS = 10_000;
const PUT_BATCH = 25;
const LOG_GROUP = '/bench/api';
const BIG_STREAM = 'big';

const clock = new SystemClock();
const runId = `bench-api-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
const CLIENT = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
} as const;

// ---- request builders ----

/** Signed as the root key (see support/signed-request.ts for why fixed requests are reused). */
function awsJson(url: string, service: string, target: string, body: unknown) {
  return signedAwsJson(url, { region: CLIENT.region, key: CLIENT.credentials }, clock, {
    service,
    target,
    body,
  });
}

/** A log line of about 100 bytes, like an access log. */
function logLine(i: number): string {
  const path = `/api/v1/items/${(i * 7919) % 100_000}`;
  const ms = ((i * 37) % 2_000) / 10;
  return `2026-01-01T00:00:00.000Z INFO request id=${i.toString(16).padStart(8, '0')} GET ${path} status=200 duration_ms=${ms}`;
}

function rotate<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length] as T;
}

// ---- seeding (through the API, as a client would) ----

interface Seeded {
  taskArns: string[];
  bigStreamStart: number;
}

async function seed(url: string): Promise<Seeded> {
  const ecs = new ECSClient({ ...CLIENT, endpoint: url });
  const logs = new CloudWatchLogsClient({ ...CLIENT, endpoint: url });
  try {
    // RunTask accepts only subnets that exist in its region: the region's default ones.
    const { subnets } = await defaultNetworkAt(url);
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/bench-api' }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'bench-api',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
        containerDefinitions: [
          {
            name: 'job',
            image: MEMORY_IMAGE,
            essential: true,
            command: ['sh', '-c', 'run-the-job'],
            environment: [{ name: 'STAGE', value: 'bench' }],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/bench-api',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'ecs',
              },
            },
          },
        ],
        tags: [{ key: 'team', value: 'platform' }],
      }),
    );
    const taskArns: string[] = [];
    for (let i = 0; i < TASKS / 10; i++) {
      const run = await ecs.send(
        new RunTaskCommand({
          cluster: CLUSTER,
          taskDefinition: taskDefinition?.taskDefinitionArn,
          count: 10,
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { subnets } },
        }),
      );
      if (run.failures?.length) throw new Error(`RunTask failed: ${JSON.stringify(run.failures)}`);
      taskArns.push(...(run.tasks ?? []).map((t) => t.taskArn ?? ''));
    }
    // DescribeTasks of RUNNING tasks is the realistic read (a poller watching its jobs).
    for (let attempt = 0; ; attempt++) {
      const statuses = await describeAll(ecs, taskArns);
      if (statuses.every((t) => t.lastStatus === 'RUNNING')) break;
      if (attempt > 100) throw new Error('seeded tasks did not reach RUNNING');
      await clock.sleep(100);
    }

    await logs.send(
      new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: BIG_STREAM }),
    );
    // 10k events 100 ms apart, ending now: within every PutLogEvents age limit.
    const bigStreamStart = clock.now() - BIG_STREAM_EVENTS * 100;
    for (let first = 0; first < BIG_STREAM_EVENTS; first += 1_000) {
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: LOG_GROUP,
          logStreamName: BIG_STREAM,
          logEvents: Array.from({ length: 1_000 }, (_, k) => ({
            timestamp: bigStreamStart + (first + k) * 100,
            message: logLine(first + k),
          })),
        }),
      );
    }
    for (let w = 0; w < CONNECTIONS; w++) {
      await logs.send(
        new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: `writer-${w}` }),
      );
    }
    return { taskArns, bigStreamStart };
  } finally {
    ecs.destroy();
    logs.destroy();
  }
}

async function describeAll(ecs: ECSClient, arns: readonly string[]): Promise<Task[]> {
  const out: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns.slice(i, i + 100) }),
    );
    out.push(...(tasks ?? []));
  }
  return out;
}

// ---- scenarios ----

interface Scenario {
  name: string;
  next: (worker: number) => LoadRequest | Promise<LoadRequest>;
  check?: (body: Buffer) => void;
}

function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench check failed: ${what}`);
}

async function scenarios(url: string, seeded: Seeded): Promise<Scenario[]> {
  const describeBodies = [];
  for (let i = 0; i < seeded.taskArns.length; i += DESCRIBE_BATCH) {
    describeBodies.push(
      await awsJson(url, 'ecs', 'AmazonEC2ContainerServiceV20141113.DescribeTasks', {
        cluster: CLUSTER,
        tasks: seeded.taskArns.slice(i, i + DESCRIBE_BATCH),
      }),
    );
  }
  const listTasks = await awsJson(url, 'ecs', 'AmazonEC2ContainerServiceV20141113.ListTasks', {
    cluster: CLUSTER,
  });
  const getPage = rotate(
    await Promise.all(
      Array.from({ length: 512 }, (_, i) =>
        awsJson(url, 'logs', 'Logs_20140328.GetLogEvents', {
          logGroupName: LOG_GROUP,
          logStreamName: BIG_STREAM,
          startFromHead: true,
          limit: 100,
          // Anywhere but the last 100 events, so every page is full.
          startTime: seeded.bigStreamStart + ((i * 7_919) % (BIG_STREAM_EVENTS - 100)) * 100,
        }),
      ),
    ),
  );
  const getFull = await awsJson(url, 'logs', 'Logs_20140328.GetLogEvents', {
    logGroupName: LOG_GROUP,
    logStreamName: BIG_STREAM,
    startFromHead: true,
  });
  let line = 0;
  const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  return [
    {
      name: 'cronbridge GET /health',
      next: () => ({ method: 'GET', path: '/health', headers: {} }),
      check: (b) => expect(json(b)['status'] === 'ok', 'health ok'),
    },
    {
      name: `ECS DescribeTasks (${DESCRIBE_BATCH} of ${TASKS})`,
      next: rotate(describeBodies),
      check: (b) => {
        const tasks = json(b)['tasks'] as Task[];
        expect(tasks.length === DESCRIBE_BATCH, `${DESCRIBE_BATCH} tasks described`);
        expect(tasks[0]?.lastStatus === 'RUNNING', 'RUNNING');
      },
    },
    {
      name: `ECS ListTasks (${TASKS} ARNs)`,
      next: () => listTasks,
      check: (b) => expect((json(b)['taskArns'] as string[]).length === TASKS, 'all ARNs'),
    },
    {
      name: `Logs PutLogEvents (${PUT_BATCH} × ~100 B)`,
      next: (worker) => {
        const now = clock.now();
        return awsJson(url, 'logs', 'Logs_20140328.PutLogEvents', {
          logGroupName: LOG_GROUP,
          logStreamName: `writer-${worker}`,
          logEvents: Array.from({ length: PUT_BATCH }, () => ({
            timestamp: now,
            message: logLine(line++),
          })),
        });
      },
      check: (b) => expect(json(b)['rejectedLogEventsInfo'] === undefined, 'nothing rejected'),
    },
    {
      name: 'Logs GetLogEvents (limit 100)',
      next: () => getPage(),
      check: (b) => expect((json(b)['events'] as unknown[]).length === 100, '100 events'),
    },
    {
      name: 'Logs GetLogEvents (default page)',
      next: () => getFull,
      check: (b) => expect((json(b)['events'] as unknown[]).length > 1_000, 'a full page'),
    },
  ];
}

// ---- load part ----

interface Row {
  name: string;
  result: LoadResult;
  serverMicrosPerRequest: number;
}

async function measure(server: BenchServer, scenario: Scenario): Promise<Row> {
  const { result, serverMicrosPerRequest } = await loadWithServerCpu(server, {
    connections: CONNECTIONS,
    warmupMs: WARMUP_MS,
    durationMs: WINDOW_MS,
    next: scenario.next,
    ...(scenario.check ? { check: scenario.check } : {}),
  });
  const row = { name: scenario.name, result, serverMicrosPerRequest };
  if (result.firstError) console.error(`  ${scenario.name}: first error: ${result.firstError}`);
  printRow(row);
  return row;
}

function printHeader(): void {
  console.log(
    `${'scenario'.padEnd(36)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}` +
      `${'srv µs/req'.padStart(11)}${'srv cores'.padStart(10)}${'gen cores'.padStart(10)}` +
      `${'KiB/resp'.padStart(9)}${'errors'.padStart(7)}`,
  );
}

function printRow(row: Row): void {
  const lat = Array.from(row.result.latencies);
  const srvCores = (row.serverMicrosPerRequest * row.result.perSecond) / 1e6;
  console.log(
    `${row.name.padEnd(36)}${num(row.result.perSecond, 0)}${num(percentile(lat, 50), 2)}` +
      `${num(percentile(lat, 99), 2)}${num(row.serverMicrosPerRequest, 0, 11)}` +
      `${num(srvCores, 2, 10)}${num(row.result.generatorCores, 2, 10)}` +
      `${num(row.result.meanBytes / 1024, 1)}${String(row.result.errors).padStart(7)}`,
  );
}

/** `ours / floor` as `0.21×`; small ratios keep two significant digits instead of `0.00×`. */
function ratio(ours: number, floor: number, width = 8): string {
  const r = ours / floor;
  return `${r < 0.1 ? r.toPrecision(2) : r.toFixed(2)}×`.padStart(width);
}

function printRatios(rows: readonly Row[], floor: Row): void {
  const floorLat = Array.from(floor.result.latencies);
  console.log(
    `\nRatios to the bare node:http floor (mean of first and last run): req/s ${num(floor.result.perSecond, 0).trim()}, ` +
      `p50 ${percentile(floorLat, 50).toFixed(2)} ms, ${floor.serverMicrosPerRequest.toFixed(0)} µs server CPU/req`,
  );
  console.log(
    `${'scenario'.padEnd(36)}${'req/s'.padStart(8)}${'p50'.padStart(8)}${'p99'.padStart(8)}${'CPU/req'.padStart(8)}`,
  );
  for (const row of rows) {
    const lat = Array.from(row.result.latencies);
    console.log(
      `${row.name.padEnd(36)}${ratio(row.result.perSecond, floor.result.perSecond)}` +
        `${ratio(percentile(lat, 50), percentile(floorLat, 50))}` +
        `${ratio(percentile(lat, 99), percentile(floorLat, 99))}` +
        `${ratio(row.serverMicrosPerRequest, floor.serverMicrosPerRequest)}`,
    );
  }
}

function meanFloor(a: Row, b: Row): Row {
  const latencies = new Float64Array(a.result.latencies.length + b.result.latencies.length);
  latencies.set(a.result.latencies);
  latencies.set(b.result.latencies, a.result.latencies.length);
  return {
    name: 'bare node:http (mean)',
    result: { ...a.result, perSecond: (a.result.perSecond + b.result.perSecond) / 2, latencies },
    serverMicrosPerRequest: (a.serverMicrosPerRequest + b.serverMicrosPerRequest) / 2,
  };
}

async function loadPart(): Promise<void> {
  console.log(
    `\n## Load: ${CONNECTIONS} keep-alive connections on loopback, ${WARMUP_MS} ms warm-up + ${WINDOW_MS} ms per scenario\n`,
  );
  printHeader();
  const bareScenario: Scenario = {
    name: 'bare node:http GET /health',
    next: () => ({ method: 'GET', path: '/health', headers: {} }),
  };
  const bare = await startBenchServer('bare', runId);
  let before: Row;
  try {
    before = await measure(bare, { ...bareScenario, name: 'bare node:http (first)' });
  } finally {
    await bare.stop();
  }

  const rows: Row[] = [];
  const server = await startBenchServer('memory', runId);
  try {
    const t0 = performance.now();
    const seeded = await seed(server.url);
    console.log(
      `  (seeded ${seeded.taskArns.length} RUNNING tasks, ${BIG_STREAM_EVENTS} events, ` +
        `${CONNECTIONS} write streams in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    for (const scenario of await scenarios(server.url, seeded)) {
      rows.push(await measure(server, scenario));
    }
  } finally {
    await server.stop();
  }

  const bareAgain = await startBenchServer('bare', runId);
  let after: Row;
  try {
    after = await measure(bareAgain, { ...bareScenario, name: 'bare node:http (last)' });
  } finally {
    await bareAgain.stop();
  }
  printRatios(rows, meanFloor(before, after));
}

// ---- end-to-end part ----

const docker = testDockerClient();

/** Force-removes this run's containers; returns how many were still there. */
const reap = () => reapLabelledContainers(BENCH_RUN_LABEL, runId);

/** One rule's first slot, from PutRule to its task RUNNING; epoch ms, NaN when unknown. */
interface E2eSample {
  created: number;
  targetsPut: number;
  slot: number;
  fired: number;
  attemptEnd: number;
  taskCreated: number;
  containerStarted: number;
  running: number;
  /** When a 20 ms DescribeTasks poll first saw RUNNING. */
  observed: number;
}

const E2E_PHASES: readonly [string, (s: E2eSample) => number][] = [
  ['PutRule sent → PutTargets answered', (s) => s.targetsPut - s.created],
  ['creation → first slot (the rate phase)', (s) => s.slot - s.created],
  ['slot → fired (firing loop lag)', (s) => s.fired - s.slot],
  ['fired → RunTask attempt answered', (s) => s.attemptEnd - s.fired],
  ['fired → task createdAt (PROVISIONING stored)', (s) => s.taskCreated - s.fired],
  ['createdAt → container started (Docker StartedAt)', (s) => s.containerStarted - s.taskCreated],
  ['container started → RUNNING recorded', (s) => s.running - s.containerStarted],
  ['RunTask: createdAt → RUNNING', (s) => s.running - s.taskCreated],
  ['slot → RUNNING (overhead after the slot)', (s) => s.running - s.slot],
  ['slot → RUNNING seen by a 20 ms poll', (s) => s.observed - s.slot],
  ['creation → RUNNING (total)', (s) => s.running - s.created],
];

const E2E_RULES = quick ? 1 : 3;
/** Rules are created this far apart so their first slots (and containers) do not coincide. */
const E2E_STAGGER_MS = 3_000;

async function e2ePart(): Promise<void> {
  console.log(
    `\n## End to end on Docker: PutRule rate(1 minute) + PutTargets → first task RUNNING ` +
      `(${E2E_RULES} rule(s), created ${E2E_STAGGER_MS / 1000} s apart)\n`,
  );
  try {
    await docker.ping();
    await docker.getImage(E2E_IMAGE).inspect();
  } catch (error) {
    console.log(`  skipped: no Docker engine or no ${E2E_IMAGE} (${String(error)})`);
    return;
  }
  const server = await startBenchServer('docker', runId);
  const config = { ...CLIENT, endpoint: server.url };
  const ecs = new ECSClient(config);
  const events = new EventBridgeClient(config);
  const logs = new CloudWatchLogsClient(config);
  const cronbridge = new CronbridgeClient({ ...CLIENT, endpoint: server.url, clock });
  try {
    const { subnets } = await defaultNetworkAt(server.url);
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'bench-e2e' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/bench-e2e' }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'bench-e2e',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
        containerDefinitions: [
          {
            name: 'job',
            image: E2E_IMAGE,
            essential: true,
            command: ['sh', '-c', 'echo started; sleep 30'],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/bench-e2e',
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'ecs',
              },
            },
          },
        ],
      }),
    );

    const createRule = async (name: string) => {
      const created = clock.now();
      const { RuleArn } = await events.send(
        new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(1 minute)' }),
      );
      const put = await events.send(
        new PutTargetsCommand({
          Rule: name,
          Targets: [
            {
              Id: 'job',
              Arn: cluster?.clusterArn,
              RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
              EcsParameters: {
                TaskDefinitionArn: taskDefinition?.taskDefinitionArn,
                TaskCount: 1,
                LaunchType: 'FARGATE',
                NetworkConfiguration: { awsvpcConfiguration: { Subnets: subnets } },
              },
            },
          ],
        }),
      );
      if (put.FailedEntryCount) throw new Error(`PutTargets: ${JSON.stringify(put)}`);
      const targetsPut = clock.now();
      const { Slots } = await cronbridge.getNextSlots({ RuleArns: [RuleArn ?? ''] });
      const next = Slots[0]?.NextSlotTime;
      if (next === undefined) throw new Error(`rule ${name} has no next slot`);
      return { name, created, targetsPut, slot: next * 1000 };
    };

    /** Sleeps through the rate phase, then polls closely for the rule's task. */
    const measureRule = async (rule: Awaited<ReturnType<typeof createRule>>) => {
      await clock.sleepUntil(rule.slot - 300);
      const startedBy = startedByFor(rule.name);
      let taskArn: string | undefined;
      let task: Task | undefined;
      let observed = Number.NaN;
      while (clock.now() < rule.slot + 60_000) {
        if (taskArn === undefined) {
          const listed = await ecs.send(new ListTasksCommand({ cluster: 'bench-e2e', startedBy }));
          taskArn = listed.taskArns?.[0];
        }
        if (taskArn !== undefined) {
          const { tasks } = await ecs.send(
            new DescribeTasksCommand({ cluster: 'bench-e2e', tasks: [taskArn] }),
          );
          task = tasks?.[0];
          if (task?.lastStatus === 'RUNNING' || task?.lastStatus === 'STOPPED') {
            observed = clock.now();
            break;
          }
        }
        await clock.sleep(20);
      }
      if (!task || task.lastStatus !== 'RUNNING') {
        throw new Error(`${rule.name}: no task RUNNING a minute after the slot`);
      }
      const history = await cronbridge.getRuleHistory({ Rule: rule.name });
      const fired = history.Slots.find((s) => s.NominalTime * 1000 === rule.slot);
      const attempt = fired?.Invocations[0]?.Attempts[0];
      const [container] = await docker.listContainers({
        all: true,
        filters: { label: [`cronbridge.task-arn=${taskArn}`] },
      });
      const inspected = container ? await docker.getContainer(container.Id).inspect() : undefined;
      const ms = (d: Date | undefined) => (d ? d.getTime() : Number.NaN);
      return {
        created: rule.created,
        targetsPut: rule.targetsPut,
        slot: rule.slot,
        fired: (fired?.FiredTime ?? Number.NaN) * 1000,
        attemptEnd: (attempt?.EndTime ?? Number.NaN) * 1000,
        taskCreated: ms(task.createdAt),
        // Docker's clock is this host's clock, so its StartedAt lines up with ours.
        containerStarted: inspected ? Date.parse(inspected.State.StartedAt) : Number.NaN,
        running: ms(task.startedAt),
        observed,
      } satisfies E2eSample;
    };

    const measuring: Promise<E2eSample>[] = [];
    for (let i = 0; i < E2E_RULES; i++) {
      if (i > 0) await clock.sleep(E2E_STAGGER_MS);
      const rule = await createRule(`bench-e2e-${i}`);
      if (i === 0) {
        console.log(`  first slot ${((rule.slot - clock.now()) / 1000).toFixed(1)} s away…\n`);
      }
      measuring.push(measureRule(rule));
    }
    const samples = await Promise.all(measuring);

    console.log(`${'phase'.padEnd(52)}${samples.map((_, i) => `rule ${i}`.padStart(10)).join('')}`);
    for (const [label, phase] of E2E_PHASES) {
      const cells = samples.map((s) => `${(phase(s) / 1000).toFixed(3)} s`.padStart(10));
      console.log(`  ${label.padEnd(50)}${cells.join('')}`);
    }
  } finally {
    for (const client of [ecs, events, logs]) client.destroy();
    await server.stop();
    const reaped = await reap();
    if (reaped > 0) console.log(`  (reaped ${reaped} container(s))`);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  // The SDK warns once per process about Node 20; the warning is noise in a results table.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const onSignal = () => {
    void reap().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  console.log(
    `# bench:api — node ${process.version}, run ${runId}${quick ? ' (quick)' : ''}; ` +
      'servers in child processes, load from this one',
  );
  if (only === undefined || only === 'load') await loadPart();
  if (only === undefined || only === 'e2e') await e2ePart();
  console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
