/**
 * ECS tasks: RunTask, DescribeTasks, ListTasks, StopTask, and the record of each task's life.
 *
 * RunTask validates, commits every task as PROVISIONING, and only then hands it to the
 * {@link TaskLauncher} (the supervisor), so a task that was acknowledged is never lost. The
 * supervisor reports progress back through {@link TasksService} as a `TaskProgressSink`.
 */
import { createHash } from 'node:crypto';

import { randomHex, uuid } from '../platform/ids.ts';
import { buildLaunchPlan } from '../tasks/launch-plan.build.ts';
import type { TaskLaunchPlan } from '../tasks/task-plan.ts';
import {
  type ContainerProgressUpdate,
  type ContainerStats,
  type StopCode,
  TASK_STATUSES,
  type TaskProgressSink,
  type TaskProgressUpdate,
  type TaskStatus,
} from '../tasks/task-progress.ts';
import type { UnfinishedTask } from '../tasks/task-supervisor.ts';
import type { EcsDeps, EcsResources } from './ecs-resources.service.ts';
import { ClientException, InvalidParameterException } from './ecs.errors.ts';
import type {
  Container,
  Failure,
  NetworkConfiguration,
  Tag,
  Task,
  TaskDefinition,
  TaskOverride,
} from './ecs.types.ts';
import { pageOf } from './pagination.ts';

/** Who runs tasks; the task supervisor implements it. */
export interface TaskLauncher {
  launch(plan: TaskLaunchPlan): unknown;
  requestStop(taskArn: string, stopCode: StopCode, reason: string): boolean;
}

export interface RunTaskInput {
  cluster?: string;
  taskDefinition?: string;
  count?: number;
  launchType?: string;
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  networkConfiguration?: NetworkConfiguration;
  overrides?: TaskOverride;
  platformVersion?: string;
  group?: string;
  startedBy?: string;
  tags?: Tag[];
  propagateTags?: string;
  enableECSManagedTags?: boolean;
  enableExecuteCommand?: boolean;
  referenceId?: string;
  clientToken?: string;
}

export interface TasksServiceOptions {
  /** Docker network that awsvpc tasks join (config `taskNetwork`). */
  awsvpcNetwork: string;
  /** How long STOPPED tasks stay describable, ms (ECS: about an hour). */
  stoppedTaskRetentionMs: number;
  /** Extra engine labels on every container (tests use it to reap theirs). */
  extraLabels?: Record<string, string>;
}

const ORDER = new Map<string, number>(TASK_STATUSES.map((s, i) => [s, i]));
/** ECS's latest Fargate platform version, which `LATEST` resolves to. */
const LATEST_PLATFORM_VERSION = '1.4.0';

export class TasksService implements TaskProgressSink {
  readonly #deps: EcsDeps;
  readonly #resources: EcsResources;
  readonly #options: TasksServiceOptions;
  #launcher: TaskLauncher | undefined;

  constructor(deps: EcsDeps, resources: EcsResources, options: TasksServiceOptions) {
    this.#deps = deps;
    this.#resources = resources;
    this.#options = options;
  }

  /** Connects the supervisor; tasks created before that wait in the store for recovery. */
  setLauncher(launcher: TaskLauncher): void {
    this.#launcher = launcher;
  }

