/**
 * The crash harness: a real `cronbridge up` process on real Docker, rules firing every minute,
 * `kill -9` at random points (also while it starts and recovers), restarted on the same data dir
 * each time. At the end it checks what must survive any crash and returns the figures:
 * - exactly one task per (rule, slot), and no slot lost between the first and the last minute;
 * - every task STOPPED, having run (exit 0), none stuck;
 * - no container left on the engine;
 * - every line each container printed readable from its awslogs stream, once.
 *
 * Used by `test/integration/crash-docker.test.ts` (bounded for CI) and `scripts/crash-soak.ts`
 * (longer, with flags for duration and kill rate).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  DisableRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';

import { RunHistory } from '../../src/invoke/index.ts';
import { SystemClock } from '../../src/platform/clock.ts';
import { openStore } from '../../src/store/open-store.ts';
import {
  newTestRunId,
  reapTestContainers,
  TEST_IMAGE,
  TEST_RUN_LABEL,
  testDockerClient,
} from './docker.ts';
import { defaultNetwork } from './default-network.ts';
import { eventually, SDK_TEST_CLIENT, UpProcess } from './up-process.ts';
import { apiRoles, createServiceRoles } from '../../src/engine/service-roles.test-support.ts';

const clock = new SystemClock();
const MINUTE = 60_000;
const CLUSTER = 'crash';
const GROUP = '/ecs/crash';
/** Lines each task prints (one every 0.3 s), so a kill often lands while one runs. */
const LINES = 20;

export interface CrashRunOptions {
  /** How long kills go on. */
  readonly killPhaseMs: number;
  /** Rules, each `cron(* * * * ? *)`. @default 6 */
  readonly rules?: number;
  /** A process lives this long (uniformly drawn) before its `kill -9`. @default [6000, 20000] */
  readonly upForMs?: readonly [number, number];
  /** Share of restarts killed again while starting/recovering. @default 0.4 */
  readonly recoveryKillShare?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

export interface CrashFigures {
  kills: number;
  killsDuringRecovery: number;
  /** Slots that fired (each checked for duplicates; those before the disable also for loss). */
  slots: number;
  tasks: number;
  duplicates: number;
  lost: number;
  orphans: number;
  stuck: number;
  failed: number;
  logEventsChecked: number;
  logEventsMissing: number;
  /** What went wrong, one line each (empty when all is well). */
  problems: string[];
}

function between([low, high]: readonly [number, number]): number {
  return low + Math.random() * (high - low);
}

/** Runs the whole scenario; always reaps its containers and temp dir. */
export async function runCrashScenario(options: CrashRunOptions): Promise<CrashFigures> {
  const log = options.log ?? (() => undefined);
  const runId = newTestRunId('crash');
  const root = mkdtempSync(join(tmpdir(), 'cronbridge-crash-'));
  const dataDir = join(root, 'data');
  let current: UpProcess | undefined;
  const spawnUp = () => (current = new UpProcess({ dataDir, runId }));
  try {
    let up = spawnUp();
    let url = await up.started();
    const clients = (endpoint: string) => {
      const c = { endpoint, ...SDK_TEST_CLIENT };
      return {
        ecs: new ECSClient(c),
        logs: new CloudWatchLogsClient(c),
        events: new EventBridgeClient(c),
      };
    };
    let api = clients(url);
    // The rules run their tasks as the events role; the tasks log as the execution role.
    await createServiceRoles(apiRoles(url));
    const rules = await setUp(api, (await defaultNetwork(url)).subnets, options.rules ?? 6);
    const createdAt = clock.now();
    log(`${rules.length} rules firing every minute; kills for ${options.killPhaseMs / 1000}s`);

    // Kill phase.
    let kills = 0;
    let killsDuringRecovery = 0;
    const killEnd = clock.now() + options.killPhaseMs;
    while (clock.now() < killEnd) {
      // Half the kills aim at just after a minute's slots fire, when tasks are being created
      // and started (PENDING, ACTIVATING): the window a crash hurts most.
      const burst = Math.ceil(clock.now() / MINUTE) * MINUTE + between([100, 2500]);
      const upFor = between(options.upForMs ?? [6000, 20_000]);
      const killAt =
        Math.random() < 0.5 && burst < killEnd && burst - clock.now() < 25_000
          ? burst
          : Math.min(clock.now() + upFor, killEnd);
      await clock.sleep(Math.max(0, killAt - clock.now()));
      up.child.kill('SIGKILL');
      await up.exited;
      kills += 1;
      if (Math.random() < (options.recoveryKillShare ?? 0.4)) {
        // Again while it opens the store, recovers or resumes firing.
        up = spawnUp();
        await clock.sleep(between([150, 2500]));
        if (up.child.exitCode === null) {
          up.child.kill('SIGKILL');
          await up.exited;
          kills += 1;
          killsDuringRecovery += 1;
        }
      }
      up = spawnUp();
      url = await up.started();
      api = clients(url);
      log(`kill ${kills} done, restarted`);
    }

    // Settle: no new slots, every task to its end.
    const disabledAt = clock.now();
    for (const rule of rules) await api.events.send(new DisableRuleCommand({ Name: rule }));
    const tasks = await eventually(
      'every task to stop',
      async () => {
        const all = await describeAll(api.ecs);
        return all.every((t) => t.lastStatus === 'STOPPED') ? all : undefined;
      },
      120_000,
      1000,
    ).catch(async () => describeAll(api.ecs));
    const problems: string[] = [];
    const stuck = tasks.filter((t) => t.lastStatus !== 'STOPPED');
    for (const t of stuck) problems.push(`stuck: ${t.taskArn} in ${t.lastStatus}`);
    const failed = tasks.filter(
      (t) =>
        t.lastStatus === 'STOPPED' &&
        (t.stopCode !== 'EssentialContainerExited' || t.containers?.[0]?.exitCode !== 0),
    );
    for (const t of failed) {
      problems.push(`did not run to exit 0: ${t.taskArn} ${t.stopCode} ${t.stoppedReason}`);
    }

    // Logs: each task's stream holds exactly the lines its container printed.
    let logEventsChecked = 0;
    let logEventsMissing = 0;
    const expected = Array.from({ length: LINES }, (_, i) => `line ${i + 1}`);
    for (const t of tasks.filter((x) => x.lastStatus === 'STOPPED')) {
      const taskId = t.taskArn?.split('/').at(-1) ?? '';
      const out = await api.logs.send(
        new GetLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: `ecs/app/${taskId}`,
          startFromHead: true,
        }),
      );
      const got = (out.events ?? []).map((e) => e.message ?? '');
      logEventsChecked += got.length;
      const missing = expected.filter((l) => !got.includes(l));
      logEventsMissing += missing.length;
      if (missing.length > 0 || got.length !== LINES) {
        problems.push(
          `logs of ${taskId}: ${got.length} events, missing ${missing.join(', ') || 'none'}`,
        );
      }
    }

