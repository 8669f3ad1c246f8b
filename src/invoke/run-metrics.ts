/**
 * Per-rule counters in the spirit of CloudWatch's `AWS/Events` namespace. The invoker's own
 * (Invocations, FailedInvocations, RetryInvocationAttempts, InvocationsSentToDlq) are counted
 * here from invoke events and rebuilt from its tables; the slot counters (TriggeredRules,
 * MissedSlots) are firing's {@link SlotMetrics}. {@link RunMetrics} reads both as one set and
 * prints them as Prometheus text. History past its retention is deleted, so a restart counts
 * from what is kept: Prometheus reads the drop as a counter reset, as after any restart.
 *
 * AWS's definitions followed: an invocation counts once, when it ends (success or final failure),
 * not per retry; every attempt after the first is a RetryInvocationAttempt.
 */
import { ArnCounters, SlotMetrics, ruleNameOf } from '../firing/index.ts';
import type { SlotMetric } from '../firing/index.ts';
import type { Db } from '../store/store.ts';
import type { FiringEvents } from '../firing/index.ts';
import type { InvokeEvent, InvokeEvents, RunEvent } from './invoke.events.ts';

export const INVOCATION_METRICS = [
  'Invocations',
  'FailedInvocations',
  'RetryInvocationAttempts',
  'InvocationsSentToDlq',
] as const;
export type InvocationMetric = (typeof INVOCATION_METRICS)[number];

/** Every per-rule counter, in the order `/metrics` prints them. */
export const RULE_METRICS = [
  'TriggeredRules',
  ...INVOCATION_METRICS,
  'MissedSlots',
] as const satisfies readonly (SlotMetric | InvocationMetric)[];
export type RuleMetric = (typeof RULE_METRICS)[number];

const PROMETHEUS: Record<RuleMetric, { name: string; help: string }> = {
  TriggeredRules: {
    name: 'cronbridge_events_triggered_rules_total',
    help: 'Schedule slots fired, per rule (CloudWatch AWS/Events TriggeredRules).',
  },
  Invocations: {
    name: 'cronbridge_events_invocations_total',
    help: 'Target invocations that ended, succeeded or failed (AWS/Events Invocations).',
  },
  FailedInvocations: {
    name: 'cronbridge_events_failed_invocations_total',
    help: 'Target invocations that failed for good (AWS/Events FailedInvocations).',
  },
  RetryInvocationAttempts: {
    name: 'cronbridge_events_retry_invocation_attempts_total',
    help: 'Invocation attempts after the first (AWS/Events RetryInvocationAttempts).',
  },
  InvocationsSentToDlq: {
    name: 'cronbridge_events_invocations_sent_to_dlq_total',
    help: 'Failed invocations dead-lettered to a configured DLQ (AWS/Events InvocationsSentToDlq).',
  },
  MissedSlots: {
    name: 'cronbridge_events_missed_slots_total',
    help: 'Schedule slots recorded MISSED (engine down or too late to fire).',
  },
};

/** The invoker's counters, per rule. */
export class InvocationMetrics {
  readonly counters = new ArnCounters<InvocationMetric>(INVOCATION_METRICS);

  attach(events: InvokeEvents): () => void {
    return events.on((event) => this.observe(event));
  }

  observe(event: InvokeEvent): void {
    switch (event.type) {
      case 'invoke:attempt':
        if (event.attemptNo > 1) this.counters.add(event.ruleArn, 'RetryInvocationAttempts', 1);
        break;
      case 'invoke:succeeded':
        this.counters.add(event.ruleArn, 'Invocations', 1);
        break;
      case 'invoke:deadLettered':
        this.counters.add(event.ruleArn, 'Invocations', 1);
        this.counters.add(event.ruleArn, 'FailedInvocations', 1);
        if (event.dlqArn !== undefined) {
          this.counters.add(event.ruleArn, 'InvocationsSentToDlq', 1);
        }
        break;
      default:
        break;
    }
  }

