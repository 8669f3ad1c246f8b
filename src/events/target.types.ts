/**
 * A rule target as PutTargets stores it and the invoker reads it back (AWS member names). The
 * events domain owns this shape; the invoker imports it from here.
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
