/** An in-memory RuleSource for firing tests: rules are plain objects, changes notify at once. */
import { RULE_PAGE_SIZE } from '../firing.ports.ts';
import type { RuleSource, RuleTarget, ScheduledRule } from '../firing.ports.ts';

export const TEST_RULE_PREFIX = 'arn:aws:events:us-east-1:123456789012:rule/';
export const TEST_CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs';
export const TEST_TASK_DEF_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/batch:1';

export function ecsTarget(id = 't1', extra: Partial<RuleTarget> = {}): RuleTarget {
  return {
    Id: id,
    Arn: TEST_CLUSTER_ARN,
    RoleArn: 'arn:aws:iam::123456789012:role/ecsEventsRole',
    EcsParameters: { TaskDefinitionArn: TEST_TASK_DEF_ARN, LaunchType: 'FARGATE' },
    ...extra,
  };
}

export class MemoryRuleSource implements RuleSource {
  readonly #rules = new Map<string, ScheduledRule>();
  readonly #listeners = new Set<(ruleArn: string) => void>();

  /** Adds or replaces a rule (defaults: enabled, one ECS target) and notifies; returns its ARN. */
  put(
    name: string,
    scheduleExpression: string,
    anchorMs: number,
    extra: Partial<ScheduledRule> = {},
  ): string {
    const ruleArn = TEST_RULE_PREFIX + name;
    this.#rules.set(ruleArn, {
      ruleArn,
      name,
      eventBusName: 'default',
      scheduleExpression,
      enabled: true,
      anchorMs,
      targets: [ecsTarget()],
      ...extra,
    });
    this.#notify(ruleArn);
    return ruleArn;
  }

  /** Adds without notifying (bulk loads before the loop starts). */
  seed(rule: ScheduledRule): void {
    this.#rules.set(rule.ruleArn, rule);
  }

  update(ruleArn: string, change: Partial<ScheduledRule>): void {
    const rule = this.#rules.get(ruleArn);
    if (!rule) throw new Error(`no rule ${ruleArn}`);
    this.#rules.set(ruleArn, { ...rule, ...change });
    this.#notify(ruleArn);
  }

  delete(ruleArn: string): void {
    this.#rules.delete(ruleArn);
    this.#notify(ruleArn);
  }

  /** Every rule, in insertion order. */
  all(): ScheduledRule[] {
    return [...this.#rules.values()];
  }

  async *scheduledRulePages(pageSize = RULE_PAGE_SIZE): AsyncGenerator<ScheduledRule[]> {
    const all = this.all();
    for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
  }

  async getScheduledRule(ruleArn: string): Promise<ScheduledRule | undefined> {
    return this.#rules.get(ruleArn);
  }

  subscribe(listener: (ruleArn: string) => void): () => void {
    const entry = (arn: string) => listener(arn);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  #notify(ruleArn: string): void {
    for (const l of [...this.#listeners]) l(ruleArn);
  }
}
