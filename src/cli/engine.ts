/**
 * The composition root: one engine = store + services + task supervisor on a container runtime.
 * `cronbridge up` starts one; integration tests and benchmarks build one the same way.
 */
import { EcsService } from '../ecs/ecs.service.ts';
import { LogsService } from '../logs/logs.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { AwsContext } from '../platform/ids.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import type { Store } from '../store/store.ts';
import { type RecoveryReport, TaskSupervisor } from '../tasks/task-supervisor.ts';

export interface EngineOptions {
  store: Store;
  clock: Clock;
  runtime: ContainerRuntime;
  context: AwsContext;
  /** Docker network for awsvpc tasks. */
  taskNetwork: string;
  stoppedTaskRetentionMs?: number;
  /** Extra labels on every container (tests reap theirs by it). */
  extraLabels?: Record<string, string>;
  logFlushIntervalMs?: number;
  statsIntervalMs?: number;
}

export interface Engine extends AsyncDisposable {
  readonly ecs: EcsService;
  readonly logs: LogsService;
  readonly supervisor: TaskSupervisor;
  /** Re-attaches to tasks left running by a previous process; call once before serving. */
  recover(): Promise<RecoveryReport>;
  /** Stops supervising; running tasks keep running for the next start to adopt. */
  close(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const { store, clock, runtime, context } = options;
  const logs = new LogsService({ store, clock, context });
  const ecs = new EcsService(
    { store, clock, context },
    {
      awsvpcNetwork: options.taskNetwork,
      ...(options.stoppedTaskRetentionMs === undefined
        ? {}
        : { stoppedTaskRetentionMs: options.stoppedTaskRetentionMs }),
      ...(options.extraLabels ? { extraLabels: options.extraLabels } : {}),
    },
  );
  const supervisor = new TaskSupervisor({
    runtime,
    logs,
    clock,
    progress: ecs.tasks,
    ...(options.logFlushIntervalMs === undefined
      ? {}
      : { logFlushIntervalMs: options.logFlushIntervalMs }),
    ...(options.statsIntervalMs === undefined ? {} : { statsIntervalMs: options.statsIntervalMs }),
  });
  ecs.tasks.setLauncher(supervisor);
  const close = () => supervisor.detachAll();
  return {
    ecs,
    logs,
    supervisor,
    recover: async () => supervisor.recover(await ecs.tasks.unfinishedTasks()),
    close,
    [Symbol.asyncDispose]: close,
  };
}
