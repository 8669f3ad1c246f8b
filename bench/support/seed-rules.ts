/**
 * Puts many scheduled rules into a store fast, for the firing benchmark's `--source=store`.
 *
 * PutRule one at a time would take minutes at a million rules, so one rule is made through the
 * real EventsService and its row is copied inside SQLite for every rule, changing only the ARN,
 * name, expression and anchor. Every other column is what PutRule itself wrote, so the rows the
 * loop reads back are the rows users' rules produce.
 */
import type { ScheduledThing } from '../../src/firing/index.ts';
import { EventsService } from '../../src/events/events.service.ts';
import type { Clock } from '../../src/platform/clock.ts';
import type { AwsContext } from '../../src/platform/ids.ts';
import type { Store } from '../../src/store/store.ts';

const TEMPLATE = 'bench-template';
/** Rows per transaction: large enough to amortise commits, small enough to report progress. */
const CHUNK = 50_000;

/**
 * Inserts `count` rules, rule `i` being `ruleAt(i)` (its ARN must be under the context's rule
 * prefix), and returns the EventsService over them: the real ScheduleSource of `cronbridge up`.
 */
export async function seedRules(
  store: Store,
  clock: Clock,
  context: AwsContext,
  count: number,
  ruleAt: (i: number) => ScheduledThing,
): Promise<EventsService> {
  const sync = store.sync;
  if (!sync) throw new Error('seeding needs an embedded (SQLite) store');
  const events = new EventsService({ store, clock });
  const { RuleArn: templateArn } = await events.putRule(context, {
    Name: TEMPLATE,
    ScheduleExpression: 'rate(1 hour)',
  });
  const copy = sync.prepare(
    `INSERT INTO events_rules (arn, region, bus_name, name, schedule_expression, event_pattern,
       state, description, role_arn, anchor_ms, created_ms, tags)
     SELECT ?, region, bus_name, ?, ?, event_pattern, ?, description, role_arn, ?, ?, tags
     FROM events_rules WHERE arn = ?`,
  );
  for (let from = 0; from < count; from += CHUNK) {
    await sync.transaction(() => {
      for (let i = from; i < Math.min(count, from + CHUNK); i++) {
        const r = ruleAt(i);
        copy.run(
          r.arn,
          r.name,
          r.expression,
          r.enabled ? 'ENABLED' : 'DISABLED',
          r.anchorMs,
          r.anchorMs,
          templateArn!,
        );
      }
    });
  }
  await events.deleteRule(context, { Name: TEMPLATE });
  return events;
}
