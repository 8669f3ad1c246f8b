/**
 * Child process of tasks-detach-docker.test.ts: launches a task whose container sleeps 30 s on
 * the real engine, detaches the supervisor as `cronbridge up` does on Ctrl-C, closes the store,
 * and then simply returns. It never calls process.exit: the parent measures how soon the process
 * ends on its own, which is only soon when no request to Docker is left open.
 *
 * argv[2]: the test-run label value. Prints one JSON line on stdout once detached.
 */
import { LogsService } from '../../src/logs/logs.service.ts';
import { SystemClock } from '../../src/platform/clock.ts';
import { DEFAULT_CONTEXT, randomHex } from '../../src/platform/ids.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { TaskLaunchPlan } from '../../src/supervisor/task-plan.ts';
import { TaskSupervisor } from '../../src/supervisor/task-supervisor.ts';
import { RecordingProgress } from '../../src/supervisor/test-support/recording-progress.ts';
import { TEST_IMAGE, TEST_RUN_LABEL, testRuntime } from '../support/docker.ts';
import { allowAwslogs } from '../../src/supervisor/test-support/awslogs-access.ts';

const runId = process.argv[2];
if (!runId) throw new Error('usage: tasks-detach.child.ts <test-run id>');

const clock = new SystemClock();
const store = await openStore({ dataDir: ':memory:' });
const logs = new LogsService({ store, clock });
await logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/detach' });
const progress = new RecordingProgress();
const supervisor = new TaskSupervisor({
  runtime: testRuntime({ pullTimeoutMs: 30_000 }),
  logs,
  clock,
  progress,
  // Short, so that a stats request (about a second long on Docker) is likely in flight at the
  // detach, and the health poll runs: every kind of engine request the run makes is exercised.
  statsIntervalMs: 300,
  logFlushIntervalMs: 100,
  instanceId: runId,
  awslogsAccess: allowAwslogs(),
});

const taskId = randomHex(32);
const plan: TaskLaunchPlan = {
  taskArn: `arn:aws:ecs:us-east-1:000000000000:task/it/${taskId}`,
  taskId,
  clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/it',
  family: 'detach',
  revision: 1,
  containers: [
    {
      name: 'app',
      image: TEST_IMAGE,
      essential: true,
      command: ['sh', '-c', 'echo ready; exec sleep 30'],
      environment: {},
      stopTimeoutSeconds: 2,
      dependsOn: [],
      awslogs: { group: '/ecs/detach', streamPrefix: 'ecs', createGroup: false },
      healthCheck: {
        command: ['CMD-SHELL', 'true'],
        intervalSeconds: 1,
        timeoutSeconds: 1,
        retries: 1,
        startPeriodSeconds: 0,
      },
    },
  ],
  networkMode: 'none',
  containerInsights: true,
  extraLabels: { [TEST_RUN_LABEL]: runId },
};

const started = supervisor.next((e) => e.type === 'container:started');
supervisor.launch(plan);
const event = await started;
if (event.type !== 'container:started') throw new Error(`unexpected event ${event.type}`);
// Let the log follow, the wait, the health poll and a stats sample all get going.
await clock.sleep(1500);

await supervisor.detachAll();
await store.close();
const statuses = progress.statuses(plan.taskArn);
const containerUpdates = progress.containers.get(plan.taskArn)?.get('app') ?? [];
process.stdout.write(
  `${JSON.stringify({
    containerId: event.runtimeId,
    lastStatus: statuses.at(-1),
    containerStatuses: containerUpdates.map((u) => u.lastStatus),
    samples: progress.stats.length,
  })}\n`,
);
