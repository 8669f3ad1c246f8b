/**
 * The composition root: one engine = store + services + task supervisor on a container runtime.
 * `cronbridge up` starts one; integration tests and benchmarks build one the same way.
 */
import { Ec2Service } from '../ec2/ec2.service.ts';
import { EcsService } from '../ecs/ecs.service.ts';
import { EventsService } from '../events/events.service.ts';
import {
  FiringLoop,
  type FiringLoopOptions,
  StoreSlotLedger,
  firingEvents,
} from '../firing/index.ts';
import { RunHistory, RunMetrics, TargetInvoker, invokeEvents } from '../invoke/index.ts';
import { LogsService } from '../logs/logs.service.ts';
import { IamService } from '../iam/iam.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { AwsContext } from '../platform/ids.ts';
import { PageTokens, randomPageTokenKey } from '../platform/page-token.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { type EngineCallTimeouts, TimedRuntime } from '../runtime/timed-runtime.ts';
import type { Store } from '../store/store.ts';
import { type RecoveryReport, TaskSupervisor } from '../supervisor/task-supervisor.ts';
import { IamAwslogsAccess } from './awslogs-access.ts';
import { resourceTags } from './resource-tags.ts';
import { EcsTargetAuthorizer } from './target-authorization.ts';

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
  /**
   * Config `allowHostAccess`: task definitions may use host network, privileged mode, host
   * volumes, … and the containers get them. Default false: Fargate's confinement.
   */
  allowHostAccess?: boolean;
  logFlushIntervalMs?: number;
  statsIntervalMs?: number;
  firing?: FiringLoopOptions;
  /** Owner label of this instance's containers (see TaskSupervisorOptions.instanceId). */
  instanceId?: string;
  /**
   * Key that signs every service's page tokens. Without one each engine draws a random key, so
   * tokens issued before a restart are refused after it (clients start their listing again).
   */
  pageTokenKey?: Uint8Array;
  /** Bounds on calls to the container engine (see `src/runtime/timed-runtime.ts`). */
  engineCallTimeouts?: Partial<EngineCallTimeouts>;
}

export interface Engine extends AsyncDisposable {
  readonly ecs: EcsService;
  readonly logs: LogsService;
  /** IAM is global: one service whatever the request's region. */
  readonly iam: IamService;
  /** The EC2 VPC subset (regional networking resources). */
  readonly ec2: Ec2Service;
  readonly supervisor: TaskSupervisor;
  /** The runtime the supervisor drives, every call bounded; says whether the engine answers. */
  readonly engineCalls: TimedRuntime;
  readonly events: EventsService;
  readonly firing: FiringLoop;
  readonly invoker: TargetInvoker;
  readonly history: RunHistory;
  readonly metrics: RunMetrics;
  /** Signs the page tokens of every service (and the cronbridge API's). */
  readonly pageTokens: PageTokens;
  /**
   * Starts firing scheduled rules: pending retries resume first, then the loop loads the rules.
   * Call after {@link Engine.recover}.
   */
  startFiring(): Promise<void>;
  /** Re-attaches to tasks left running by a previous process; call once before serving. */
  recover(): Promise<RecoveryReport>;
  /** Stops supervising; running tasks keep running for the next start to adopt. */
  close(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const { store, clock, context } = options;
  // Every engine call the supervisor makes is bounded: a hung engine fails tasks, not freezes them.
  const runtime = new TimedRuntime({
    runtime: options.runtime,
    clock,
    ...(options.engineCallTimeouts ? { timeouts: options.engineCallTimeouts } : {}),
  });
  const pageTokens = new PageTokens({
    clock,
    key: options.pageTokenKey ?? randomPageTokenKey(),
  });
  const logs = new LogsService({ store, clock, pageTokens });
  const iam = new IamService({ store, clock, context });
  const ec2 = new Ec2Service({ store, clock });
  // Service roles are enforced where the system runs on them: the target role EventBridge
  // assumes before RunTask, and the execution role the awslogs driver writes with.
  const serviceRoles = iam.authorization;
  // ECS takes each request's context (its region) per operation, not one at construction. Its
  // awsvpc checks read subnets and security groups from EC2 through ECS's own port.
  const ecs = new EcsService(
    {
      store,
      clock,
      pageTokens,
      network: { describe: (ctx, lookup) => ec2.networkCheck(ctx, lookup) },
    },
    {
      awsvpcNetwork: options.taskNetwork,
      ...(options.stoppedTaskRetentionMs === undefined
        ? {}
        : { stoppedTaskRetentionMs: options.stoppedTaskRetentionMs }),
      ...(options.extraLabels ? { extraLabels: options.extraLabels } : {}),
      allowHostAccess: options.allowHostAccess ?? false,
    },
  );
  const supervisor = new TaskSupervisor({
    runtime,
    logs,
    clock,
    progress: ecs.tasks,
    awslogsAccess: new IamAwslogsAccess(serviceRoles, clock),
    ...(options.instanceId === undefined ? {} : { instanceId: options.instanceId }),
    ...(options.logFlushIntervalMs === undefined
      ? {}
      : { logFlushIntervalMs: options.logFlushIntervalMs }),
    ...(options.statsIntervalMs === undefined ? {} : { statsIntervalMs: options.statsIntervalMs }),
  });
  ecs.tasks.setLauncher(supervisor);

  const events = new EventsService({ store, clock, pageTokens });
  // Firing owns the slot ledger; the invoker reports through it and emits on its own hub.
  const firingHub = firingEvents();
  const invokeHub = invokeEvents();
  const metrics = new RunMetrics();
  metrics.attach(firingHub, invokeHub);
  const invoker = new TargetInvoker({
    store,
    clock,
    rules: events,
    slots: new StoreSlotLedger({ store, events: firingHub }),
    ecs,
    authorization: new EcsTargetAuthorizer({
      authorization: serviceRoles,
      ecs,
      clock,
      resourceTags: (arn) => resourceTags({ ecs, events, logs, iam }, arn),
    }),
    events: invokeHub,
  });
  const firing = new FiringLoop({
    store,
    clock,
    // Every source of scheduled things: EventBridge rules today.
    sources: [events],
    invoker,
    events: firingHub,
    // Claiming 2 s ahead keeps top-of-the-minute cron bursts on time at scale (bench/firing:
    // p99 lag 4 ms at 1M rules); a slot still fires only after its record commits, at its time.
    options: { claimAheadMs: 2_000, ...options.firing },
  });
  const startFiring = async () => {
    await metrics.loadFromStore(store.db);
    await invoker.start();
    await firing.start();
  };
  // Firing stops first so no new task starts while supervision lets go.
  const close = async () => {
    await firing.stop();
    await invoker.stop();
    await supervisor.detachAll();
  };
  return {
    ecs,
    logs,
    iam,
    ec2,
    supervisor,
    engineCalls: runtime,
    events,
    firing,
    invoker,
    history: new RunHistory({ store }),
    metrics,
    pageTokens,
    startFiring,
    recover: async () => supervisor.recover(await ecs.tasks.unfinishedTasks()),
    close,
    [Symbol.asyncDispose]: close,
  };
}
