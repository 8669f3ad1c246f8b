/**
 * CloudWatch Logs on the wire (awsJson1.1, `X-Amz-Target: Logs_20140328.<Operation>`). The
 * decoded body goes straight to {@link LogsService}, which validates constraints and already
 * speaks wire shapes (camelCase, millisecond timestamps); this module only types the members, at
 * every depth, by the SDK's schema of the model (model-shapes.ts), so a wrong type is a
 * `SerializationException`, as on AWS.
 */
import * as model from '@aws-sdk/client-cloudwatch-logs';

import type { LogsService } from '../../logs/logs.service.ts';
import type { AwsContext } from '../../platform/ids.ts';
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
import { operationInput } from '../model-shapes.ts';

/**
 * Numbers of the model that are Longs (the SDK's schema says only "number"); compared with the
 * `logs` service model, these are the only non-Integer numbers in the inputs served here.
 */
const LONGS = { timestamp: 'long', startTime: 'long', endTime: 'long' } as const;

/**
 * Binds a LogsService method as a handler. The service re-checks every member, so the cast only
 * hands it the decoded object under its wire type.
 */
function op<I>(
  schema: unknown,
  call: (input: I, aws: AwsContext) => Promise<unknown>,
): JsonOperation {
  return {
    input: operationInput(schema, { numbers: LONGS }),
    // The request's region (its SigV4 scope) decides which groups the operation sees.
    handler: (body, ctx) => call(body as I, ctx.aws),
  };
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
      CreateLogGroup: op<CreateLogGroupInput>(model.CreateLogGroup$, (i, aws) =>
        logs.createLogGroup(aws, i),
      ),
      DescribeLogGroups: op<DescribeLogGroupsInput>(model.DescribeLogGroups$, (i, aws) =>
        logs.describeLogGroups(aws, i),
      ),
      DeleteLogGroup: op<LogGroupNameInput>(model.DeleteLogGroup$, (i, aws) =>
        logs.deleteLogGroup(aws, i),
      ),
      PutRetentionPolicy: op<PutRetentionPolicyInput>(model.PutRetentionPolicy$, (i, aws) =>
        logs.putRetentionPolicy(aws, i),
      ),
      DeleteRetentionPolicy: op<LogGroupNameInput>(model.DeleteRetentionPolicy$, (i, aws) =>
        logs.deleteRetentionPolicy(aws, i),
      ),
      CreateLogStream: op<LogStreamNameInput>(model.CreateLogStream$, (i, aws) =>
        logs.createLogStream(aws, i),
      ),
      DescribeLogStreams: op<DescribeLogStreamsInput>(model.DescribeLogStreams$, (i, aws) =>
        logs.describeLogStreams(aws, i),
      ),
      DeleteLogStream: op<LogStreamNameInput>(model.DeleteLogStream$, (i, aws) =>
        logs.deleteLogStream(aws, i),
      ),
      PutLogEvents: op<PutLogEventsInput>(model.PutLogEvents$, (i, aws) =>
        logs.putLogEvents(aws, i),
      ),
      GetLogEvents: op<GetLogEventsInput>(model.GetLogEvents$, (i, aws) =>
        logs.getLogEvents(aws, i),
      ),
      FilterLogEvents: op<FilterLogEventsInput>(model.FilterLogEvents$, (i, aws) =>
        logs.filterLogEvents(aws, i),
      ),
      TagLogGroup: op<TagLogGroupInput>(model.TagLogGroup$, (i, aws) => logs.tagLogGroup(aws, i)),
      UntagLogGroup: op<UntagLogGroupInput>(model.UntagLogGroup$, (i, aws) =>
        logs.untagLogGroup(aws, i),
      ),
      ListTagsLogGroup: op<LogGroupNameInput>(model.ListTagsLogGroup$, (i, aws) =>
        logs.listTagsLogGroup(aws, i),
      ),
      TagResource: op<TagResourceInput>(model.TagResource$, (i, aws) => logs.tagResource(aws, i)),
      UntagResource: op<UntagResourceInput>(model.UntagResource$, (i, aws) =>
        logs.untagResource(aws, i),
      ),
      ListTagsForResource: op<{ resourceArn: string }>(model.ListTagsForResource$, (i, aws) =>
        logs.listTagsForResource(aws, i),
      ),
    },
  };
}
