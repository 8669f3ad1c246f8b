/**
 * Per-thing slot counters in the spirit of CloudWatch's `AWS/Events` namespace: TriggeredRules
 * (slots fired) plus our own MissedSlots. Counted in memory from firing events;
 * {@link SlotMetrics.loadFromStore} rebuilds them from the ledger after a restart, so the store is
 * the source of truth. The invoker counts its own (Invocations, FailedInvocations, ...), and
 * `src/invoke/run-metrics.ts` prints both as one Prometheus family list.
 */
import type { Db } from '../store/store.ts';
import type { FiringEvent, FiringEvents } from './firing.events.ts';

export const SLOT_METRICS = ['TriggeredRules', 'MissedSlots'] as const;
export type SlotMetric = (typeof SLOT_METRICS)[number];

/** Counters of metrics `M`, keyed by ARN, zero-filled on first use. */
export class ArnCounters<M extends string> {
  readonly #metrics: readonly M[];
  readonly #counts = new Map<string, Record<M, number>>();

  constructor(metrics: readonly M[]) {
    this.#metrics = metrics;
  }

  add(arn: string, metric: M, n: number): void {
    let c = this.#counts.get(arn);
    if (!c) {
      c = Object.fromEntries(this.#metrics.map((m) => [m, 0])) as Record<M, number>;
      this.#counts.set(arn, c);
    }
    c[metric] += n;
  }

  get(arn: string, metric: M): number {
    return this.#counts.get(arn)?.[metric] ?? 0;
  }

  /** ARNs with any counter. */
  keys(): IterableIterator<string> {
    return this.#counts.keys();
  }

  clear(): void {
    this.#counts.clear();
  }
}

export class SlotMetrics {
  readonly counters = new ArnCounters<SlotMetric>(SLOT_METRICS);

  /** Counts from the events of `events` from now on; returns the unsubscribe function. */
  attach(events: FiringEvents): () => void {
    return events.on((event) => this.observe(event));
  }

  observe(event: FiringEvent): void {
    if (event.type === 'firing:slot') this.counters.add(event.ruleArn, 'TriggeredRules', 1);
    else if (event.type === 'firing:missed') {
      this.counters.add(event.ruleArn, 'MissedSlots', event.count);
    }
  }

  /** Replaces the counters with what the ledger implies. */
  async loadFromStore(db: Db): Promise<void> {
    this.counters.clear();
    const slots = await db
      .selectFrom('firing_slots')
      .select(['rule_arn', 'status'])
      .select((eb) => [eb.fn.count<number>('id').as('n'), eb.fn.sum<number>('slot_count').as('s')])
      .groupBy(['rule_arn', 'status'])
      .execute();
    for (const r of slots) {
      if (r.status === 'MISSED') this.counters.add(r.rule_arn, 'MissedSlots', Number(r.s));
      else this.counters.add(r.rule_arn, 'TriggeredRules', Number(r.n));
    }
  }
}
