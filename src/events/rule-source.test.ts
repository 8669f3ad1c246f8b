import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ScheduledThing } from '../firing/index.ts';
import type { EventsService } from './events.service.ts';

import {
  CTX,
  ecsTarget,
  eventsFixture,
  rejectsWith,
  RULE_ARN_PREFIX,
  T0,
} from './events.test-support.ts';

const MIN = 60_000;
const ARN = `${RULE_ARN_PREFIX}r`;

describe('ScheduleSource: anchorMs of rate rules', () => {
  it('anchors at creation and keeps the phase on an unchanged re-put', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    assert.equal((await f.events.getScheduled(ARN))?.anchorMs, T0);
    await f.clock.advance(3 * MIN);
    await f.events.putRule(CTX, {
      Name: 'r',
      ScheduleExpression: 'rate(5 minutes)',
      Description: 'd',
    });
    assert.equal((await f.events.getScheduled(ARN))?.anchorMs, T0);
  });

  it('restarts the phase when the expression changes', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    await f.clock.advance(2 * MIN);
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(10 minutes)' });
    assert.equal((await f.events.getScheduled(ARN))?.anchorMs, T0 + 2 * MIN);
  });

  it('restarts the phase on DISABLED → ENABLED only', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    await f.clock.advance(MIN);
    await f.events.disableRule(CTX, { Name: 'r' });
    const disabled = await f.events.getScheduled(ARN);
    assert.equal(disabled?.anchorMs, T0);
    assert.equal(disabled?.enabled, false);
    await f.clock.advance(MIN);
    await f.events.enableRule(CTX, { Name: 'r' });
    assert.equal((await f.events.getScheduled(ARN))?.anchorMs, T0 + 2 * MIN);
    // Enabling an enabled rule changes nothing.
    await f.clock.advance(MIN);
    await f.events.enableRule(CTX, { Name: 'r' });
    assert.equal((await f.events.getScheduled(ARN))?.anchorMs, T0 + 2 * MIN);
    // PutRule with State DISABLED, then ENABLED, restarts as well.
    await f.events.putRule(CTX, {
      Name: 'r',
      ScheduleExpression: 'rate(5 minutes)',
      State: 'DISABLED',
    });
    assert.equal((await f.events.getScheduled(ARN))?.anchorMs, T0 + 2 * MIN);
    await f.clock.advance(MIN);
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    const back = await f.events.getScheduled(ARN);
    assert.equal(back?.anchorMs, T0 + 4 * MIN);
    assert.equal(back?.enabled, true);
  });
});

async function collectPages(source: EventsService, pageSize?: number): Promise<ScheduledThing[][]> {
  const pages: ScheduledThing[][] = [];
  for await (const page of source.scheduledPages(pageSize)) pages.push([...page]);
  return pages;
}

