/**
 * The seams of the firing loop. The events domain (EventBridge rules) provides scheduled rules
 * through {@link RuleSource}; the ECS domain runs tasks through {@link EcsTaskRunner}. Firing and
 * invocation depend on these interfaces only, so each side is tested alone and wired in `up`.
 */

/** An ECS target's `EcsParameters`, as PutTargets stores it (AWS member names). */
export interface EcsParameters {
  TaskDefinitionArn: string;
  TaskCount?: number;
  LaunchType?: 'EC2' | 'FARGATE' | 'EXTERNAL';
  NetworkConfiguration?: {
    awsvpcConfiguration?: {
      Subnets: string[];
      SecurityGroups?: string[];
      AssignPublicIp?: 'ENABLED' | 'DISABLED';
    };
  };
  PlatformVersion?: string;
  Group?: string;
  CapacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  EnableECSManagedTags?: boolean;
  EnableExecuteCommand?: boolean;
  PlacementConstraints?: { type?: string; expression?: string }[];
  PlacementStrategy?: { type?: string; field?: string }[];
  PropagateTags?: 'TASK_DEFINITION';
  ReferenceId?: string;
  Tags?: { Key: string; Value: string }[];
}

/** One rule target as PutTargets stores it (AWS member names). */
export interface RuleTarget {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  EcsParameters?: EcsParameters;
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
  /** Parameters of target kinds cronbridge stores but cannot invoke, kept as PutTargets got them. */
  KinesisParameters?: Record<string, unknown>;
  RunCommandParameters?: Record<string, unknown>;
  BatchParameters?: Record<string, unknown>;
  SqsParameters?: Record<string, unknown>;
  HttpParameters?: Record<string, unknown>;
  RedshiftDataParameters?: Record<string, unknown>;
  SageMakerPipelineParameters?: Record<string, unknown>;
  AppSyncParameters?: Record<string, unknown>;
}

/** A rule's schedule, as the firing index needs it (targets are read when a slot fires). */
export interface RuleSchedule {
  ruleArn: string;
  name: string;
  eventBusName: string;
  /** `rate(...)` or `cron(...)`; rules always run in UTC. */
  scheduleExpression: string;
  enabled: boolean;
  /**
   * Phase of a `rate()` rule, epoch ms: when it was created, re-enabled, or given a new
   * expression. Fires are anchor + k·period, k ≥ 1.
   */
  anchorMs: number;
}

/** A rule with a schedule and its targets, as the invoker needs it. */
export interface ScheduledRule extends RuleSchedule {
  targets: RuleTarget[];
}

/** Rules a source hands over per page unless asked otherwise. */
export const RULE_PAGE_SIZE = 1000;

/** Where scheduled rules come from (the events domain implements it). */
export interface RuleSource {
  /**
   * Every rule that has a schedule expression, enabled or not, a page of at most `pageSize` at a
   * time. Paged so that loading a million rules never holds a million rule objects at once: the
   * index keeps a few bytes per rule, and each page is garbage once read.
   */
  scheduledRulePages(pageSize?: number): AsyncIterable<readonly RuleSchedule[]>;
  /** One rule by ARN; undefined when deleted or without a schedule. */
  getScheduledRule(ruleArn: string): Promise<ScheduledRule | undefined>;
  /**
   * Called after any committed change to a rule or its targets (put, enable, disable, delete,
   * put/remove targets), with the rule's ARN. Returns the unsubscribe function.
   */
  subscribe(listener: (ruleArn: string) => void): () => void;
}

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
