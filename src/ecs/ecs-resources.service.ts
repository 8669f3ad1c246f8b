/**
 * ECS clusters and task definitions: the control-plane records that RunTask reads.
 */
import type { Clock } from '../platform/clock.ts';
import { type AwsContext, arn } from '../platform/ids.ts';
import type { Db, Store } from '../store/store.ts';
import {
  ClientException,
  ClusterContainsTasksException,
  ClusterNotFoundException,
  InvalidParameterException,
} from './ecs.errors.ts';
import type {
  Cluster,
  ClusterSetting,
  ContainerDefinition,
  Failure,
  Tag,
  TaskDefinition,
} from './ecs.types.ts';
import { pageOf } from './pagination.ts';
import { validateRegistration } from './task-definition.validate.ts';

export interface EcsDeps {
  store: Store;
  clock: Clock;
  context: AwsContext;
}

const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

export class EcsResources {
  readonly #deps: EcsDeps;

  constructor(deps: EcsDeps) {
    this.#deps = deps;
  }

  clusterArn(name: string): string {
    return arn(this.#deps.context, 'ecs', `cluster/${name}`);
  }

  // ---- clusters ---------------------------------------------------------------------------

  async createCluster(input: {
    clusterName?: string;
    tags?: Tag[];
    settings?: ClusterSetting[];
    capacityProviders?: string[];
    defaultCapacityProviderStrategy?: Cluster['defaultCapacityProviderStrategy'];
  }): Promise<{ cluster: Cluster }> {
    const name = input.clusterName ?? 'default';
    if (!CLUSTER_NAME.test(name)) {
      throw new InvalidParameterException(
        'Cluster name can only contain letters, numbers, hyphens, and underscores, up to 255 characters.',
      );
    }
    const clusterArn = this.clusterArn(name);
    const cluster: Cluster = {
      clusterArn,
      clusterName: name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      statistics: [],
      tags: input.tags ?? [],
      settings: input.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders: input.capacityProviders ?? [],
      defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
    };
    await this.#deps.store.transaction(async (trx) => {
      const existing = await trx
        .selectFrom('ecs_clusters')
        .select(['status', 'body'])
        .where('arn', '=', clusterArn)
        .executeTakeFirst();
      // Creating an ACTIVE cluster again is a no-op that returns it, as ECS does.
      if (existing?.status === 'ACTIVE') return;
      await trx.deleteFrom('ecs_clusters').where('arn', '=', clusterArn).execute();
      await trx
        .insertInto('ecs_clusters')
        .values({ arn: clusterArn, name, status: 'ACTIVE', body: JSON.stringify(cluster) })
        .execute();
    });
    return {
      cluster: await this.#withCounts(await this.#readCluster(this.#deps.store.db, clusterArn)),
    };
  }

  async describeClusters(input: { clusters?: string[]; include?: string[] }): Promise<{
    clusters: Cluster[];
    failures: Failure[];
  }> {
    const wanted = input.clusters?.length ? input.clusters : ['default'];
    const clusters: Cluster[] = [];
    const failures: Failure[] = [];
    for (const ref of wanted) {
      const clusterArn = this.#clusterArnOf(ref);
      const row = await this.#deps.store.db
        .selectFrom('ecs_clusters')
        .select('body')
        .where('arn', '=', clusterArn)
        .executeTakeFirst();
      if (!row) {
        failures.push({ arn: clusterArn, reason: 'MISSING' });
        continue;
      }
      const cluster = await this.#withCounts(JSON.parse(row.body) as Cluster);
      const include = new Set(input.include ?? []);
      clusters.push({
        ...cluster,
        tags: include.has('TAGS') ? cluster.tags : [],
        settings: include.has('SETTINGS') ? cluster.settings : [],
      });
    }
    return { clusters, failures };
  }

  async listClusters(input: { nextToken?: string; maxResults?: number }): Promise<{
    clusterArns: string[];
    nextToken?: string;
  }> {
    const rows = await this.#deps.store.db
      .selectFrom('ecs_clusters')
      .select('arn')
      .where('status', '=', 'ACTIVE')
      .orderBy('arn')
      .execute();
    const page = pageOf(
      rows.map((r) => r.arn),
      input.nextToken,
      input.maxResults,
      100,
    );
    return { clusterArns: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async deleteCluster(input: { cluster: string }): Promise<{ cluster: Cluster }> {
    const clusterArn = this.#clusterArnOf(input.cluster);
    return this.#deps.store.transaction(async (trx) => {
      const cluster = await this.requireActiveCluster(trx, clusterArn);
      const active = await trx
        .selectFrom('ecs_tasks')
        .select('arn')
        .where('cluster_arn', '=', clusterArn)
        .where('last_status', '!=', 'STOPPED')
        .executeTakeFirst();
      if (active) throw new ClusterContainsTasksException();
      const deleted: Cluster = { ...cluster, status: 'INACTIVE' };
      await trx
        .updateTable('ecs_clusters')
        .set({ status: 'INACTIVE', body: JSON.stringify(deleted) })
        .where('arn', '=', clusterArn)
        .execute();
      return { cluster: deleted };
    });
  }

  async updateClusterSettings(input: { cluster: string; settings: ClusterSetting[] }): Promise<{
    cluster: Cluster;
  }> {
    const clusterArn = this.#clusterArnOf(input.cluster);
    return this.#deps.store.transaction(async (trx) => {
      const cluster = await this.requireActiveCluster(trx, clusterArn);
      const settings = [
        ...cluster.settings.filter((s) => !input.settings.some((n) => n.name === s.name)),
        ...input.settings,
      ];
      const updated = { ...cluster, settings };
      await trx
        .updateTable('ecs_clusters')
        .set({ body: JSON.stringify(updated) })
        .where('arn', '=', clusterArn)
        .execute();
      return { cluster: updated };
    });
  }

  /** Resolves a cluster name or ARN; ClusterNotFoundException unless it is ACTIVE. */
  async requireActiveCluster(db: Db, ref: string): Promise<Cluster> {
    const row = await db
      .selectFrom('ecs_clusters')
      .select(['body', 'status'])
      .where('arn', '=', this.#clusterArnOf(ref))
      .executeTakeFirst();
    if (!row || row.status !== 'ACTIVE') throw new ClusterNotFoundException();
    return JSON.parse(row.body) as Cluster;
  }

  #clusterArnOf(ref: string): string {
    return ref.startsWith('arn:') ? ref : this.clusterArn(ref);
  }

  async #readCluster(db: Db, clusterArn: string): Promise<Cluster> {
    const row = await db
      .selectFrom('ecs_clusters')
      .select('body')
      .where('arn', '=', clusterArn)
      .executeTakeFirstOrThrow();
    return JSON.parse(row.body) as Cluster;
  }

  async #withCounts(cluster: Cluster): Promise<Cluster> {
    const rows = await this.#deps.store.db
      .selectFrom('ecs_tasks')
      .select(['last_status'])
      .where('cluster_arn', '=', cluster.clusterArn)
      .where('last_status', '!=', 'STOPPED')
      .execute();
    const running = rows.filter((r) => r.last_status === 'RUNNING').length;
    return { ...cluster, runningTasksCount: running, pendingTasksCount: rows.length - running };
  }

  // ---- task definitions -------------------------------------------------------------------

  async registerTaskDefinition(
    input: Record<string, unknown> & { family?: string; tags?: Tag[] },
  ): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
    const sizes = validateRegistration(input);
    const family = input.family as string;
    const now = this.#deps.clock.now();
    return this.#deps.store.transaction(async (trx) => {
      const last = await trx
        .selectFrom('ecs_task_definitions')
        .select((eb) => eb.fn.max('revision').as('rev'))
        .where('family', '=', family)
        .executeTakeFirst();
      const revision = Number(last?.rev ?? 0) + 1;
      const taskDefinitionArn = arn(
        this.#deps.context,
        'ecs',
        `task-definition/${family}:${revision}`,
      );
      const { tags: _tags, ...rest } = input;
      const fargate =
        Array.isArray(input.requiresCompatibilities) &&
        input.requiresCompatibilities.includes('FARGATE');
      const containerDefinitions = (input.containerDefinitions as ContainerDefinition[]).map(
        (c) => ({
          ...c,
          essential: c.essential ?? true,
          cpu: c.cpu ?? 0,
          environment: c.environment ?? [],
          mountPoints: (c['mountPoints'] as unknown[]) ?? [],
          volumesFrom: (c['volumesFrom'] as unknown[]) ?? [],
          portMappings: c.portMappings ?? [],
        }),
      );
      const taskDefinition: TaskDefinition = {
        ...rest,
        ...sizes,
        family,
        taskDefinitionArn,
        revision,
        containerDefinitions,
        volumes: (input['volumes'] as unknown[]) ?? [],
        status: 'ACTIVE',
        requiresAttributes: requiredAttributes(input, containerDefinitions),
        placementConstraints: (input['placementConstraints'] as unknown[]) ?? [],
        compatibilities: fargate ? ['EC2', 'FARGATE'] : ['EC2'],
        registeredAt: now,
        registeredBy: arn({ ...this.#deps.context, region: '' }, 'iam', 'root'),
      };
      const tags = input.tags ?? [];
      await trx
        .insertInto('ecs_task_definitions')
        .values({
          arn: taskDefinitionArn,
          family,
          revision,
          status: 'ACTIVE',
          body: JSON.stringify(taskDefinition),
          tags: JSON.stringify(tags),
        })
        .execute();
      return { taskDefinition, tags };
    });
  }

  async describeTaskDefinition(input: { taskDefinition: string; include?: string[] }): Promise<{
    taskDefinition: TaskDefinition;
    tags?: Tag[];
  }> {
    const row = await this.findTaskDefinition(this.#deps.store.db, input.taskDefinition, false);
    if (!row) throw new ClientException('Unable to describe task definition.');
    return {
      taskDefinition: JSON.parse(row.body) as TaskDefinition,
      ...(input.include?.includes('TAGS') ? { tags: JSON.parse(row.tags) as Tag[] } : {}),
    };
  }

  async deregisterTaskDefinition(input: { taskDefinition: string }): Promise<{
    taskDefinition: TaskDefinition;
  }> {
    if (!/:\d+$/.test(input.taskDefinition)) {
      throw new ClientException('Revision must be specified when deregistering a task definition.');
    }
    return this.#deps.store.transaction(async (trx) => {
      const row = await this.findTaskDefinition(trx, input.taskDefinition, false);
      if (!row) throw new ClientException('The specified task definition does not exist.');
      const td = JSON.parse(row.body) as TaskDefinition;
      const updated: TaskDefinition = {
        ...td,
        status: 'INACTIVE',
        deregisteredAt: this.#deps.clock.now(),
      };
      await trx
        .updateTable('ecs_task_definitions')
        .set({ status: 'INACTIVE', body: JSON.stringify(updated) })
        .where('arn', '=', td.taskDefinitionArn)
        .execute();
      return { taskDefinition: updated };
    });
  }

  async listTaskDefinitions(input: {
    familyPrefix?: string;
    status?: string;
    sort?: string;
    nextToken?: string;
    maxResults?: number;
  }): Promise<{ taskDefinitionArns: string[]; nextToken?: string }> {
    let query = this.#deps.store.db
      .selectFrom('ecs_task_definitions')
      .select(['arn', 'family', 'revision'])
      .where('status', '=', input.status ?? 'ACTIVE');
    if (input.familyPrefix) query = query.where('family', '=', input.familyPrefix);
    const desc = input.sort === 'DESC';
    const rows = await query
      .orderBy('family', desc ? 'desc' : 'asc')
      .orderBy('revision', desc ? 'desc' : 'asc')
      .execute();
    const page = pageOf(
      rows.map((r) => r.arn),
      input.nextToken,
      input.maxResults,
      100,
    );
    return {
      taskDefinitionArns: page.items,
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  async listTaskDefinitionFamilies(input: {
    familyPrefix?: string;
    status?: string;
    nextToken?: string;
    maxResults?: number;
  }): Promise<{ families: string[]; nextToken?: string }> {
    let query = this.#deps.store.db.selectFrom('ecs_task_definitions').select('family').distinct();
    if (input.status && input.status !== 'ALL') query = query.where('status', '=', input.status);
    else if (!input.status) query = query.where('status', '=', 'ACTIVE');
    if (input.familyPrefix) query = query.where('family', 'like', `${input.familyPrefix}%`);
    const rows = await query.orderBy('family').execute();
    const page = pageOf(
      rows.map((r) => r.family),
      input.nextToken,
      input.maxResults,
      100,
    );
    return { families: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /**
   * Resolves `family` (latest ACTIVE revision), `family:revision`, or an ARN with or without a
   * revision. With `activeOnly`, an INACTIVE revision counts as missing.
   */
  async findTaskDefinition(db: Db, ref: string, activeOnly: boolean) {
    const bare = ref.startsWith('arn:')
      ? ref.slice(ref.indexOf('task-definition/') + 'task-definition/'.length)
      : ref;
    const match = /^([a-zA-Z0-9_-]+)(?::(\d+))?$/.exec(bare);
    if (!match || (ref.startsWith('arn:') && !ref.includes(':task-definition/'))) return undefined;
    const [, family, revision] = match;
    let query = db
      .selectFrom('ecs_task_definitions')
      .selectAll()
      .where('family', '=', family as string);
    if (revision) query = query.where('revision', '=', Number(revision));
    else query = query.where('status', '=', 'ACTIVE');
    const row = await query.orderBy('revision', 'desc').executeTakeFirst();
    if (row && activeOnly && row.status !== 'ACTIVE') return { ...row, inactive: true as const };
    return row;
  }
}

/** What ECS lists in `requiresAttributes` for the features a definition uses. */
function requiredAttributes(input: Record<string, unknown>, containers: ContainerDefinition[]) {
  const attrs = new Set<string>();
  if (input['networkMode'] === 'awsvpc') attrs.add('ecs.capability.task-eni');
  if (input['executionRoleArn']) attrs.add('ecs.capability.execution-role-awslogs');
  if (input['taskRoleArn']) attrs.add('com.amazonaws.ecs.capability.task-iam-role');
  for (const c of containers) {
    if (c.logConfiguration?.logDriver === 'awslogs') {
      attrs.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
    }
    if (c.dependsOn?.length) attrs.add('ecs.capability.container-ordering');
    if (c.healthCheck) attrs.add('ecs.capability.container-health-check');
  }
  return [...attrs].sort().map((name) => ({ name }));
}
