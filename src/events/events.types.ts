/**
 * Wire shapes of the EventBridge rules API (`AWSEvents.*`, awsJson1.1): request and response
 * members exactly as the `events` model names them (PascalCase). The HTTP layer decodes JSON into
 * these types unchecked, so the service validates every member at run time.
 */
import type { RuleTarget } from './target.types.ts';

export type { RuleTarget };

/** Rule states [model]. The third enables CloudTrail management events on pattern rules. */
export const RULE_STATES = [
  'ENABLED',
  'DISABLED',
  'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
] as const;
export type RuleState = (typeof RULE_STATES)[number];

export const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL'] as const;
export const ASSIGN_PUBLIC_IP_VALUES = ['ENABLED', 'DISABLED'] as const;
export const PROPAGATE_TAGS_VALUES = ['TASK_DEFINITION'] as const;

/** The bus every account has; it cannot be created or deleted. */
export const DEFAULT_BUS = 'default';

export interface Tag {
  Key: string;
  Value: string;
}

/** Empty output of operations that return nothing. */
export type EmptyOutput = Record<string, never>;

export interface PutRuleInput {
  Name: string;
  ScheduleExpression?: string;
  EventPattern?: string;
  State?: RuleState;
  Description?: string;
  RoleArn?: string;
  Tags?: Tag[];
  EventBusName?: string;
}
export interface PutRuleOutput {
  RuleArn: string;
}

export interface RuleNameInput {
  Name: string;
  EventBusName?: string;
}
export interface DeleteRuleInput extends RuleNameInput {
  Force?: boolean;
}

/** A rule as ListRules returns it; members without a value are omitted. */
export interface RuleSummary {
  Name: string;
  Arn: string;
  EventPattern?: string;
  State: RuleState;
  Description?: string;
  ScheduleExpression?: string;
  RoleArn?: string;
  ManagedBy?: string;
  EventBusName: string;
}
export interface DescribeRuleOutput extends RuleSummary {
  CreatedBy: string;
}

export interface ListRulesInput {
  NamePrefix?: string;
  EventBusName?: string;
  NextToken?: string;
  Limit?: number;
}
export interface ListRulesOutput {
  Rules: RuleSummary[];
  NextToken?: string;
}

export interface PutTargetsInput {
  Rule: string;
  EventBusName?: string;
  Targets: RuleTarget[];
}
export interface FailedEntry {
  TargetId: string;
  ErrorCode: string;
  ErrorMessage: string;
}
/** Output of PutTargets and RemoveTargets. */
export interface TargetsResultOutput {
  FailedEntryCount: number;
  FailedEntries: FailedEntry[];
}

export interface RemoveTargetsInput {
  Rule: string;
  EventBusName?: string;
  Ids: string[];
  Force?: boolean;
}

export interface ListTargetsByRuleInput {
  Rule: string;
  EventBusName?: string;
  NextToken?: string;
  Limit?: number;
}
export interface ListTargetsByRuleOutput {
  Targets: RuleTarget[];
  NextToken?: string;
}

export interface ListRuleNamesByTargetInput {
  TargetArn: string;
  EventBusName?: string;
  NextToken?: string;
  Limit?: number;
}
export interface ListRuleNamesByTargetOutput {
  RuleNames: string[];
  NextToken?: string;
}

export interface TagResourceInput {
  ResourceARN: string;
  Tags: Tag[];
}
export interface UntagResourceInput {
  ResourceARN: string;
  TagKeys: string[];
}
export interface ListTagsForResourceInput {
  ResourceARN: string;
}
export interface ListTagsForResourceOutput {
  Tags: Tag[];
}

export interface CreateEventBusInput {
  Name: string;
  Description?: string;
  Tags?: Tag[];
}
export interface CreateEventBusOutput {
  EventBusArn: string;
  Description?: string;
}
export interface DescribeEventBusInput {
  Name?: string;
}
export interface EventBusSummary {
  Name: string;
  Arn: string;
  Description?: string;
  /**
   * Epoch milliseconds (the HTTP layer sends epoch seconds, as the model's timestamps are). Only
   * custom buses carry them: the `default` bus is never stored, so it has no creation time here.
   */
  CreationTime?: number;
  /** Same as CreationTime: custom buses cannot be changed after creation (tags aside). */
  LastModifiedTime?: number;
}
export interface DeleteEventBusInput {
  Name: string;
}
export interface ListEventBusesInput {
  NamePrefix?: string;
  NextToken?: string;
  Limit?: number;
}
export interface ListEventBusesOutput {
  EventBuses: EventBusSummary[];
  NextToken?: string;
}
