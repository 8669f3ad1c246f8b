/**
 * CloudWatch Logs on the wire (awsJson1.1, `X-Amz-Target: Logs_20140328.<Operation>`). The
 * decoded body goes straight to {@link LogsService}, which validates constraints and already
 * speaks wire shapes (camelCase, millisecond timestamps); this module only declares the members'
 * JSON types from the model so a wrong type is a `SerializationException`, as on AWS.
 */
import type { LogsService } from '../../logs/logs.service.ts';
import type {
  CreateLogGroupInput,
  DescribeLogGroupsInput,
  DescribeLogStreamsInput,
  FilterLogEventsInput,
  GetLogEventsInput,
  LogGroupNameInput,
  LogStreamNameInput,
  PutLogEventsInput,
  PutRetentionPolicyInput,
  TagLogGroupInput,
  TagResourceInput,
  UntagLogGroupInput,
  UntagResourceInput,
} from '../../logs/logs.types.ts';
import type { JsonOperation, JsonServiceModule } from '../api.types.ts';
import type { MemberShapes } from '../json-shape.check.ts';

const stringList = { list: 'string' } as const;
const stringMap = { map: 'string' } as const;

/** Members shared by the operations that address one group (and, optionally, one stream). */
const group: MemberShapes = { logGroupName: 'string', logGroupIdentifier: 'string' };
const stream: MemberShapes = { ...group, logStreamName: 'string' };

/**
 * Binds a LogsService method as a handler. The service re-checks every member, so the cast only
 * hands it the decoded object under its wire type.
 */
function op<I>(input: MemberShapes, call: (input: I) => Promise<unknown>): JsonOperation {
  return { input, handler: (body) => call(body as I) };
}

/** The Logs module for `createApiServer`. */
export function logsApi(logs: LogsService): JsonServiceModule {
  return {
    protocol: 'awsJson1.1',
    signingName: 'logs',
    targetPrefix: 'Logs_20140328',
    errorMessageKey: 'message',
    // The model's server fault for Logs (aws-semantics.md §6.4).
    internalErrorCode: 'ServiceUnavailableException',
    operations: {
      CreateLogGroup: op<CreateLogGroupInput>(
        {
          logGroupName: 'string',
          kmsKeyId: 'string',
          tags: stringMap,
          logGroupClass: 'string',
          deletionProtectionEnabled: 'boolean',
        },
        (i) => logs.createLogGroup(i),
      ),
      DescribeLogGroups: op<DescribeLogGroupsInput>(
        {
          accountIdentifiers: stringList,
          logGroupNamePrefix: 'string',
          logGroupNamePattern: 'string',
          nextToken: 'string',
          limit: 'integer',
          includeLinkedAccounts: 'boolean',
          logGroupClass: 'string',
          logGroupIdentifiers: stringList,
        },
        (i) => logs.describeLogGroups(i),
      ),
      DeleteLogGroup: op<LogGroupNameInput>(group, (i) => logs.deleteLogGroup(i)),
      PutRetentionPolicy: op<PutRetentionPolicyInput>(
        { logGroupName: 'string', retentionInDays: 'integer' },
        (i) => logs.putRetentionPolicy(i),
      ),
      DeleteRetentionPolicy: op<LogGroupNameInput>(group, (i) => logs.deleteRetentionPolicy(i)),
      CreateLogStream: op<LogStreamNameInput>(stream, (i) => logs.createLogStream(i)),
      DescribeLogStreams: op<DescribeLogStreamsInput>(
        {
          ...group,
          logStreamNamePrefix: 'string',
          orderBy: 'string',
          descending: 'boolean',
          nextToken: 'string',
          limit: 'integer',
        },
        (i) => logs.describeLogStreams(i),
      ),
      DeleteLogStream: op<LogStreamNameInput>(stream, (i) => logs.deleteLogStream(i)),
      PutLogEvents: op<PutLogEventsInput>(
        {
          ...stream,
          logEvents: { list: { struct: { timestamp: 'long', message: 'string' } } },
          sequenceToken: 'string',
          entity: { struct: { keyAttributes: stringMap, attributes: stringMap } },
        },
        (i) => logs.putLogEvents(i),
      ),
      GetLogEvents: op<GetLogEventsInput>(
        {
          ...stream,
          startTime: 'long',
          endTime: 'long',
          nextToken: 'string',
          limit: 'integer',
          startFromHead: 'boolean',
          unmask: 'boolean',
        },
        (i) => logs.getLogEvents(i),
      ),
      FilterLogEvents: op<FilterLogEventsInput>(
        {
          ...group,
          logStreamNames: stringList,
          logStreamNamePrefix: 'string',
          startTime: 'long',
          endTime: 'long',
          filterPattern: 'string',
          nextToken: 'string',
          limit: 'integer',
          interleaved: 'boolean',
          unmask: 'boolean',
        },
        (i) => logs.filterLogEvents(i),
      ),
      TagLogGroup: op<TagLogGroupInput>({ logGroupName: 'string', tags: stringMap }, (i) =>
        logs.tagLogGroup(i),
      ),
      UntagLogGroup: op<UntagLogGroupInput>({ logGroupName: 'string', tags: stringList }, (i) =>
        logs.untagLogGroup(i),
      ),
      ListTagsLogGroup: op<LogGroupNameInput>({ logGroupName: 'string' }, (i) =>
        logs.listTagsLogGroup(i),
      ),
      TagResource: op<TagResourceInput>({ resourceArn: 'string', tags: stringMap }, (i) =>
        logs.tagResource(i),
      ),
      UntagResource: op<UntagResourceInput>({ resourceArn: 'string', tagKeys: stringList }, (i) =>
        logs.untagResource(i),
      ),
      ListTagsForResource: op<{ resourceArn: string }>({ resourceArn: 'string' }, (i) =>
        logs.listTagsForResource(i),
      ),
    },
  };
}
