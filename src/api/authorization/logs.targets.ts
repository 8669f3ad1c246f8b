/**
 * CloudWatch Logs operations → IAM targets (Service Authorization Reference, "Amazon CloudWatch
 * Logs"): log groups as `log-group:<name>`, streams as `log-group:<name>:log-stream:<stream>`, the
 * formats the reference gives (policies usually write `log-group:<name>:*`, which covers both).
 */
import {
  arnOf,
  listKey,
  mapTags,
  requestTags,
  str,
  strings,
  wildcard,
  type Input,
  type TargetContext,
  tagResourceTargets,
  type TargetTable,
} from './target-helpers.ts';

/** `logGroupName`, or `logGroupIdentifier` (name or ARN, an ARN possibly ending in `:*`). */
function groupArn(ctx: TargetContext, input: Input): string {
  const id = str(input, 'logGroupName') ?? str(input, 'logGroupIdentifier') ?? '';
  if (id.startsWith('arn:')) return id.endsWith(':*') ? id.slice(0, -2) : id;
  return arnOf(ctx, 'logs', `log-group:${id}`);
}

function streamArn(ctx: TargetContext, input: Input): string {
  return `${groupArn(ctx, input)}:log-stream:${str(input, 'logStreamName') ?? ''}`;
}

const groupOp = (action: string) => ({
  action,
  build: (input: Input, ctx: TargetContext) => ({ resources: [groupArn(ctx, input)] }),
});

const streamOp = (action: string) => ({
  action,
  build: (input: Input, ctx: TargetContext) => ({ resources: [streamArn(ctx, input)] }),
});

export const LOGS_TARGETS: TargetTable = {
  CreateLogGroup: {
    action: 'logs:CreateLogGroup',
    build: (input, ctx) => ({
      resources: [groupArn(ctx, input)],
      context: requestTags(mapTags(input, 'tags')),
    }),
  },
  DeleteLogGroup: groupOp('logs:DeleteLogGroup'),
  DescribeLogGroups: wildcard('logs:DescribeLogGroups'),
  DescribeLogStreams: groupOp('logs:DescribeLogStreams'),
  FilterLogEvents: groupOp('logs:FilterLogEvents'),
  PutRetentionPolicy: groupOp('logs:PutRetentionPolicy'),
  DeleteRetentionPolicy: groupOp('logs:DeleteRetentionPolicy'),
  CreateLogStream: streamOp('logs:CreateLogStream'),
  DeleteLogStream: streamOp('logs:DeleteLogStream'),
  GetLogEvents: streamOp('logs:GetLogEvents'),
  PutLogEvents: streamOp('logs:PutLogEvents'),
  ListTagsLogGroup: groupOp('logs:ListTagsLogGroup'),
  TagLogGroup: {
    action: 'logs:TagLogGroup',
    build: (input, ctx) => ({
      resources: [groupArn(ctx, input)],
      context: requestTags(mapTags(input, 'tags')),
    }),
  },
  UntagLogGroup: {
    action: 'logs:UntagLogGroup',
    build: (input, ctx) => {
      const keys = strings(input, 'tags');
      return {
        resources: [groupArn(ctx, input)],
        context: listKey('aws:TagKeys', keys),
      };
    },
  },
  ...tagResourceTargets('logs', {
    arn: 'resourceArn',
    tags: (input) => mapTags(input, 'tags'),
    tagKeys: 'tagKeys',
    arnOf: trimStar,
  }),
};

function trimStar(arn: string): string {
  return arn.endsWith(':*') ? arn.slice(0, -2) : arn;
}
