/** EventBridge operations → IAM targets (Service Authorization Reference, "Amazon EventBridge"). */
import {
  arnOf,
  listKey,
  jsonTags,
  lastSegment,
  passRoles,
  requestTags,
  str,
  wildcard,
  type Input,
  type TargetContext,
  tagResourceTargets,
  type TargetTable,
} from './target-helpers.ts';

/** The bus name of `EventBusName` (name or ARN); `default` when absent. */
export function busName(input: Input): string {
  const bus = str(input, 'EventBusName');
  return bus === undefined ? 'default' : lastSegment(bus);
}

/** A rule ARN: `rule/<name>` on the default bus, `rule/<bus>/<name>` on others; ARNs kept. */
export function ruleArnOf(ctx: TargetContext, input: Input, member: string): string {
  const name = str(input, member) ?? '';
  if (name.startsWith('arn:')) return name;
  const bus = busName(input);
  return arnOf(ctx, 'events', bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}`);
}

const ruleOp = (action: string, member: string) => ({
  action,
  build: (input: Input, ctx: TargetContext) => ({ resources: [ruleArnOf(ctx, input, member)] }),
});

const busOp = (action: string) => ({
  action,
  build: (input: Input, ctx: TargetContext) => ({
    resources: [arnOf(ctx, 'events', `event-bus/${lastSegment(str(input, 'Name') ?? 'default')}`)],
  }),
});

export const EVENTS_TARGETS: TargetTable = {
  CreateEventBus: {
    action: 'events:CreateEventBus',
    build: (input, ctx) => ({
      resources: [arnOf(ctx, 'events', `event-bus/${str(input, 'Name') ?? ''}`)],
      context: requestTags(jsonTags(input, 'Tags', 'Key', 'Value')),
    }),
  },
  DeleteEventBus: busOp('events:DeleteEventBus'),
  DescribeEventBus: busOp('events:DescribeEventBus'),
  ListEventBuses: wildcard('events:ListEventBuses'),
  PutRule: {
    action: 'events:PutRule',
    build: (input, ctx) => ({
      resources: [ruleArnOf(ctx, input, 'Name')],
      context: requestTags(jsonTags(input, 'Tags', 'Key', 'Value')),
    }),
  },
  DeleteRule: ruleOp('events:DeleteRule', 'Name'),
  DescribeRule: ruleOp('events:DescribeRule', 'Name'),
  DisableRule: ruleOp('events:DisableRule', 'Name'),
  EnableRule: ruleOp('events:EnableRule', 'Name'),
  ListRules: wildcard('events:ListRules'),
  ListRuleNamesByTarget: wildcard('events:ListRuleNamesByTarget'),
  ListTargetsByRule: ruleOp('events:ListTargetsByRule', 'Rule'),
  PutTargets: {
    action: 'events:PutTargets',
    build: (input, ctx) => {
      const targets = jsonTags(input, 'Targets', 'Arn', 'Id').map((t) => t.key);
      // A target's role is handed to EventBridge, which assumes it to invoke the target.
      const roles = jsonTags(input, 'Targets', 'RoleArn', 'Id').map((t) => t.key);
      return {
        resources: [ruleArnOf(ctx, input, 'Rule')],
        context: listKey('events:TargetArn', targets),
        alsoRequires: passRoles(roles, 'events.amazonaws.com'),
      };
    },
  },
  RemoveTargets: ruleOp('events:RemoveTargets', 'Rule'),
  ...tagResourceTargets('events', {
    arn: 'ResourceARN',
    tags: (input) => jsonTags(input, 'Tags', 'Key', 'Value'),
    tagKeys: 'TagKeys',
  }),
};