    // Orphans: with every task stopped, nothing of this run is left on the engine.
    const left = await testDockerClient().listContainers({
      all: true,
      filters: { label: [`${TEST_RUN_LABEL}=${runId}`] },
    });
    for (const c of left) problems.push(`orphan container ${c.Id.slice(0, 12)} (${c.State})`);

    up.child.kill('SIGTERM');
    await up.exit();

    // Slots, from the store the process left behind.
    const store = await openStore({ dataDir });
    let slots = 0;
    let lost = 0;
    let duplicates = 0;
    const slotTasks = new Set<string>();
    try {
      const history = new RunHistory({ store });
      const firstMinute = Math.floor(createdAt / MINUTE) * MINUTE + MINUTE;
      // A slot within seconds of the disable may or may not have fired: only earlier ones count.
      const lastMinute = Math.floor((disabledAt - 5000) / MINUTE) * MINUTE;
      for (const rule of rules) {
        const ruleArn = `arn:aws:events:us-east-1:000000000000:rule/${rule}`;
        const views = await history.slots({ ruleArn, limit: 1000 });
        // Every minute up to the disable must have fired, once.
        for (let at = firstMinute; at <= lastMinute; at += MINUTE) {
          const view = views.find((v) => v.nominalMs === at);
          const arns = view?.invocations.flatMap((i) => i.taskArns) ?? [];
          if (view?.status !== 'FIRED' || arns.length === 0) {
            lost += 1;
            problems.push(
              `lost: ${rule} slot ${new Date(at).toISOString()} (${view?.status ?? 'none'})`,
            );
          }
        }
        // Every slot that fired (also one at the disable's edge) started exactly one task.
        for (const v of views) {
          const arns = v.invocations.flatMap((i) => i.taskArns);
          if (v.status === 'FIRED') slots += 1;
          if (v.status === 'FIRED' && arns.length === 0 && v.nominalMs > lastMinute) {
            lost += 1;
            problems.push(
              `fired but never ran: ${rule} slot ${new Date(v.nominalMs).toISOString()}`,
            );
          }
          if (arns.length > 1) {
            duplicates += arns.length - 1;
            problems.push(
              `duplicate: ${rule} slot ${new Date(v.nominalMs).toISOString()} ran ${arns.length} tasks`,
            );
          }
          for (const a of arns) slotTasks.add(a);
        }
      }
    } finally {
      await store.close();
    }
    // A task no slot names would be a run nobody asked for.
    for (const t of tasks) {
      if (t.taskArn && !slotTasks.has(t.taskArn)) {
        duplicates += 1;
        problems.push(`task ${t.taskArn} belongs to no slot`);
      }
    }
    return {
      kills,
      killsDuringRecovery,
      slots,
      tasks: tasks.length,
      duplicates,
      lost,
      orphans: left.length,
      stuck: stuck.length,
      failed: failed.length,
      logEventsChecked,
      logEventsMissing,
      problems,
    };
  } finally {
    current?.kill();
    await reapTestContainers(runId);
    rmSync(root, { recursive: true, force: true });
  }
}

async function setUp(
  api: { ecs: ECSClient; logs: CloudWatchLogsClient; events: EventBridgeClient },
  /** The region's default subnets (RunTask accepts only subnets that exist). */
  subnets: string[],
  count: number,
): Promise<string[]> {
  const { cluster } = await api.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  await api.logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  const { taskDefinition } = await api.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'crash',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'app',
          image: TEST_IMAGE,
          command: [
            'sh',
            '-c',
            `i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo "line $i"; sleep 0.3; done`,
          ],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': GROUP,
              'awslogs-region': 'us-east-1',
              'awslogs-stream-prefix': 'ecs',
            },
          },
        },
      ],
    }),
  );
  const rules: string[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `crash-${i}`;
    await api.events.send(
      new PutRuleCommand({ Name: name, ScheduleExpression: 'cron(* * * * ? *)', State: 'ENABLED' }),
    );
    await api.events.send(
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
    rules.push(name);
  }
  return rules;
}

async function describeAll(ecs: ECSClient): Promise<Task[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    let nextToken: string | undefined;
    do {
      const page = await ecs.send(
        new ListTasksCommand({ cluster: CLUSTER, desiredStatus, maxResults: 100, nextToken }),
      );
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  }
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const { tasks: page } = await ecs.send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns.slice(i, i + 100) }),
    );
    tasks.push(...(page ?? []));
  }
  return tasks;
}
