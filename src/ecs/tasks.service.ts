/**
 * ECS tasks: RunTask, DescribeTasks, ListTasks, StopTask, and the record of each task's life.
 *
 * RunTask validates, commits every task as PROVISIONING, and only then hands it to the
 * {@link TaskLauncher} (the supervisor), so a task that was acknowledged is never lost: a
 * launcher that was not told (crash, no launcher yet) finds it through `unfinishedTasks()`. The
 * supervisor reports progress back through {@link TasksService.updateTaskState} and
 * {@link TasksService.updateContainerState}, which apply only the moves the state machine in
 * `task-lifecycle.ts` allows.
 */
import { type AwsContext, randomHex, uuid } from '../platform/ids.ts';
import type { Db } from '../store/store.ts';
import { buildLaunchPlan } from '../supervisor/launch-plan.build.ts';
import type { TaskLaunchPlan } from '../supervisor/task-plan.ts';
import type {
  ContainerProgressUpdate,
  ContainerStats,
  TaskProgressSink,
  TaskProgressUpdate,
} from '../supervisor/task-progress.ts';
import type { UnfinishedTask } from '../supervisor/task-supervisor.ts';
import type { ClusterService, EcsDeps } from './cluster.service.ts';
import { inContext, parseTaskRef, taskArn as taskArnOf } from './ecs-arns.ts';
import { ClientException, InvalidParameterException } from './ecs.errors.ts';
import type { Failure, Tag, Task, TaskDefinition } from './ecs.types.ts';
import { pageOf } from './pagination.ts';
import { buildTask } from './run-task.build.ts';
import { checkAwsvpcNetwork } from './run-task.network.ts';
import {
  LAUNCH_TYPES,
  type RunTaskInput,
  resolveLaunch,
  validateRunTaskRequest,
} from './run-task.validate.ts';
import type { TaskDefinitionService } from './task-definition.service.ts';
import {
  findClientToken,
  purgeExpiredClientTokens,
  recordClientToken,
  replayOf,
  requestDigest,
} from './run-task.idempotency.ts';
import { insertStats, readStats } from './task-stats.store.ts';
import { validateIsolation } from './task-definition.isolation.validate.ts';
import { enumError } from './task-definition.validate.ts';
import {
  type ContainerStatePatch,
  STOPPED_REASONS,
  type StopCode,
  type TaskStatePatch,
  type TaskStatus,
  applyContainerState,
  applyStopRequest,
  applyTaskState,
} from './task-lifecycle.ts';

export type { RunTaskInput } from './run-task.validate.ts';

/** Who runs tasks; the task supervisor implements it. Both calls must not block. */
export interface TaskLauncher {
  /** A task was committed as PROVISIONING: start it. */
  launch(plan: TaskLaunchPlan): unknown;
  /** StopTask was recorded: stop the task's containers. Returns whether the task was known. */
  requestStop(taskArn: string, stopCode: StopCode, reason: string): boolean;
}

export interface TasksServiceOptions {
  /** Docker network that awsvpc tasks join (config `taskNetwork`). */
  awsvpcNetwork: string;
  /** How long STOPPED tasks stay describable, ms (ECS: at least an hour). */
  stoppedTaskRetentionMs: number;
  /** Extra engine labels on every container (tests use it to reap theirs). */
  extraLabels?: Record<string, string>;
  /**
   * The server setting `allowHostAccess`: definitions may use the host's network, privileged
   * mode, host volumes, … and the launch plan applies them. Off: Fargate's confinement.
   */
  allowHostAccess?: boolean;
}

export const DEFAULT_STOPPED_TASK_RETENTION_MS = 3_600_000;

const LIST_DESIRED_STATUSES = ['RUNNING', 'PENDING', 'STOPPED'] as const;

/** What RunTask's transaction did: started tasks, or found a client token's earlier ones. */
type RunOutcome = { created: { task: Task; plan: TaskLaunchPlan }[] } | { replayed: Task[] };