  async runTask(input: RunTaskInput): Promise<{ tasks: Task[]; failures: Failure[] }> {
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10) {
      throw new InvalidParameterException('Count must be between 1 and 10.');
    }
    if (!input.taskDefinition) {
      throw new InvalidParameterException('TaskDefinition cannot be empty.');
    }
    if (input.launchType && input.capacityProviderStrategy?.length) {
      throw new InvalidParameterException(
        'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
      );
    }
    if (input.startedBy !== undefined && input.startedBy.length > 128) {
      throw new InvalidParameterException('startedBy must be at most 128 characters.');
    }
    const created = await this.#deps.store.transaction(async (trx) => {
      const cluster = await this.#resources.requireActiveCluster(trx, input.cluster ?? 'default');
      const row = await this.#resources.findTaskDefinition(
        trx,
        input.taskDefinition as string,
        true,
      );
      if (!row) throw new InvalidParameterException('TaskDefinition not found.');
      if ('inactive' in row) throw new ClientException('TaskDefinition is inactive');
      const td = JSON.parse(row.body) as TaskDefinition;
      this.#checkNetwork(td, input.networkConfiguration);
      this.#checkOverrides(td, input.overrides);
      if (input.launchType === 'FARGATE' && !td.compatibilities.includes('FARGATE')) {
        throw new InvalidParameterException(
          'Task definition does not support launch_type FARGATE.',
        );
      }
      const tdTags = JSON.parse(row.tags) as Tag[];
      const insights = cluster.settings.some(
        (s) => s.name === 'containerInsights' && s.value === 'enabled',
      );
      const tasks: { task: Task; plan: TaskLaunchPlan }[] = [];
      for (let i = 0; i < count; i++) {
        const task = this.#newTask(td, cluster.clusterArn, cluster.clusterName, input, tdTags);
        const plan = buildLaunchPlan(
          td,
          {
            taskArn: task.taskArn,
            clusterArn: cluster.clusterArn,
            networkMode: this.#dockerNetwork(td.networkMode),
            containerInsights: insights,
            extraLabels: this.#options.extraLabels,
          },
          input.overrides,
        );
        await trx
          .insertInto('ecs_tasks')
          .values({
            arn: task.taskArn,
            cluster_arn: task.clusterArn,
            family: td.family,
            started_by: task.startedBy ?? null,
            launch_type: task.launchType ?? null,
            desired_status: 'RUNNING',
            last_status: 'PROVISIONING',
            created_at: task.createdAt,
            stopped_at: null,
            body: JSON.stringify(task),
            plan: JSON.stringify(plan),
          })
          .execute();
        tasks.push({ task, plan });
      }
      return tasks;
    });
    // Only after the commit: a supervisor that saw the task can always find it in the store.
    for (const { plan } of created) this.#launcher?.launch(plan);
    return { tasks: created.map((c) => c.task), failures: [] };
  }

  async describeTasks(input: { cluster?: string; tasks?: string[]; include?: string[] }): Promise<{
    tasks: Task[];
    failures: Failure[];
  }> {
    if (!input.tasks?.length) throw new InvalidParameterException('Tasks cannot be empty.');
    const cluster = await this.#resources.requireActiveCluster(
      this.#deps.store.db,
      input.cluster ?? 'default',
    );
    const tasks: Task[] = [];
    const failures: Failure[] = [];
    for (const ref of input.tasks) {
      const taskArn = this.#taskArnOf(cluster.clusterName, ref);
      const row = await this.#deps.store.db
        .selectFrom('ecs_tasks')
        .select('body')
        .where('arn', '=', taskArn)
        .where('cluster_arn', '=', cluster.clusterArn)
        .executeTakeFirst();
      if (!row) {
        failures.push({ arn: taskArn, reason: 'MISSING' });
        continue;
      }
      const task = JSON.parse(row.body) as Task;
      tasks.push(input.include?.includes('TAGS') ? task : { ...task, tags: [] });
    }
    return { tasks, failures };
  }

  async listTasks(input: {
    cluster?: string;
    family?: string;
    startedBy?: string;
    desiredStatus?: string;
    launchType?: string;
    nextToken?: string;
    maxResults?: number;
  }): Promise<{ taskArns: string[]; nextToken?: string }> {
    const cluster = await this.#resources.requireActiveCluster(
      this.#deps.store.db,
      input.cluster ?? 'default',
    );
    let query = this.#deps.store.db
      .selectFrom('ecs_tasks')
      .select('arn')
      .where('cluster_arn', '=', cluster.clusterArn)
      .where('desired_status', '=', input.desiredStatus ?? 'RUNNING');
    if (input.family) query = query.where('family', '=', input.family);
    if (input.startedBy) query = query.where('started_by', '=', input.startedBy);
    if (input.launchType) query = query.where('launch_type', '=', input.launchType);
    const rows = await query.orderBy('created_at').orderBy('arn').execute();
    const page = pageOf(
      rows.map((r) => r.arn),
      input.nextToken,
      input.maxResults,
      100,
    );
    return { taskArns: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async stopTask(input: {
    cluster?: string;
    task?: string;
    reason?: string;
  }): Promise<{ task: Task }> {
    if (!input.task) throw new InvalidParameterException('Task cannot be empty.');
    const cluster = await this.#resources.requireActiveCluster(
      this.#deps.store.db,
      input.cluster ?? 'default',
    );
    const taskArn = this.#taskArnOf(cluster.clusterName, input.task);
    // ECS shows the caller's reason, or its own default when none is given.
    const reason = input.reason ?? 'Task stopped by user';
    const task = await this.#update(taskArn, (t) => {
      if (t.desiredStatus === 'STOPPED') return t;
      return { ...t, desiredStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: reason };
    });
    if (task.lastStatus !== 'STOPPED') {
      this.#launcher?.requestStop(taskArn, 'UserInitiated', reason);
    }
    return { task };
  }

  // ---- TaskProgressSink -------------------------------------------------------------------

  async taskProgress(taskArn: string, u: TaskProgressUpdate): Promise<void> {
    await this.#update(taskArn, (t) => {
      const from = ORDER.get(t.lastStatus) ?? 0;
      const to = ORDER.get(u.lastStatus) ?? 0;
      if (to < from) {
        throw new Error(`task ${taskArn} cannot go back from ${t.lastStatus} to ${u.lastStatus}`);
      }
      const next: Task = { ...t, lastStatus: u.lastStatus };
      if (u.pullStartedAt !== undefined) next.pullStartedAt = u.pullStartedAt;
      if (u.pullStoppedAt !== undefined) next.pullStoppedAt = u.pullStoppedAt;
      if (u.lastStatus === 'RUNNING') {
        next.startedAt ??= u.at;
        next.connectivity = 'CONNECTED';
        next.connectivityAt ??= u.at;
      }
      if (to >= (ORDER.get('DEACTIVATING') ?? 0)) {
        next.desiredStatus = 'STOPPED';
        if (u.lastStatus === 'STOPPING' || u.lastStatus === 'DEACTIVATING') {
          next.stoppingAt ??= u.at;
        }
      }
      if (u.executionStoppedAt !== undefined) next.executionStoppedAt = u.executionStoppedAt;
      if (u.lastStatus === 'STOPPED') {
        next.stoppedAt = u.at;
        next.stoppingAt ??= u.at;
        // A StopTask reason recorded earlier wins over the supervisor's generic one.
        next.stopCode = t.stopCode ?? u.stopCode;
        next.stoppedReason = t.stoppedReason ?? u.stoppedReason;
        next.attachments = t.attachments.map((a) => ({ ...a, status: 'DELETED' }));
      } else if (u.lastStatus === 'RUNNING') {
        next.attachments = t.attachments.map((a) => ({ ...a, status: 'ATTACHED' }));
      }
      return next;
    });
  }

  async containerProgress(
    taskArn: string,
    name: string,
    u: ContainerProgressUpdate,
  ): Promise<void> {
    await this.#update(taskArn, (t) => ({
      ...t,
      containers: t.containers.map((c) => {
        if (c.name !== name) return c;
        const next: Container = { ...c, lastStatus: u.lastStatus };
        if (u.runtimeId !== undefined) next.runtimeId = u.runtimeId;
        if (u.imageDigest !== undefined) next.imageDigest = u.imageDigest;
        if (u.exitCode !== undefined && u.exitCode !== null) next.exitCode = u.exitCode;
        if (u.reason !== undefined) next.reason = u.reason.slice(0, 1024);
        if (u.healthStatus !== undefined) next.healthStatus = u.healthStatus;
        return next;
      }),
    }));
  }

  async recordStats(taskArn: string, samples: ContainerStats[]): Promise<void> {
    if (samples.length === 0) return;
    await this.#deps.store.db
      .insertInto('ecs_task_stats')
      .values(
        samples.map((s) => ({
          task_arn: taskArn,
          container_name: s.containerName,
          timestamp: s.timestamp,
          cpu_usage_ns: s.cpuUsageNs,
          cpu_percent: s.cpuPercent ?? null,
          memory_bytes: s.memoryBytes,
          memory_limit_bytes: s.memoryLimitBytes ?? null,
        })),
      )
      .execute();
  }

  /** Container Insights samples of a task, oldest first. */
  async taskStats(taskArn: string): Promise<ContainerStats[]> {
    const rows = await this.#deps.store.db
      .selectFrom('ecs_task_stats')
      .selectAll()
      .where('task_arn', '=', taskArn)
      .orderBy('timestamp')
      .execute();
    return rows.map((r) => ({
      containerName: r.container_name,
      timestamp: Number(r.timestamp),
      cpuUsageNs: Number(r.cpu_usage_ns),
      ...(r.cpu_percent === null ? {} : { cpuPercent: r.cpu_percent }),
      memoryBytes: Number(r.memory_bytes),
      ...(r.memory_limit_bytes === null ? {} : { memoryLimitBytes: Number(r.memory_limit_bytes) }),
    }));
  }

  /** Tasks not yet STOPPED, with their plans, for the supervisor's recovery at start-up. */
  async unfinishedTasks(): Promise<UnfinishedTask[]> {
    const rows = await this.#deps.store.db
      .selectFrom('ecs_tasks')
      .select(['body', 'plan'])
      .where('last_status', '!=', 'STOPPED')
      .execute();
    return rows.map((r) => {
      const task = JSON.parse(r.body) as Task;
      return {
        plan: JSON.parse(r.plan) as TaskLaunchPlan,
        lastStatus: task.lastStatus as TaskStatus,
        ...(task.desiredStatus === 'STOPPED' && task.stopCode
          ? { stop: { stopCode: task.stopCode as StopCode, reason: task.stoppedReason ?? '' } }
          : {}),
      };
    });
  }

  /** Forgets STOPPED tasks older than the retention; returns how many. */
  async purgeExpiredTasks(): Promise<number> {
    const cutoff = this.#deps.clock.now() - this.#options.stoppedTaskRetentionMs;
    return this.#deps.store.transaction(async (trx) => {
      const expired = await trx
        .selectFrom('ecs_tasks')
        .select('arn')
        .where('last_status', '=', 'STOPPED')
        .where('stopped_at', '<', cutoff)
        .execute();
      const arns = expired.map((r) => r.arn);
      if (arns.length === 0) return 0;
      await trx.deleteFrom('ecs_task_stats').where('task_arn', 'in', arns).execute();
      await trx.deleteFrom('ecs_tasks').where('arn', 'in', arns).execute();
      return arns.length;
    });
  }

  // ---- helpers ----------------------------------------------------------------------------

  #taskArnOf(clusterName: string, ref: string): string {
    if (ref.startsWith('arn:')) return ref;
    return `arn:${this.#deps.context.partition}:ecs:${this.#deps.context.region}:${this.#deps.context.accountId}:task/${clusterName}/${ref}`;
  }

  #dockerNetwork(networkMode: string | undefined): string {
    if (networkMode === 'awsvpc' || networkMode === undefined) return this.#options.awsvpcNetwork;
    return networkMode; // bridge, host, none map to Docker's modes of the same name
  }

  #checkNetwork(td: TaskDefinition, config: NetworkConfiguration | undefined): void {
    if (td.networkMode === 'awsvpc') {
      if (!config?.awsvpcConfiguration) {
        throw new InvalidParameterException(
          "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        );
      }
      if (!config.awsvpcConfiguration.subnets?.length) {
        throw new InvalidParameterException('subnets can not be empty.');
      }
    } else if (config?.awsvpcConfiguration) {
      throw new InvalidParameterException(
        'Network Configuration is not valid for the given networkMode of this task definition.',
      );
    }
  }

  #checkOverrides(td: TaskDefinition, overrides: TaskOverride | undefined): void {
    for (const o of overrides?.containerOverrides ?? []) {
      if (!td.containerDefinitions.some((c) => c.name === o.name)) {
        throw new InvalidParameterException(
          `Override for container named ${String(o.name)} is not a container in the TaskDefinition.`,
        );
      }
    }
  }

  #newTask(
    td: TaskDefinition,
    clusterArn: string,
    clusterName: string,
    input: RunTaskInput,
    tdTags: Tag[],
  ): Task {
    const now = this.#deps.clock.now();
    const taskId = randomHex(32);
    const taskArn = this.#taskArnOf(clusterName, taskId);
    const fargate =
      input.launchType === 'FARGATE' ||
      (!input.launchType && td.compatibilities.includes('FARGATE'));
    const tags = [
      ...(input.propagateTags === 'TASK_DEFINITION' ? tdTags : []),
      ...(input.tags ?? []),
      ...(input.enableECSManagedTags ? [{ key: 'aws:ecs:clusterName', value: clusterName }] : []),
    ];
    const attachmentId = uuid();
    const awsvpc = input.networkConfiguration?.awsvpcConfiguration;
    const ip = syntheticAddress(taskId);
    const overrides: TaskOverride = {
      ...input.overrides,
      // ECS reports one entry per container even when nothing was overridden.
      containerOverrides: td.containerDefinitions.map(
        (c) =>
          input.overrides?.containerOverrides?.find((o) => o.name === c.name) ?? { name: c.name },
      ),
      inferenceAcceleratorOverrides: [],
    } as TaskOverride;
    return {
      taskArn,
      clusterArn,
      taskDefinitionArn: td.taskDefinitionArn,
      ...(input.capacityProviderStrategy?.length
        ? { capacityProviderName: input.capacityProviderStrategy[0]?.capacityProvider }
        : { launchType: input.launchType ?? (fargate ? 'FARGATE' : 'EC2') }),
      ...(fargate
        ? {
            platformVersion:
              !input.platformVersion || input.platformVersion === 'LATEST'
                ? LATEST_PLATFORM_VERSION
                : input.platformVersion,
            platformFamily: 'Linux',
          }
        : {}),
      cpu: input.overrides?.cpu ?? td.cpu,
      memory: input.overrides?.memory ?? td.memory,
      availabilityZone: `${this.#deps.context.region}a`,
      group: input.group ?? `family:${td.family}`,
      ...(input.startedBy ? { startedBy: input.startedBy } : {}),
      desiredStatus: 'RUNNING',
      lastStatus: 'PROVISIONING',
      createdAt: now,
      overrides,
      attachments: awsvpc
        ? [
            {
              id: attachmentId,
              type: 'ElasticNetworkInterface',
              status: 'PRECREATED',
              details: [
                { name: 'subnetId', value: awsvpc.subnets?.[0] ?? '' },
                { name: 'networkInterfaceId', value: `eni-${taskId.slice(0, 17)}` },
                {
                  name: 'macAddress',
                  value: `02:${taskId.slice(0, 10).replace(/(..)(?=.)/g, '$1:')}`,
                },
                { name: 'privateIPv4Address', value: ip },
              ],
            },
          ]
        : [],
      containers: td.containerDefinitions.map((c) => ({
        containerArn: `arn:${this.#deps.context.partition}:ecs:${this.#deps.context.region}:${this.#deps.context.accountId}:container/${clusterName}/${taskId}/${uuid()}`,
        taskArn,
        name: c.name,
        image: c.image,
        lastStatus: 'PENDING',
        cpu: String(c.cpu ?? 0),
        ...(c.memory !== undefined ? { memory: String(c.memory) } : {}),
        ...(c.memoryReservation !== undefined
          ? { memoryReservation: String(c.memoryReservation) }
          : {}),
        networkInterfaces: awsvpc ? [{ attachmentId, privateIpv4Address: ip }] : [],
      })),
      tags,
      enableExecuteCommand: input.enableExecuteCommand ?? false,
      ...(fargate
        ? { ephemeralStorage: input.overrides?.ephemeralStorage ?? { sizeInGiB: 20 } }
        : {}),
      version: 1,
    };
  }

  async #update(taskArn: string, change: (task: Task) => Task): Promise<Task> {
    return this.#deps.store.transaction(async (trx) => {
      const row = await trx
        .selectFrom('ecs_tasks')
        .select('body')
        .where('arn', '=', taskArn)
        .executeTakeFirst();
      if (!row) throw new InvalidParameterException('The referenced task was not found.');
      const before = JSON.parse(row.body) as Task;
      const after = change(before);
      if (after === before) return before;
      const task = { ...after, version: before.version + 1 };
      await trx
        .updateTable('ecs_tasks')
        .set({
          body: JSON.stringify(task),
          last_status: task.lastStatus,
          desired_status: task.desiredStatus,
          stopped_at: task.stoppedAt ?? null,
        })
        .where('arn', '=', taskArn)
        .execute();
      return task;
    });
  }
}

/**
 * A stable private address for the task's ENI record. Informational only: cronbridge does not
 * assign it to anything, and nothing is ever sent to it.
 */
function syntheticAddress(taskId: string): string {
  const h = createHash('sha256').update(taskId).digest();
  return `10.0.${h[0] ?? 0}.${((h[1] ?? 0) % 253) + 2}`;
}
