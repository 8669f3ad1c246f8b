/**
 * An in-memory ScheduleSource (tests, benchmarks): things are plain objects, changes notify at once.
 * Defaults describe an EventBridge rule (dialect `rule`, UTC); tests pass other fields to stand
 * for another source. Targets are opaque here: the invoke tests give the default ones.
 */
import { SCHEDULE_PAGE_SIZE } from './firing.ports.ts';
import type { ScheduleSource, ScheduledThing, ScheduledThingWithTargets } from './firing.ports.ts';

export const TEST_RULE_PREFIX = 'arn:aws:events:us-east-1:123456789012:rule/';

export class MemoryScheduleSource<T = unknown> implements ScheduleSource<T> {
  readonly #rules = new Map<string, ScheduledThingWithTargets<T>>();
  readonly #listeners = new Set<(arn: string) => void>();
  readonly #defaultTargets: () => T[];
  readonly #prefix: string;

  /** `defaultTargets`: what `put` gives a thing unless told; `prefix`: its ARNs' prefix. */
  constructor(options: { defaultTargets?: () => T[]; prefix?: string } = {}) {
    this.#defaultTargets = options.defaultTargets ?? (() => []);
    this.#prefix = options.prefix ?? TEST_RULE_PREFIX;
  }

  /** Adds or replaces a thing (defaults: enabled, UTC rule, default targets); returns its ARN. */
  put(
    name: string,
    expression: string,
    anchorMs: number,
    extra: Partial<ScheduledThingWithTargets<T>> = {},
  ): string {
    const arn = this.#prefix + name;
    this.#rules.set(arn, {
      arn,
      name,
      sourceName: 'default',
      expression,
      dialect: 'rule',
      timezone: 'UTC',
      enabled: true,
      anchorMs,
      targets: this.#defaultTargets(),
      ...extra,
    });
    this.#notify(arn);
    return arn;
  }

  /** Adds without notifying (bulk loads before the loop starts). */
  seed(rule: ScheduledThingWithTargets<T>): void {
    this.#rules.set(rule.arn, rule);
  }

  update(arn: string, change: Partial<ScheduledThingWithTargets<T>>): void {
    const rule = this.#rules.get(arn);
    if (!rule) throw new Error(`no rule ${arn}`);
    this.#rules.set(arn, { ...rule, ...change });
    this.#notify(arn);
  }

  delete(arn: string): void {
    this.#rules.delete(arn);
    this.#notify(arn);
  }

  /** Every thing, in insertion order. */
  all(): ScheduledThingWithTargets<T>[] {
    return [...this.#rules.values()];
  }

  async *scheduledPages(pageSize = SCHEDULE_PAGE_SIZE): AsyncGenerator<ScheduledThing[]> {
    const all = this.all();
    for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
  }

  async getScheduled(arn: string): Promise<ScheduledThingWithTargets<T> | undefined> {
    return this.#rules.get(arn);
  }

  subscribe(listener: (arn: string) => void): () => void {
    const entry = (arn: string) => listener(arn);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  #notify(arn: string): void {
    for (const l of [...this.#listeners]) l(arn);
  }
}
