/**
 * "Launch a task", pluggable: the benchmark times whatever {@link LaunchTask} it is given from the
 * call to RUNNING and to STOPPED. Two implementations live here:
 * - {@link supervisorLauncher}: RunTask's commit (the task row as PROVISIONING) on the store, then
 *   cronbridge's TaskSupervisor with a store-backed progress sink and awslogs into the store.
 *   When src/ecs exists, an `ecsLauncher` calling its RunTask belongs beside it.
 * - {@link floorLauncher}: the same container straight through the Docker Engine API (dockerode):
 *   create, start, (optionally follow its logs), wait, remove. Nothing can launch it faster.
 *
 * Both create byte-identical container bodies (same name pattern, image, command, labels, network
 * mode `none`), built by the runtime's own `toCreateOptions`.
 */
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';

import type Docker from 'dockerode';

import type { LogsService } from '../../src/logs/logs.service.ts';
import { DEFAULT_CONTEXT, randomHex } from '../../src/platform/ids.ts';
import { toCreateOptions } from '../../src/runtime/docker-spec.ts';
import { LABELS, type TaskLaunchPlan } from '../../src/supervisor/task-plan.ts';
import type { TaskRunEvent } from '../../src/supervisor/task-run.ts';
import type { TaskSupervisor } from '../../src/supervisor/task-supervisor.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { defaultNetwork } from '../../src/engine/engine.test-support.ts';
import type { StoreProgressSink } from './store-progress.ts';
import { createServiceRoles, engineRoles } from '../../src/engine/service-roles.test-support.ts';

/** Label on every container the benchmark creates, so the end of the run can reap them all. */
export const BENCH_RUN_LABEL = 'org.cronbridge.bench-run';

export const BENCH_CLUSTER_ARN = 'arn:aws:ecs:us-east-1:000000000000:cluster/bench';
export const BENCH_FAMILY = 'bench';

export interface BenchTaskRequest {
  image: string;
  command: string[];
  /** Floor only: follow the container's output and count its lines (the awslogs equivalent). */
  readLogs?: boolean;
  /** Container limits (what a Fargate task definition's cpu/memory become). */
  limits?: { cpuUnits: number; memoryMiB: number };
}

export interface LaunchedTask {
  /** performance.now() at the launch call. */
  t0: number;
  /** Resolves when the task is RUNNING (stored, for cronbridge); rejects if it never ran. */
  running: Promise<void>;
  /** Resolves when the task is STOPPED and its container removed. */
  stopped: Promise<void>;
  /** Lines delivered: stored in the awslogs stream (ours) or read from the engine (floor). */
  lines(): Promise<number>;
  /** performance.now() at which each phase ended, for the breakdown. */
  marks: Map<string, number>;
}

export type LaunchTask = (request: BenchTaskRequest) => LaunchedTask;

export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A rejection nobody awaited yet must not crash the process; callers still see it.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function newTask(): { taskId: string; taskArn: string } {
  const taskId = randomHex(32);
  return { taskId, taskArn: `arn:aws:ecs:us-east-1:000000000000:task/bench/${taskId}` };
}

/**
 * Follows the supervisor's events per task ARN. Events that arrive before the launcher knows the
 * ARN (RunTask answers after the supervisor already started) are kept until claimed.
 */
export class RunEvents {
  readonly #entries = new Map<string, TaskEvents>();

  constructor(supervisor: TaskSupervisor) {
    supervisor.on((event) => this.#on(event));
  }

  /** The record of `taskArn`, created when first asked for or first seen. */
  claim(taskArn: string): TaskEvents {
    let e = this.#entries.get(taskArn);
    if (!e) {
      e = { running: deferred(), stopped: deferred(), marks: new Map() };
      this.#entries.set(taskArn, e);
    }
    return e;
  }

  #on(event: TaskRunEvent): void {
    const e = this.claim(event.taskArn);
    const at = performance.now();
    switch (event.type) {
      case 'task:status':
        if (event.status !== 'STOPPED') e.marks.set(event.status, at);
        if (event.status === 'RUNNING') e.running.resolve();
        break;
      case 'container:started':
        e.marks.set('container started', at);
        break;
      case 'container:exited':
        e.marks.set('container exited', at);
        break;
      case 'task:stopped':
        e.marks.set('STOPPED', at);
        this.#entries.delete(event.taskArn);
        e.running.reject(new Error(`task stopped before RUNNING: ${event.reason}`));
        if (event.stopCode === 'EssentialContainerExited') e.stopped.resolve();
        else e.stopped.reject(new Error(`task stopped: ${event.stopCode}: ${event.reason}`));
        break;
    }
  }
}

export interface TaskEvents {
  running: Deferred;
  stopped: Deferred;
  marks: Map<string, number>;
}

export interface SupervisorLauncherDeps {
  supervisor: TaskSupervisor;
  sink: StoreProgressSink;
  logs: LogsService;
  runId: string;
  logGroup: string;
  now: () => number;
}

