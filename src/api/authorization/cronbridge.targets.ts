/**
 * cronbridge's own operations have no IAM service of their own; each is authorized as the
 * EventBridge read it extends, so existing `events:` policies govern them: a rule's history as
 * `events:DescribeRule` on the rule, the next slots and dead letters as `events:ListRules`.
 */
import { ruleArnOf } from './events.targets.ts';
import { str, wildcard, type TargetTable } from './target-helpers.ts';

export const CRONBRIDGE_TARGETS: TargetTable = {
  GetRuleHistory: {
    action: 'events:DescribeRule',
    build: (input, ctx) => ({
      resources: str(input, 'Rule') ? [ruleArnOf(ctx, input, 'Rule')] : ['*'],
    }),
  },
  GetNextSlots: wildcard('events:ListRules'),
  ListDeadLetters: wildcard('events:ListRules'),
};
