/**
 * The seam through which other domains (the invoker) start ECS tasks: RunTask's request and
 * result in ECS's own member names, and the runner interface `EcsService` implements.
 */

/** RunTask's request as ECS's API names it (camelCase), the subset a rule target produces. */
export interface RunTaskRequest {
  cluster: string;
  taskDefinition: string;
  count?: number;
  launchType?: string;
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  networkConfiguration?: {
    awsvpcConfiguration?: {
      subnets: string[];
      securityGroups?: string[];
      assignPublicIp?: string;
    };
  };
  platformVersion?: string;
  group?: string;
  startedBy?: string;
  propagateTags?: string;
  enableECSManagedTags?: boolean;
  enableExecuteCommand?: boolean;
  referenceId?: string;
  tags?: { key: string; value: string }[];
  /** ECS `TaskOverride`: what a target's Input carries. */
  overrides?: Record<string, unknown>;
  /** Idempotency token: a repeat of the same request with it starts no more tasks. */
  clientToken?: string;
}

export interface RunTaskResult {
  tasks: { taskArn: string; lastStatus?: string }[];
  failures: { arn?: string; reason?: string; detail?: string }[];
}

/** Runs ECS tasks (the ECS domain implements it; errors are thrown as ServiceError). */
export interface EcsTaskRunner {
  runTask(request: RunTaskRequest): Promise<RunTaskResult>;
}