export class TasksService implements TaskProgressSink {
  readonly #deps: EcsDeps;
  readonly #clusters: ClusterService;
  readonly #definitions: TaskDefinitionService;
  readonly #options: TasksServiceOptions;
  #launcher: TaskLauncher | undefined;

  constructor(
    deps: EcsDeps,
    clusters: ClusterService,
    definitions: TaskDefinitionService,
    options: TasksServiceOptions,
  ) {
    this.#deps = deps;
    this.#clusters = clusters;
    this.#definitions = definitions;
    this.#options = options;
  }

  /** Connects the supervisor; tasks created before that wait in the store for recovery. */
  setLauncher(launcher: TaskLauncher): void {
    this.#launcher = launcher;
  }

  /**
   * RunTask. `options.startedBy` lets an internal caller (the rule firing loop) stamp the task
   * without it being part of the client's request.
   */
  async runTask(
    ctx: AwsContext,
    request: RunTaskInput,
    options: { startedBy?: string } = {},
  ): Promise<{ tasks: Task[]; failures: Failure[] }> {
    const input =
      options.startedBy === undefined ? request : { ...request, startedBy: options.startedBy };
    const { tags, count } = validateRunTaskRequest(input);
    // A missing cluster is reported before the network, as ECS does; both reads happen before
    // the transaction, since the directory may read the same store (the transaction checks the
    // cluster again).
    if (this.#deps.network && input.networkConfiguration?.awsvpcConfiguration) {
      await this.#clusters.requireActive(this.#deps.store.db, ctx, input.cluster);
    }
    const placement = await checkAwsvpcNetwork(this.#deps.network, ctx, input.networkConfiguration);
    const digest = input.clientToken === undefined ? undefined : requestDigest(input);
    const outcome = await this.#deps.store.transaction<RunOutcome>(async (trx) => {
      const cluster = await this.#clusters.requireActive(trx, ctx, input.cluster);
      const now = this.#deps.clock.now();
      if (input.clientToken !== undefined && digest !== undefined) {
        const bound = await findClientToken(trx, cluster.clusterArn, input.clientToken, now);
        if (bound) {
          const byArn = await this.#tasksByArn(trx, bound.taskArns);
          const replayed = replayOf(bound, byArn, digest);
          if (replayed) return { replayed };
        }
      }
      const row = await this.#definitions.find(trx, ctx, input.taskDefinition as string);
      // Real ECS texts: unknown (reported as ClientException), inactive (InvalidParameter).
      if (!row) throw new ClientException('TaskDefinition not found.');
      if (row.status !== 'ACTIVE') {
        throw new InvalidParameterException('TaskDefinition is inactive');
      }
      const td = JSON.parse(row.body) as TaskDefinition;
      // A definition registered while the server allowed host access does not run after the
      // setting was turned off.
      validateIsolation(td, { allowHostAccess: this.#options.allowHostAccess ?? false });
      const launch = resolveLaunch(input, cluster, td);
      const insights = cluster.settings.some(
        (s) => s.name === 'containerInsights' && s.value !== 'disabled',
      );
      const out: { task: Task; plan: TaskLaunchPlan }[] = [];
      for (let i = 0; i < count; i++) {
        const task = buildTask({
          context: ctx,
          cluster,
          taskDefinition: td,
          taskDefinitionTags: JSON.parse(row.tags) as Tag[],
          input,
          tags,
          launch,
          now,
          ...(placement ? { availabilityZone: placement.availabilityZone } : {}),
          ids: {
            taskId: randomHex(32),
            attachmentId: uuid(),
            containerIds: td.containerDefinitions.map(() => uuid()),
          },
        });
        const plan = buildLaunchPlan(
          td,
          {
            taskArn: task.taskArn,
            clusterArn: cluster.clusterArn,
            networkMode: this.#dockerNetwork(td.networkMode),
            containerInsights: insights,
            extraLabels: this.#options.extraLabels,
            allowHostAccess: this.#options.allowHostAccess ?? false,
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
            launch_type: task.launchType ?? (task.capacityProviderName ? 'FARGATE' : null),
            desired_status: 'RUNNING',
            last_status: 'PROVISIONING',
            created_at: task.createdAt,
            stopped_at: null,
            body: JSON.stringify(task),
            plan: JSON.stringify(plan),
          })
          .execute();
        out.push({ task, plan });
      }
      if (input.clientToken !== undefined && digest !== undefined) {
        const arns = out.map((c) => c.task.taskArn);
        await recordClientToken(trx, cluster.clusterArn, input.clientToken, digest, arns, now);
      }
      return { created: out };
    });
    // A retry of a request that already started its tasks starts nothing more.
    if ('replayed' in outcome) return { tasks: outcome.replayed, failures: [] };
    // Only after the commit: a supervisor that saw the task can always find it in the store.
    for (const { plan } of outcome.created) this.#tell(() => this.#launcher?.launch(plan));
    return { tasks: outcome.created.map((c) => c.task), failures: [] };
  }

  async describeTasks(
    ctx: AwsContext,
    input: { cluster?: string; tasks?: string[]; include?: string[] },
  ): Promise<{
    tasks: Task[];
    failures: Failure[];
  }> {
    if (!input.tasks?.length) throw new InvalidParameterException('Tasks cannot be empty.');
    if (input.tasks.length > 100) {
      throw new InvalidParameterException('Tasks cannot have more than 100 items.'); // ⚠
    }
    for (const field of input.include ?? []) {
      if (field !== 'TAGS') throw enumError(field, 'include', ['TAGS']);
    }
    const cluster = await this.#clusters.requireActive(
      this.#deps.store.db,
      ctx,
      input.cluster ?? this.#clusterFromArns(input.tasks),
    );
    // Each reference → the ARN it names in this cluster, or undefined when it cannot be one
    // (another cluster's, or another region's: that one is missing here).
    const refs = input.tasks.map((ref) => {
      const parsed = parseTaskRef(ref);
      const arn = parsed ? taskArnOf(ctx, cluster.clusterName, parsed.taskId) : ref;
      const inCluster =
        parsed &&
        (parsed.clusterName ?? cluster.clusterName) === cluster.clusterName &&
        (!ref.startsWith('arn:') || inContext(ctx, ref));
      return { arn, lookup: inCluster ? arn : undefined };
    });
    // One read for the whole request (up to 100 tasks), not one per task.
    const byArn = await this.#tasksByArn(
      this.#deps.store.db,
      refs.flatMap((r) => r.lookup ?? []),
    );
    const tasks: Task[] = [];
    const failures: Failure[] = [];
    for (const { arn, lookup } of refs) {
      const task = lookup === undefined ? undefined : byArn.get(lookup);
      if (task === undefined) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      tasks.push(input.include?.includes('TAGS') ? task : { ...task, tags: [] });
    }
    return { tasks, failures };
  }

  /**
   * ListTasks. Filters combine; `desiredStatus` defaults to RUNNING and PENDING matches nothing
   * (desiredStatus is never PENDING). cronbridge has no services or container instances, so a
   * `serviceName` or `containerInstance` filter is accepted and matches no task.
   */
  async listTasks(
    ctx: AwsContext,
    input: {
      cluster?: string;
      family?: string;
      startedBy?: string;
      serviceName?: string;
      containerInstance?: string;
      desiredStatus?: string;
      launchType?: string;
      nextToken?: string;
      maxResults?: number;
    } = {},
  ): Promise<{ taskArns: string[]; nextToken?: string }> {
    const desired = input.desiredStatus ?? 'RUNNING';
    if (!(LIST_DESIRED_STATUSES as readonly string[]).includes(desired)) {
      throw enumError(desired, 'desiredStatus', LIST_DESIRED_STATUSES);
    }
    if (
      input.launchType !== undefined &&
      !(LAUNCH_TYPES as readonly string[]).includes(input.launchType)
    ) {
      throw enumError(input.launchType, 'launchType', LAUNCH_TYPES);
    }
    const cluster = await this.#clusters.requireActive(this.#deps.store.db, ctx, input.cluster);
    let arns: string[] = [];
    if (desired !== 'PENDING' && !input.serviceName && !input.containerInstance) {
      let query = this.#deps.store.db
        .selectFrom('ecs_tasks')
        .select('arn')
        .where('cluster_arn', '=', cluster.clusterArn)
        .where('desired_status', '=', desired);
      if (input.family) query = query.where('family', '=', input.family);
      if (input.startedBy) query = query.where('started_by', '=', input.startedBy);
      if (input.launchType) query = query.where('launch_type', '=', input.launchType);
      arns = (await query.orderBy('created_at').orderBy('arn').execute()).map((r) => r.arn);
    }
    const page = pageOf(
      this.#deps.pageTokens,
      'ListTasks',
      arns,
      input.nextToken,
      input.maxResults,
      100,
    );
    return { taskArns: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /**
   * StopTask: records desired STOPPED with stop code UserInitiated and the reason (or ECS's
   * default), removes the task's tags as ECS documents, then asks the launcher to stop it.
   */
  async stopTask(
    ctx: AwsContext,
    input: { cluster?: string; task?: string; reason?: string },
  ): Promise<{
    task: Task;
  }> {
    if (!input.task) throw new InvalidParameterException('Task cannot be empty.'); // ⚠
    const parsed = parseTaskRef(input.task);
    // Real ECS texts for a malformed and for an unknown task.
    if (!parsed) throw new InvalidParameterException('Task Identifier is invalid');
    if (input.reason !== undefined && input.reason.length > 255) {
      throw new InvalidParameterException('Reason must be at most 255 characters.'); // ⚠
    }
    const cluster = await this.#clusters.requireActive(
      this.#deps.store.db,
      ctx,
      input.cluster ?? parsed.clusterName,
    );
    if (
      (parsed.clusterName ?? cluster.clusterName) !== cluster.clusterName ||
      (input.task.startsWith('arn:') && !inContext(ctx, input.task))
    ) {
      throw new InvalidParameterException('The referenced task was not found');
    }
    const arn = taskArnOf(ctx, cluster.clusterName, parsed.taskId);
    const reason = input.reason ?? STOPPED_REASONS.userInitiated;
    const task = await this.#update(arn, (t) => {
      const stopped = applyStopRequest(t, 'UserInitiated', reason, this.#deps.clock.now());
      return stopped === t ? t : { ...stopped, tags: [] };
    });
    if (task.lastStatus !== 'STOPPED') {
      this.#tell(() =>
        this.#launcher?.requestStop(arn, 'UserInitiated', task.stoppedReason ?? reason),
      );
    }
    return { task };
  }

  // ---- progress from the supervisor -------------------------------------------------------

  /** Applies a legal task transition; throws IllegalTransitionError otherwise. */
  async updateTaskState(taskArn: string, patch: TaskStatePatch): Promise<Task> {
    return this.#update(taskArn, (t) => applyTaskState(t, patch));
  }

  /** Applies a legal container transition; throws IllegalTransitionError otherwise. */
  async updateContainerState(
    taskArn: string,
    containerName: string,
    patch: ContainerStatePatch,
  ): Promise<Task> {
    return this.#update(taskArn, (t) => applyContainerState(t, containerName, patch));
  }

  async taskProgress(taskArn: string, update: TaskProgressUpdate): Promise<void> {
    await this.updateTaskState(taskArn, update);
  }

  async containerProgress(
    taskArn: string,
    name: string,
    update: ContainerProgressUpdate,
  ): Promise<void> {
    await this.updateContainerState(taskArn, name, update);
  }

  async recordStats(taskArn: string, samples: ContainerStats[]): Promise<void> {
    await insertStats(this.#deps.store.db, taskArn, samples);
  }

  /** Container Insights samples of a task, oldest first. */
  async taskStats(taskArn: string): Promise<ContainerStats[]> {
    return readStats(this.#deps.store.db, taskArn);
  }

  /** Tasks not yet STOPPED, with their plans, for the supervisor's recovery at start-up. */
  async unfinishedTasks(): Promise<UnfinishedTask[]> {
    const rows = await this.#deps.store.db
      .selectFrom('ecs_tasks')
      .select(['body', 'plan'])
      .where('last_status', '!=', 'STOPPED')
      .orderBy('created_at')
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

  /** How many tasks this cronbridge knows, by last status (one GROUP BY; statuses with none are absent). */
  async countTasksByStatus(): Promise<Map<string, number>> {
    const rows = await this.#deps.store.db
      .selectFrom('ecs_tasks')
      .select(['last_status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('last_status')
      .execute();
    return new Map(rows.map((r) => [r.last_status, Number(r.n)]));
  }

  /** Forgets STOPPED tasks that stopped more than the retention before `now`; returns how many. */
  async purgeExpiredTasks(now: number = this.#deps.clock.now()): Promise<number> {
    const cutoff = now - this.#options.stoppedTaskRetentionMs;
    return this.#deps.store.transaction(async (trx) => {
      const expired = await trx
        .selectFrom('ecs_tasks')
        .select('arn')
        .where('last_status', '=', 'STOPPED')
        .where('stopped_at', '<', cutoff)
        .execute();
      // Client tokens expire on their own clock (24 h), checked on the same sweep.
      await purgeExpiredClientTokens(trx, now);
      const arns = expired.map((r) => r.arn);
      if (arns.length === 0) return 0;
      await trx.deleteFrom('ecs_task_stats').where('task_arn', 'in', arns).execute();
      await trx.deleteFrom('ecs_tasks').where('arn', 'in', arns).execute();
      return arns.length;
    });
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** The recorded task documents among `arns`, by ARN (one query; missing ARNs are absent). */
  async #tasksByArn(db: Db, arns: readonly string[]): Promise<Map<string, Task>> {
    if (arns.length === 0) return new Map();
    const rows = await db
      .selectFrom('ecs_tasks')
      .select(['arn', 'body'])
      .where('arn', 'in', [...new Set(arns)])
      .execute();
    return new Map(rows.map((r) => [r.arn, JSON.parse(r.body) as Task]));
  }

  /** Without a `cluster` parameter, long-format task ARNs name their cluster themselves. */
  #clusterFromArns(refs: string[]): string | undefined {
    return refs.map((r) => parseTaskRef(r)?.clusterName).find((c) => c !== undefined);
  }

  #dockerNetwork(networkMode: string | undefined): string {
    if (networkMode === 'awsvpc' || networkMode === undefined) return this.#options.awsvpcNetwork;
    return networkMode; // bridge, host, none map to Docker's modes of the same name
  }

  /** Calls the launcher; its failure must not undo a committed RunTask or StopTask. */
  #tell(call: () => unknown): void {
    try {
      call();
    } catch (error) {
      process.emitWarning(`task launcher failed: ${String(error)}`);
    }
  }

  async #update(taskArn: string, change: (task: Task) => Task): Promise<Task> {
    return this.#deps.store.transaction(async (trx) => {
      const row = await trx
        .selectFrom('ecs_tasks')
        .select('body')
        .where('arn', '=', taskArn)
        .executeTakeFirst();
      if (!row) throw new InvalidParameterException('The referenced task was not found');
      const before = JSON.parse(row.body) as Task;
      const task = change(before);
      if (task === before) return before;
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
