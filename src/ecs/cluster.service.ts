/**
 * ECS clusters: CreateCluster, DescribeClusters, ListClusters, DeleteCluster, UpdateCluster,
 * UpdateClusterSettings and PutClusterCapacityProviders.
 *
 * Every operation takes the caller's AwsContext: a cluster's ARN carries the region it was made
 * in, so clusters (the `default` one too) are per region, and an ARN of another region is not
 * found, as in AWS.
 *
 * A cluster is stored as its wire document; its task counts are computed from the tasks table on
 * every read. A deleted cluster stays as an INACTIVE record, because clients (Terraform) poll
 * DescribeClusters until they see INACTIVE; creating the name again revives it as a new cluster.
 */
import type { Clock } from '../platform/clock.ts';
import type { AwsContext } from '../platform/ids.ts';
import type { PageTokens } from '../platform/page-token.ts';
import type { Db, Store } from '../store/store.ts';
import {
  validateCapacityProviders,
  validateClusterName,
  validateSettings,
  validateStrategy,
} from './cluster.validate.ts';
import { describedCluster, validateInclude } from './cluster.fields.ts';
import { clusterArn, clusterArnOf, ecsArnPrefix, inContext, prefixRange } from './ecs-arns.ts';
import { validateTags } from './ecs-tags.validate.ts';
import {
  ClusterContainsTasksException,
  ClusterNotFoundException,
  InvalidParameterException,
} from './ecs.errors.ts';
import type {
  CapacityProviderStrategyItem,
  Cluster,
  ClusterSetting,
  Failure,
  Tag,
} from './ecs.types.ts';
import type { NetworkDirectory } from './network.ports.ts';
import { pageOf } from './pagination.ts';

export interface EcsDeps {
  store: Store;
  clock: Clock;
  /** Signs the list operations' page tokens. */
  pageTokens: PageTokens;
  /** Checks awsvpc subnets and security groups; absent: not checked (no VPC directory). */
  network?: NetworkDirectory;
}

const PENDING_STATUSES = ['PROVISIONING', 'PENDING', 'ACTIVATING'];

export interface CreateClusterInput {
  clusterName?: string;
  tags?: Tag[];
  settings?: ClusterSetting[];
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  configuration?: Record<string, unknown>;
}

export interface UpdateClusterInput {
  cluster?: string;
  settings?: ClusterSetting[];
  configuration?: Record<string, unknown>;
  serviceConnectDefaults?: Record<string, unknown>;
}

export class ClusterService {
  readonly #deps: EcsDeps;

  constructor(deps: EcsDeps) {
    this.#deps = deps;
  }

  async createCluster(ctx: AwsContext, input: CreateClusterInput): Promise<{ cluster: Cluster }> {
    const name = input.clusterName ?? 'default';
    validateClusterName(name);
    const tags = validateTags(input.tags);
    const settings = validateSettings(input.settings);
    const capacityProviders = validateCapacityProviders(input.capacityProviders);
    const strategy = validateStrategy(input.defaultCapacityProviderStrategy, capacityProviders);
    const arn = clusterArn(ctx, name);
    const fresh: Cluster = {
      clusterArn: arn,
      clusterName: name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      statistics: [],
      tags,
      settings: settings.length ? settings : [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders,
      defaultCapacityProviderStrategy: strategy,
      ...(input.configuration ? { configuration: input.configuration } : {}),
    };
    const cluster = await this.#deps.store.transaction(async (trx) => {
      const existing = await trx
        .selectFrom('ecs_clusters')
        .select(['status', 'body'])
        .where('arn', '=', arn)
        .executeTakeFirst();
      // ⚠ Creating an ACTIVE cluster's name again returns it unchanged (idempotent create).
      if (existing?.status === 'ACTIVE') return JSON.parse(existing.body) as Cluster;
      await trx.deleteFrom('ecs_clusters').where('arn', '=', arn).execute();
      await trx
        .insertInto('ecs_clusters')
        .values({ arn, name, status: 'ACTIVE', body: JSON.stringify(fresh) })
        .execute();
      return fresh;
    });
    return { cluster: await this.#withCounts(this.#deps.store.db, cluster) };
  }

