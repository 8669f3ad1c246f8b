/**
 * CloudWatch Logs request/response shapes exactly as they travel on the wire (awsJson1.1):
 * camelCase members, timestamps as integer milliseconds since the epoch. The HTTP layer passes the
 * decoded JSON straight to {@link LogsService}, so every member is validated by the service, not
 * trusted from these types.
 */

export const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const;
export type LogGroupClass = (typeof LOG_GROUP_CLASSES)[number];

export const ORDER_BY_VALUES = ['LogStreamName', 'LastEventTime'] as const;
export type OrderBy = (typeof ORDER_BY_VALUES)[number];

/** Valid `retentionInDays` values [model doc]. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export type Tags = Record<string, string>;

export interface CreateLogGroupInput {
  logGroupName: string;
  kmsKeyId?: string;
  tags?: Tags;
  logGroupClass?: LogGroupClass;
  deletionProtectionEnabled?: boolean;
}

export interface LogGroup {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  metricFilterCount: number;
  arn: string;
  storedBytes: number;
  kmsKeyId?: string;
  logGroupClass: LogGroupClass;
  logGroupArn: string;
  deletionProtectionEnabled: boolean;
}

export interface DescribeLogGroupsInput {
  logGroupNamePrefix?: string;
  logGroupNamePattern?: string;
  nextToken?: string;
  limit?: number;
  logGroupClass?: LogGroupClass;
  /** Names or ARNs (with or without `:*`). */
  logGroupIdentifiers?: string[];
}

export interface DescribeLogGroupsOutput {
  logGroups: LogGroup[];
  nextToken?: string;
}

export interface LogGroupNameInput {
  logGroupName: string;
}

export interface PutRetentionPolicyInput {
  logGroupName: string;
  retentionInDays: number;
}

export interface LogStreamNameInput {
  logGroupName: string;
  logStreamName: string;
}

export interface DescribeLogStreamsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNamePrefix?: string;
  orderBy?: OrderBy;
  descending?: boolean;
  nextToken?: string;
  limit?: number;
}

export interface LogStream {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  uploadSequenceToken?: string;
  arn: string;
  storedBytes: number;
}

export interface DescribeLogStreamsOutput {
  logStreams: LogStream[];
  nextToken?: string;
}

export interface InputLogEvent {
  timestamp: number;
  message: string;
}

export interface PutLogEventsInput {
  logGroupName: string;
  logStreamName: string;
  logEvents: InputLogEvent[];
  /** Ignored, as AWS does since 2023. */
  sequenceToken?: string;
}

export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export interface PutLogEventsOutput {
  nextSequenceToken: string;
  rejectedLogEventsInfo?: RejectedLogEventsInfo;
}

export interface GetLogEventsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamName: string;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
  unmask?: boolean;
}

export interface OutputLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface GetLogEventsOutput {
  events: OutputLogEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

export interface FilterLogEventsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  nextToken?: string;
  limit?: number;
  /** Ignored: results are always interleaved, as on AWS today. */
  interleaved?: boolean;
  unmask?: boolean;
}

export interface FilteredLogEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

export interface SearchedLogStream {
  logStreamName: string;
  searchedCompletely: boolean;
}

export interface FilterLogEventsOutput {
  events: FilteredLogEvent[];
  searchedLogStreams: SearchedLogStream[];
  nextToken?: string;
}

export interface TagLogGroupInput {
  logGroupName: string;
  tags: Tags;
}

export interface UntagLogGroupInput {
  logGroupName: string;
  tags: string[];
}

export interface TagResourceInput {
  resourceArn: string;
  tags: Tags;
}

export interface UntagResourceInput {
  resourceArn: string;
  tagKeys: string[];
}

export interface TagsOutput {
  tags: Tags;
}
