/**
 * Per-rule counters in the spirit of CloudWatch's `AWS/Events` namespace (TriggeredRules,
 * Invocations, FailedInvocations, RetryInvocationAttempts, InvocationsSentToDlq) plus our own
 * MissedSlots. Counted in memory from lifecycle events; {@link FiringMetrics.loadFromStore}
 * rebuilds them from the store after a restart, so the store is the source of truth. History
 * past its retention is deleted, so a restart counts from what is kept: Prometheus reads the
 * drop as a counter reset, as after any restart.
 *
 * AWS's definitions followed: an invocation counts once, when it ends (success or final failure),
 * not per retry; every attempt after the first is a RetryInvocationAttempt.
 */
import type { Db } from '../store/store.ts';
import type { FiringEvent, FiringEvents } from './firing.events.ts';
import { ruleNameOf } from './firing.types.ts';

export const RULE_METRICS = [
  'TriggeredRules',
  'Invocations',
  'FailedInvocations',
  'RetryInvocationAttempts',
  'InvocationsSentToDlq',
  'MissedSlots',
] as const;
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

type Counts = Record<RuleMetric, number>;

function zero(): Counts {
  return {
    TriggeredRules: 0,
    Invocations: 0,
    FailedInvocations: 0,
    RetryInvocationAttempts: 0,
    InvocationsSentToDlq: 0,
    MissedSlots: 0,
  };
}

/** `rule/<bus>/<name>` → bus; `rule/<name>` → `default`. */
function busOf(ruleArn: string): string {
  const resource = ruleArn.slice(ruleArn.indexOf(':rule/') + ':rule/'.length);
  const slash = resource.indexOf('/');
  return slash < 0 ? 'default' : resource.slice(0, slash);
}

export class FiringMetrics {
  /** Keyed by rule ARN. */
  readonly #counts = new Map<string, Counts>();

  /** Counts from the events of `events` from now on; returns the unsubscribe function. */
  attach(events: FiringEvents): () => void {
    return events.on((event) => this.observe(event));
  }

  observe(event: FiringEvent): void {
    switch (event.type) {
      case 'firing:slot':
        this.add(event.ruleArn, 'TriggeredRules', 1);
        break;
      case 'firing:missed':
        this.add(event.ruleArn, 'MissedSlots', event.count);
        break;
      case 'invoke:attempt':
        if (event.attemptNo > 1) this.add(event.ruleArn, 'RetryInvocationAttempts', 1);
        break;
      case 'invoke:succeeded':
        this.add(event.ruleArn, 'Invocations', 1);
        break;
      case 'invoke:deadLettered':
        this.add(event.ruleArn, 'Invocations', 1);
        this.add(event.ruleArn, 'FailedInvocations', 1);
        if (event.dlqArn !== undefined) this.add(event.ruleArn, 'InvocationsSentToDlq', 1);
        break;
      default:
        break;
    }
  }

  add(ruleArn: string, metric: RuleMetric, n: number): void {
    let c = this.#counts.get(ruleArn);
    if (!c) {
      c = zero();
      this.#counts.set(ruleArn, c);
    }
    c[metric] += n;
  }

  get(ruleArn: string, metric: RuleMetric): number {
    return this.#counts.get(ruleArn)?.[metric] ?? 0;
  }

  /** All counters, by rule ARN. */
  snapshot(): Record<string, Counts> {
    return Object.fromEntries([...this.#counts].map(([k, v]) => [k, { ...v }]));
  }

  /** Replaces the counters with what the store's history implies. */
  async loadFromStore(db: Db): Promise<void> {
    this.#counts.clear();
    const slots = await db
      .selectFrom('firing_slots')
      .select(['rule_arn', 'status'])
      .select((eb) => [eb.fn.count<number>('id').as('n'), eb.fn.sum<number>('slot_count').as('s')])
      .groupBy(['rule_arn', 'status'])
      .execute();
    for (const r of slots) {
      if (r.status === 'MISSED') this.add(r.rule_arn, 'MissedSlots', Number(r.s));
      else this.add(r.rule_arn, 'TriggeredRules', Number(r.n));
    }
    const invocations = await db
      .selectFrom('firing_invocations')
      .select(['rule_arn', 'status'])
      .select((eb) => eb.fn.count<number>('id').as('n'))
      .where('status', 'in', ['SUCCEEDED', 'FAILED'])
      .groupBy(['rule_arn', 'status'])
      .execute();
    for (const r of invocations) {
      this.add(r.rule_arn, 'Invocations', Number(r.n));
      if (r.status === 'FAILED') this.add(r.rule_arn, 'FailedInvocations', Number(r.n));
    }
    const retries = await db
      .selectFrom('firing_attempts')
      .innerJoin('firing_invocations', 'firing_invocations.id', 'firing_attempts.invocation_id')
      .select('firing_invocations.rule_arn')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('firing_attempts.attempt_no', '>', 1)
      .groupBy('firing_invocations.rule_arn')
      .execute();
    for (const r of retries) this.add(r.rule_arn, 'RetryInvocationAttempts', Number(r.n));
    const dlq = await db
      .selectFrom('firing_dead_letters')
      .select('rule_arn')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dlq_arn', 'is not', null)
      .groupBy('rule_arn')
      .execute();
    for (const r of dlq) this.add(r.rule_arn, 'InvocationsSentToDlq', Number(r.n));
  }

  /** Prometheus text exposition format, one counter family per metric, rules sorted. */
  metricsText(): string {
    const rules = [...this.#counts.keys()].sort();
    const lines: string[] = [];
    for (const metric of RULE_METRICS) {
      const { name, help } = PROMETHEUS[metric];
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const arn of rules) {
        const labels = `event_bus="${escapeLabel(busOf(arn))}",rule="${escapeLabel(ruleNameOf(arn))}"`;
        lines.push(`${name}{${labels}} ${this.#counts.get(arn)![metric]}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
