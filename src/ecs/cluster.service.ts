/**
 * ECS clusters: CreateCluster, DescribeClusters, ListClusters, DeleteCluster,
 * UpdateClusterSettings and PutClusterCapacityProviders.
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
import { clusterArn, clusterArnOf } from './ecs-arns.ts';
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
import { pageOf } from './pagination.ts';

export interface EcsDeps {
  store: Store;
  clock: Clock;
  context: AwsContext;
  /** Signs the list operations' page tokens. */
  pageTokens: PageTokens;
}

export const CLUSTER_FIELDS = [
  'ATTACHMENTS',
  'CONFIGURATIONS',
  'SETTINGS',
  'STATISTICS',
  'TAGS',
] as const;
export type ClusterField = (typeof CLUSTER_FIELDS)[number];

const PENDING_STATUSES = ['PROVISIONING', 'PENDING', 'ACTIVATING'];

export interface CreateClusterInput {
  clusterName?: string;
  tags?: Tag[];
  settings?: ClusterSetting[];
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  configuration?: Record<string, unknown>;
}

export class ClusterService {
  readonly #deps: EcsDeps;

  constructor(deps: EcsDeps) {
    this.#deps = deps;
  }

  async createCluster(input: CreateClusterInput): Promise<{ cluster: Cluster }> {
    const name = input.clusterName ?? 'default';
    validateClusterName(name);
    const tags = validateTags(input.tags);
    const settings = validateSettings(input.settings);
    const capacityProviders = validateCapacityProviders(input.capacityProviders);
    const strategy = validateStrategy(input.defaultCapacityProviderStrategy, capacityProviders);
    const arn = clusterArn(this.#deps.context, name);
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

  async describeClusters(input: { clusters?: string[]; include?: string[] }): Promise<{
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
      const arn = clusterArnOf(this.#deps.context, ref);
      const row = await this.#deps.store.db
        .selectFrom('ecs_clusters')
        .select('body')
        .where('arn', '=', arn)
        .executeTakeFirst();
      if (!row) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      const cluster = await this.#withCounts(this.#deps.store.db, JSON.parse(row.body) as Cluster);
      clusters.push({
        ...cluster,
        tags: include.has('TAGS') ? cluster.tags : [],
        settings: include.has('SETTINGS') ? cluster.settings : [],
        statistics: include.has('STATISTICS') ? await this.#statistics(arn) : [],
      });
    }
    return { clusters, failures };
  }

  async listClusters(input: { nextToken?: string; maxResults?: number } = {}): Promise<{
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
      this.#deps.pageTokens,
      'ListClusters',
      rows.map((r) => r.arn),
      input.nextToken,
      input.maxResults,
      100,
    );
    return { clusterArns: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async deleteCluster(input: { cluster?: string }): Promise<{ cluster: Cluster }> {
    if (!input.cluster) throw new InvalidParameterException('Cluster cannot be empty.');
    return this.#deps.store.transaction(async (trx) => {
      const cluster = await this.requireActive(trx, input.cluster);
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

  async updateClusterSettings(input: { cluster?: string; settings?: ClusterSetting[] }): Promise<{
    cluster: Cluster;
  }> {
    const settings = validateSettings(input.settings);
    return this.#change(input.cluster, (cluster) => ({
      ...cluster,
      settings: [
        ...cluster.settings.filter((s) => !settings.some((n) => n.name === s.name)),
        ...settings,
      ],
    }));
  }

  async putClusterCapacityProviders(input: {
    cluster?: string;
    capacityProviders?: string[];
    defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  }): Promise<{ cluster: Cluster }> {
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
    return this.#change(input.cluster, (cluster) => ({
      ...cluster,
      capacityProviders: providers,
      defaultCapacityProviderStrategy: strategy,
    }));
  }

  /** Resolves a cluster name or ARN (default `default`); ClusterNotFoundException unless ACTIVE. */
  async requireActive(db: Db, ref: string | undefined): Promise<Cluster> {
    const row = await db
      .selectFrom('ecs_clusters')
      .select(['body', 'status'])
      .where('arn', '=', clusterArnOf(this.#deps.context, ref))
      .executeTakeFirst();
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

  async #change(ref: string | undefined, fn: (cluster: Cluster) => Cluster) {
    if (!ref) throw new InvalidParameterException('Cluster cannot be empty.');
    const updated = await this.#deps.store.transaction(async (trx) => {
      const row = await trx
        .selectFrom('ecs_clusters')
        .select(['body', 'status'])
        .where('arn', '=', clusterArnOf(this.#deps.context, ref))
        .executeTakeFirst();
      // A deleted (INACTIVE) cluster no longer exists for updates.
      if (!row || row.status !== 'ACTIVE') throw new ClusterNotFoundException();
      const next = fn(JSON.parse(row.body) as Cluster);
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

function validateInclude(include: string[] | undefined): Set<ClusterField> {
  for (const field of include ?? []) {
    if (!(CLUSTER_FIELDS as readonly string[]).includes(field)) {
      throw new InvalidParameterException(
        `1 validation error detected: Value '[${(include ?? []).join(', ')}]' at 'include' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${CLUSTER_FIELDS.join(', ')}]]`,
      );
    }
  }
  return new Set(include as ClusterField[] | undefined);
}