  /** Replaces the counters with what the invoker's tables imply. */
  async loadFromStore(db: Db): Promise<void> {
    const c = this.counters;
    c.clear();
    const invocations = await db
      .selectFrom('firing_invocations')
      .select(['rule_arn', 'status'])
      .select((eb) => eb.fn.count<number>('id').as('n'))
      .where('status', 'in', ['SUCCEEDED', 'FAILED'])
      .groupBy(['rule_arn', 'status'])
      .execute();
    for (const r of invocations) {
      c.add(r.rule_arn, 'Invocations', Number(r.n));
      if (r.status === 'FAILED') c.add(r.rule_arn, 'FailedInvocations', Number(r.n));
    }
    const retries = await db
      .selectFrom('firing_attempts')
      .innerJoin('firing_invocations', 'firing_invocations.id', 'firing_attempts.invocation_id')
      .select('firing_invocations.rule_arn')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('firing_attempts.attempt_no', '>', 1)
      .groupBy('firing_invocations.rule_arn')
      .execute();
    for (const r of retries) c.add(r.rule_arn, 'RetryInvocationAttempts', Number(r.n));
    const dlq = await db
      .selectFrom('firing_dead_letters')
      .select('rule_arn')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dlq_arn', 'is not', null)
      .groupBy('rule_arn')
      .execute();
    for (const r of dlq) c.add(r.rule_arn, 'InvocationsSentToDlq', Number(r.n));
  }
}

/** `rule/<bus>/<name>` → bus; `rule/<name>` → `default`. */
function busOf(ruleArn: string): string {
  const resource = ruleArn.slice(ruleArn.indexOf(':rule/') + ':rule/'.length);
  const slash = resource.indexOf('/');
  return slash < 0 ? 'default' : resource.slice(0, slash);
}

function isSlotMetric(metric: RuleMetric): metric is SlotMetric {
  return metric === 'TriggeredRules' || metric === 'MissedSlots';
}

/** Slot and invocation counters read as one set per rule. */
export class RunMetrics {
  readonly slots = new SlotMetrics();
  readonly invocations = new InvocationMetrics();

  /** Counts from the events of both hubs from now on; returns the unsubscribe function. */
  attach(firing: FiringEvents, invoke: InvokeEvents): () => void {
    const offSlots = this.slots.attach(firing);
    const offInvocations = this.invocations.attach(invoke);
    return () => {
      offSlots();
      offInvocations();
    };
  }

  observe(event: RunEvent): void {
    if (event.type.startsWith('invoke:')) this.invocations.observe(event as InvokeEvent);
    else this.slots.observe(event as Parameters<SlotMetrics['observe']>[0]);
  }

  get(ruleArn: string, metric: RuleMetric): number {
    return isSlotMetric(metric)
      ? this.slots.counters.get(ruleArn, metric)
      : this.invocations.counters.get(ruleArn, metric);
  }

  /** Every rule with any counter. */
  #rules(): string[] {
    return [...new Set([...this.slots.counters.keys(), ...this.invocations.counters.keys()])];
  }

  /** All counters, by rule ARN. */
  snapshot(): Record<string, Record<RuleMetric, number>> {
    return Object.fromEntries(
      this.#rules().map((arn) => [
        arn,
        Object.fromEntries(RULE_METRICS.map((m) => [m, this.get(arn, m)])) as Record<
          RuleMetric,
          number
        >,
      ]),
    );
  }

  /** Replaces the counters with what the store's history implies. */
  async loadFromStore(db: Db): Promise<void> {
    await this.slots.loadFromStore(db);
    await this.invocations.loadFromStore(db);
  }

  /** Prometheus text exposition format, one counter family per metric, rules sorted. */
  metricsText(): string {
    const rules = this.#rules().sort();
    const lines: string[] = [];
    for (const metric of RULE_METRICS) {
      const { name, help } = PROMETHEUS[metric];
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const arn of rules) {
        const labels = `event_bus="${escapeLabel(busOf(arn))}",rule="${escapeLabel(ruleNameOf(arn))}"`;
        lines.push(`${name}{${labels}} ${this.get(arn, metric)}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