  async describeClusters(
    ctx: AwsContext,
    input: { clusters?: string[]; include?: string[] },
  ): Promise<{
    clusters: Cluster[];
    failures: Failure[];
  }> {
    const include = validateInclude(input.include);
    const wanted = input.clusters?.length ? input.clusters : ['default'];
    if (wanted.length > 100) {
      throw new InvalidParameterException('clusters can have at most 100 items.');
    }
    const clusters: Cluster[] = [];
    const failures: Failure[] = [];
    for (const ref of wanted) {
      const arn = clusterArnOf(ctx, ref);
      const row = inContext(ctx, arn)
        ? await this.#deps.store.db
            .selectFrom('ecs_clusters')
            .select('body')
            .where('arn', '=', arn)
            .executeTakeFirst()
        : undefined;
      if (!row) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      const cluster = await this.#withCounts(this.#deps.store.db, JSON.parse(row.body) as Cluster);
      const statistics = include.has('STATISTICS') ? await this.#statistics(arn) : [];
      clusters.push(describedCluster(cluster, include, statistics));
    }
    return { clusters, failures };
  }

  async listClusters(
    ctx: AwsContext,
    input: { nextToken?: string; maxResults?: number } = {},
  ): Promise<{
    clusterArns: string[];
    nextToken?: string;
  }> {
    // The region's clusters are one range of the ARN key.
    const { low, high } = prefixRange(`${ecsArnPrefix(ctx)}cluster/`);
    const rows = await this.#deps.store.db
      .selectFrom('ecs_clusters')
      .select('arn')
      .where('arn', '>=', low)
      .where('arn', '<', high)
      .where('status', '=', 'ACTIVE')
      .orderBy('arn')
      .execute();
    const page = pageOf(
      this.#deps.pageTokens,
      'ListClusters',
      rows.map((r) => r.arn),
      input.nextToken,
      input.maxResults,
      100,
    );
    return { clusterArns: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async deleteCluster(ctx: AwsContext, input: { cluster?: string }): Promise<{ cluster: Cluster }> {
    if (!input.cluster) throw new InvalidParameterException('Cluster cannot be empty.');
    return this.#deps.store.transaction(async (trx) => {
      const cluster = await this.requireActive(trx, ctx, input.cluster);
      const active = await trx
        .selectFrom('ecs_tasks')
        .select('arn')
        .where('cluster_arn', '=', cluster.clusterArn)
        .where('last_status', '!=', 'STOPPED')
        .executeTakeFirst();
      if (active) throw new ClusterContainsTasksException();
      const deleted: Cluster = { ...cluster, status: 'INACTIVE' };
      await trx
        .updateTable('ecs_clusters')
        .set({ status: 'INACTIVE', body: JSON.stringify(deleted) })
        .where('arn', '=', cluster.clusterArn)
        .execute();
      return { cluster: deleted };
    });
  }