describe('ScheduleSource: scheduled rules', () => {
  it('pages rules with a schedule, enabled or not, in ARN order, without targets', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'cron(0 3 * * ? *)' });
    await f.events.putRule(CTX, {
      Name: 'off',
      ScheduleExpression: 'rate(1 hour)',
      State: 'DISABLED',
    });
    await f.events.putRule(CTX, { Name: 'pattern', EventPattern: '{"source":["x"]}' });
    await f.events.putTargets(CTX, { Rule: 'r', Targets: [ecsTarget('b'), ecsTarget('a')] });
    assert.deepEqual(await collectPages(f.events), [
      [
        {
          arn: `${RULE_ARN_PREFIX}off`,
          name: 'off',
          sourceName: 'default',
          expression: 'rate(1 hour)',
          dialect: 'rule',
          timezone: 'UTC',
          enabled: false,
          anchorMs: T0,
        },
        {
          arn: ARN,
          name: 'r',
          sourceName: 'default',
          expression: 'cron(0 3 * * ? *)',
          dialect: 'rule',
          timezone: 'UTC',
          enabled: true,
          anchorMs: T0,
        },
      ],
    ]);
    // One rule by ARN comes with its targets, in PutTargets order.
    assert.deepEqual((await f.events.getScheduled(ARN))?.targets, [ecsTarget('b'), ecsTarget('a')]);
    assert.equal(await f.events.getScheduled(`${RULE_ARN_PREFIX}pattern`), undefined);
    assert.equal(await f.events.getScheduled(`${RULE_ARN_PREFIX}missing`), undefined);
  });

  it('splits at the page size, skipping rules without a schedule, and reads pages lazily', async () => {
    await using f = await eventsFixture();
    for (const name of ['e', 'a', 'd', 'c', 'b']) {
      await f.events.putRule(CTX, { Name: name, ScheduleExpression: 'rate(5 minutes)' });
    }
    await f.events.putRule(CTX, { Name: 'bb', EventPattern: '{"source":["x"]}' });
    const names = (pages: ScheduledThing[][]) => pages.map((p) => p.map((r) => r.name));
    assert.deepEqual(names(await collectPages(f.events, 2)), [['a', 'b'], ['c', 'd'], ['e']]);
    // A page size that divides the count exactly ends on an empty read, not an empty page.
    await f.events.deleteRule(CTX, { Name: 'e' });
    assert.deepEqual(names(await collectPages(f.events, 2)), [
      ['a', 'b'],
      ['c', 'd'],
    ]);
    assert.deepEqual(names(await collectPages(f.events, 1000)), [['a', 'b', 'c', 'd']]);
    // A rule made while a reader is between pages is seen when its ARN sorts after the cursor.
    const pages = f.events.scheduledPages(2)[Symbol.asyncIterator]();
    assert.deepEqual(
      ((await pages.next()).value as ScheduledThing[]).map((r) => r.name),
      ['a', 'b'],
    );
    await f.events.putRule(CTX, { Name: 'z', ScheduleExpression: 'rate(5 minutes)' });
    await f.events.putRule(CTX, { Name: 'aa', ScheduleExpression: 'rate(5 minutes)' });
    assert.deepEqual(
      ((await pages.next()).value as ScheduledThing[]).map((r) => r.name),
      ['c', 'd'],
    );
    assert.deepEqual(
      ((await pages.next()).value as ScheduledThing[]).map((r) => r.name),
      ['z'],
    );
    assert.equal((await pages.next()).done, true);
  });
});

describe('ScheduleSource: subscribe', () => {
  it('notifies once per committed change, after the commit', async () => {
    await using f = await eventsFixture();
    const seen: string[] = [];
    const reads: Promise<boolean | undefined>[] = [];
    f.events.subscribe((arn) => {
      seen.push(arn);
      // Reading the store from the listener proves the change is committed and visible.
      reads.push(f.events.getScheduled(arn).then((r) => r?.enabled));
    });
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    await f.events.putTargets(CTX, { Rule: 'r', Targets: [ecsTarget()] });
    await f.events.disableRule(CTX, { Name: 'r' });
    await f.events.enableRule(CTX, { Name: 'r' });
    await f.events.removeTargets(CTX, { Rule: 'r', Ids: ['run-job'] });
    await f.events.deleteRule(CTX, { Name: 'r' });
    assert.deepEqual(seen, [ARN, ARN, ARN, ARN, ARN, ARN]);
    assert.deepEqual(await Promise.all(reads), [true, true, false, true, true, undefined]);
  });

  it('stays silent for failures, no-ops and tag changes', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    const seen: string[] = [];
    f.events.subscribe((arn) => seen.push(arn));
    await rejectsWith(
      f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(1 hours)' }),
      'ValidationException',
      'Parameter ScheduleExpression is not valid.',
    );
    await assert.rejects(f.events.putTargets(CTX, { Rule: 'r', Targets: [ecsTarget('bad id')] }));
    await f.events.putTargets(CTX, {
      Rule: 'r',
      Targets: ['1', '2', '3', '4', '5'].map((id) => ecsTarget(id)),
    });
    seen.length = 0;
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'r', Targets: [ecsTarget('6')] }),
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
    );
    await rejectsWith(
      f.events.deleteRule(CTX, { Name: 'r' }),
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    );
    await f.events.deleteRule(CTX, { Name: 'never-was' });
    await f.events.removeTargets(CTX, { Rule: 'r', Ids: ['unknown'] });
    await f.events.tagResource(CTX, { ResourceARN: ARN, Tags: [{ Key: 'k', Value: 'v' }] });
    assert.deepEqual(seen, []);
  });

  it('survives a throwing listener and honours unsubscribe', async () => {
    await using f = await eventsFixture();
    const seen: string[] = [];
    const offThrower = f.events.subscribe(() => {
      throw new Error('listener bug');
    });
    const off = f.events.subscribe((arn) => seen.push(arn));
    assert.deepEqual(
      await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(1 hour)' }),
      {
        RuleArn: ARN,
      },
    );
    assert.deepEqual(seen, [ARN]);
    off();
    offThrower();
    await f.events.disableRule(CTX, { Name: 'r' });
    assert.deepEqual(seen, [ARN]);
  });
});