/** RunTask's commit (bench sink), then cronbridge's supervisor; see the file comment. */
export function supervisorLauncher(deps: SupervisorLauncherDeps): LaunchTask {
  const { supervisor, sink, logs, runId, logGroup } = deps;
  const events = new RunEvents(supervisor);
  return (request) => {
    const t0 = performance.now();
    const { taskId, taskArn } = newTask();
    const e = events.claim(taskArn);
    const plan: TaskLaunchPlan = {
      taskArn,
      taskId,
      clusterArn: BENCH_CLUSTER_ARN,
      family: BENCH_FAMILY,
      revision: 1,
      networkMode: 'none',
      containerInsights: false,
      extraLabels: { [BENCH_RUN_LABEL]: runId },
      containers: [
        {
          name: 'app',
          image: request.image,
          essential: true,
          command: request.command,
          environment: {},
          stopTimeoutSeconds: 30,
          dependsOn: [],
          ...request.limits,
          awslogs: { group: logGroup, streamPrefix: 'ecs', createGroup: false },
        },
      ],
    };
    void sink.createTask(taskArn, deps.now()).then(
      () => {
        e.marks.set('RunTask committed', performance.now());
        supervisor.launch(plan);
      },
      (error: unknown) => {
        const err = error instanceof Error ? error : new Error(String(error));
        e.running.reject(err);
        e.stopped.reject(err);
      },
    );
    return {
      t0,
      running: e.running.promise,
      stopped: e.stopped.promise,
      marks: e.marks,
      lines: () => logs.countStreamEvents(DEFAULT_CONTEXT, logGroup, `ecs/app/${taskId}`),
    };
  };
}

export interface EcsLauncherDeps {
  engine: Engine;
  logGroup: string;
  image: string;
  limits: { cpuUnits: number; memoryMiB: number };
}

/**
 * The ECS service's RunTask (src/ecs through the composition root src/engine/engine.ts): a Fargate
 * task definition `bench` (awsvpc, which the engine maps to its task network, `none` here) whose
 * one container `app` gets the request's command as a container override.
 */
export async function ecsLauncher(deps: EcsLauncherDeps): Promise<LaunchTask> {
  const { engine, logGroup } = deps;
  // The task logs as its execution role, which must exist and may write the group.
  await createServiceRoles(engineRoles(engine.iam));
  await engine.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'bench' });
  await engine.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
    family: BENCH_FAMILY,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: String(deps.limits.cpuUnits),
    memory: String(deps.limits.memoryMiB),
    executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
    containerDefinitions: [
      {
        name: 'app',
        image: deps.image,
        command: ['true'],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': logGroup,
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
    ],
  });
  // RunTask accepts only subnets that exist in its region: the region's default ones.
  const { subnets } = await defaultNetwork(engine);
  const events = new RunEvents(engine.supervisor);
  return (request) => {
    const t0 = performance.now();
    const running = deferred();
    const stopped = deferred();
    const marks = new Map<string, number>();
    let taskId = '';
    void engine.ecs
      .runTask(DEFAULT_CONTEXT, {
        cluster: 'bench',
        taskDefinition: BENCH_FAMILY,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets, assignPublicIp: 'DISABLED' },
        },
        overrides: { containerOverrides: [{ name: 'app', command: request.command }] },
      })
      .then(({ tasks, failures }) => {
        const taskArn = tasks[0]?.taskArn;
        if (!taskArn) throw new Error(`RunTask failed: ${JSON.stringify(failures)}`);
        marks.set('RunTask answered', performance.now());
        taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1);
        const e = events.claim(taskArn);
        e.running.promise.then(running.resolve, running.reject);
        e.stopped.promise.then(() => {
          for (const [k, v] of e.marks) marks.set(k, v);
          stopped.resolve();
        }, stopped.reject);
      })
      .catch((error: unknown) => {
        const err = error instanceof Error ? error : new Error(String(error));
        running.reject(err);
        stopped.reject(err);
      });
    return {
      t0,
      running: running.promise,
      stopped: stopped.promise,
      marks,
      lines: () => engine.logs.countStreamEvents(DEFAULT_CONTEXT, logGroup, `ecs/app/${taskId}`),
    };
  };
}

/** Counts `\n` bytes written to it: the demuxed stdout/stderr of the floor container. */
class LineCounter extends Writable {
  count = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    let i = chunk.indexOf(10);
    while (i !== -1) {
      this.count++;
      i = chunk.indexOf(10, i + 1);
    }
    done();
  }
}

/** The same container through dockerode alone; see the file comment. */
export function floorLauncher(docker: Docker, runId: string): LaunchTask {
  return (request) => {
    const t0 = performance.now();
    const { taskId, taskArn } = newTask();
    const marks = new Map<string, number>();
    const mark = (name: string) => marks.set(name, performance.now());
    const running = deferred();
    const stopped = deferred();
    const out = new LineCounter();
    const err = new LineCounter();
    const body = toCreateOptions({
      name: `ecs-${BENCH_FAMILY}-1-app-${taskId}`,
      image: request.image,
      command: request.command,
      env: {},
      stopTimeoutSeconds: 30,
      networkMode: 'none',
      ...request.limits,
      labels: {
        [BENCH_RUN_LABEL]: runId,
        [LABELS.managed]: 'true',
        [LABELS.cluster]: BENCH_CLUSTER_ARN,
        [LABELS.taskArn]: taskArn,
        [LABELS.container]: 'app',
      },
    });
    void (async () => {
      const container = await docker.createContainer(body);
      mark('created');
      try {
        await container.start();
        mark('started');
        running.resolve();
        if (request.readLogs) {
          const stream = await container.logs({
            follow: true,
            stdout: true,
            stderr: true,
          });
          await new Promise<void>((resolve, reject) => {
            docker.modem.demuxStream(stream, out, err);
            stream.on('end', () => resolve());
            stream.on('error', reject);
          });
          mark('logs read');
        }
        await container.wait();
        mark('waited');
      } finally {
        await container.remove({ force: true, v: true });
        mark('removed');
      }
    })().then(stopped.resolve, (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      running.reject(e);
      stopped.reject(e);
    });
    return {
      t0,
      running: running.promise,
      stopped: stopped.promise,
      marks,
      lines: async () => out.count + err.count,
    };
  };
}