  async updateClusterSettings(
    ctx: AwsContext,
    input: { cluster?: string; settings?: ClusterSetting[] },
  ): Promise<{
    cluster: Cluster;
  }> {
    if (!input.settings) throw new InvalidParameterException('Settings cannot be empty.'); // ⚠
    const settings = validateSettings(input.settings);
    return this.#change(ctx, input.cluster, (cluster) => ({
      ...cluster,
      settings: withSettings(cluster.settings, settings),
    }));
  }

  /**
   * UpdateCluster: the given settings replace those of the same name, a given `configuration`
   * (execute command, managed storage) or `serviceConnectDefaults` replaces the old one whole.
   */
  async updateCluster(ctx: AwsContext, input: UpdateClusterInput): Promise<{ cluster: Cluster }> {
    const settings = validateSettings(input.settings);
    return this.#change(ctx, input.cluster, (cluster) => ({
      ...cluster,
      settings: withSettings(cluster.settings, settings),
      ...(input.configuration ? { configuration: input.configuration } : {}),
      ...(input.serviceConnectDefaults
        ? { serviceConnectDefaults: input.serviceConnectDefaults }
        : {}),
    }));
  }

  async putClusterCapacityProviders(
    ctx: AwsContext,
    input: {
      cluster?: string;
      capacityProviders?: string[];
      defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
    },
  ): Promise<{ cluster: Cluster }> {
    if (
      input.capacityProviders === undefined ||
      input.defaultCapacityProviderStrategy === undefined
    ) {
      throw new InvalidParameterException(
        'capacityProviders and defaultCapacityProviderStrategy are required.',
      );
    }
    const providers = validateCapacityProviders(input.capacityProviders);
    const strategy = validateStrategy(input.defaultCapacityProviderStrategy, providers);
    return this.#change(ctx, input.cluster, (cluster) => ({
      ...cluster,
      capacityProviders: providers,
      defaultCapacityProviderStrategy: strategy,
    }));
  }

  /**
   * Resolves a cluster name or ARN (default `default`) in the caller's region;
   * ClusterNotFoundException unless ACTIVE there.
   */
  async requireActive(db: Db, ctx: AwsContext, ref: string | undefined): Promise<Cluster> {
    const arn = clusterArnOf(ctx, ref);
    const row = inContext(ctx, arn)
      ? await db
          .selectFrom('ecs_clusters')
          .select(['body', 'status'])
          .where('arn', '=', arn)
          .executeTakeFirst()
      : undefined;
    if (!row || row.status !== 'ACTIVE') throw new ClusterNotFoundException();
    return JSON.parse(row.body) as Cluster;
  }

  /** Reads the stored document of any cluster, INACTIVE ones included (for tagging). */
  async find(db: Db, arn: string): Promise<Cluster | undefined> {
    const row = await db
      .selectFrom('ecs_clusters')
      .select('body')
      .where('arn', '=', arn)
      .executeTakeFirst();
    return row ? (JSON.parse(row.body) as Cluster) : undefined;
  }

  async #change(ctx: AwsContext, ref: string | undefined, fn: (cluster: Cluster) => Cluster) {
    if (!ref) throw new InvalidParameterException('Cluster cannot be empty.');
    const updated = await this.#deps.store.transaction(async (trx) => {
      // A deleted (INACTIVE) cluster no longer exists for updates.
      const next = fn(await this.requireActive(trx, ctx, ref));
      await trx
        .updateTable('ecs_clusters')
        .set({ body: JSON.stringify(next) })
        .where('arn', '=', next.clusterArn)
        .execute();
      return next;
    });
    return { cluster: await this.#withCounts(this.#deps.store.db, updated) };
  }

  async #withCounts(db: Db, cluster: Cluster): Promise<Cluster> {
    const rows = await db
      .selectFrom('ecs_tasks')
      .select(['last_status'])
      .where('cluster_arn', '=', cluster.clusterArn)
      .where('last_status', '!=', 'STOPPED')
      .execute();
    return {
      ...cluster,
      runningTasksCount: rows.filter((r) => r.last_status === 'RUNNING').length,
      pendingTasksCount: rows.filter((r) => PENDING_STATUSES.includes(r.last_status)).length,
    };
  }

  /** The per-launch-type counts ECS lists under STATISTICS (no services or EC2 here). */
  async #statistics(arn: string): Promise<{ name: string; value: string }[]> {
    const rows = await this.#deps.store.db
      .selectFrom('ecs_tasks')
      .select(['last_status', 'launch_type'])
      .where('cluster_arn', '=', arn)
      .where('last_status', '!=', 'STOPPED')
      .execute();
    const count = (type: string, running: boolean) =>
      String(
        rows.filter(
          (r) =>
            (r.launch_type ?? 'FARGATE') === type &&
            (running ? r.last_status === 'RUNNING' : PENDING_STATUSES.includes(r.last_status)),
        ).length,
      );
    return [
      { name: 'runningEC2TasksCount', value: count('EC2', true) },
      { name: 'runningFargateTasksCount', value: count('FARGATE', true) },
      { name: 'pendingEC2TasksCount', value: count('EC2', false) },
      { name: 'pendingFargateTasksCount', value: count('FARGATE', false) },
      { name: 'runningExternalTasksCount', value: count('EXTERNAL', true) },
      { name: 'pendingExternalTasksCount', value: count('EXTERNAL', false) },
      { name: 'activeEC2ServiceCount', value: '0' },
      { name: 'activeFargateServiceCount', value: '0' },
      { name: 'drainingEC2ServiceCount', value: '0' },
      { name: 'drainingFargateServiceCount', value: '0' },
      { name: 'activeExternalServiceCount', value: '0' },
      { name: 'drainingExternalServiceCount', value: '0' },
    ];
  }
}

/** The current settings with the given ones replacing those of the same name. */
function withSettings(current: ClusterSetting[], given: ClusterSetting[]): ClusterSetting[] {
  return [...current.filter((s) => !given.some((n) => n.name === s.name)), ...given];
}
