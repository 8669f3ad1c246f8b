/**
 * Tables of the ECS domain. Each resource is kept as its ECS wire-shaped JSON document beside the
 * columns that queries filter on, so describing a resource is one read and no field of the API
 * shape is lost in a column mapping.
 */
export interface EcsClusterRow {
  arn: string;
  name: string;
  /** ACTIVE or INACTIVE (a deleted cluster reads back as INACTIVE). */
  status: string;
  /** The `Cluster` document, timestamps in epoch ms. */
  body: string;
}

export interface EcsTaskDefinitionRow {
  arn: string;
  /** The region in the ARN: families and their revisions are per region. */
  region: string;
  family: string;
  revision: number;
  /** ACTIVE, INACTIVE or DELETE_IN_PROGRESS. */
  status: string;
  /** The `TaskDefinition` document. */
  body: string;
  /** Tags as a JSON array of `{key, value}`. */
  tags: string;
}

export interface EcsTaskRow {
  arn: string;
  cluster_arn: string;
  family: string;
  started_by: string | null;
  launch_type: string | null;
  desired_status: string;
  last_status: string;
  created_at: number;
  stopped_at: number | null;
  /** The `Task` document. */
  body: string;
  /** The launch plan the supervisor needs after a restart. */
  plan: string;
}

export interface EcsTaskStatsRow {
  task_arn: string;
  container_name: string;
  timestamp: number;
  cpu_usage_ns: number;
  cpu_percent: number | null;
  memory_bytes: number;
  memory_limit_bytes: number | null;
}

/** A RunTask client token: the tasks it created, so a retry returns them instead of more. */
export interface EcsClientTokenRow {
  cluster_arn: string;
  client_token: string;
  /** sha256 of the request's canonical JSON without the token: a different request conflicts. */
  request_digest: string;
  /** JSON array of the task ARNs the request created. */
  task_arns: string;
  created_ms: number;
}

/** Tags of a built-in (Fargate) capacity provider of one region, by its ARN. */
export interface EcsCapacityProviderTagRow {
  arn: string;
  /** Tags as a JSON array of `{key, value}`. */
  tags: string;
}

export interface EcsTables {
  ecs_clusters: EcsClusterRow;
  ecs_task_definitions: EcsTaskDefinitionRow;
  ecs_tasks: EcsTaskRow;
  ecs_task_stats: EcsTaskStatsRow;
  ecs_client_tokens: EcsClientTokenRow;
  ecs_capacity_provider_tags: EcsCapacityProviderTagRow;
}
