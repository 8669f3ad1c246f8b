/**
 * EventBridge is regional: rules and buses live in the region of the request that made them, and
 * another region neither sees nor reaches them (issue 13 item 4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AwsContext } from '../platform/ids.ts';
import { CTX, ecsTarget, eventsFixture, rejectsWith } from './events.test-support.ts';

const TOKYO: AwsContext = { ...CTX, region: 'ap-northeast-1' };
const TOKYO_RULES = `arn:aws:events:ap-northeast-1:${CTX.accountId}:rule/`;
const TOKYO_BUSES = `arn:aws:events:ap-northeast-1:${CTX.accountId}:event-bus/`;

describe('events regions', () => {
  it('writes the region of the request into rule ARNs and scopes every read to it', async () => {
    await using f = await eventsFixture();
    const { RuleArn } = await f.events.putRule(TOKYO, {
      Name: 'nightly',
      ScheduleExpression: 'rate(5 minutes)',
    });
    assert.equal(RuleArn, `${TOKYO_RULES}nightly`);
    assert.deepEqual(
      (await f.events.listRules(TOKYO)).Rules.map((r) => r.Arn),
      [RuleArn],
    );
    assert.deepEqual((await f.events.listRules(CTX)).Rules, []);
    assert.equal((await f.events.describeRule(TOKYO, { Name: 'nightly' })).Arn, RuleArn);
    await rejectsWith(
      f.events.describeRule(CTX, { Name: 'nightly' }),
      'ResourceNotFoundException',
      'Rule nightly does not exist on EventBus default.',
    );
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsTarget()] }),
      'ResourceNotFoundException',
      'Rule nightly does not exist on EventBus default.',
    );
    await f.events.putTargets(TOKYO, { Rule: 'nightly', Targets: [ecsTarget('t', {}, TOKYO)] });
    const target = ecsTarget('t', {}, TOKYO).Arn;
    assert.deepEqual(
      (await f.events.listRuleNamesByTarget(TOKYO, { TargetArn: target })).RuleNames,
      ['nightly'],
    );
    assert.deepEqual(
      (await f.events.listRuleNamesByTarget(CTX, { TargetArn: target })).RuleNames,
      [],
    );
  });

  it('keeps one name in two regions as two independent rules', async () => {
    await using f = await eventsFixture();
    const here = await f.events.putRule(CTX, { Name: 'job', ScheduleExpression: 'rate(1 hour)' });
    const there = await f.events.putRule(TOKYO, {
      Name: 'job',
      ScheduleExpression: 'rate(5 minutes)',
      State: 'DISABLED',
    });
    assert.notEqual(here.RuleArn, there.RuleArn);
    const a = await f.events.describeRule(CTX, { Name: 'job' });
    const b = await f.events.describeRule(TOKYO, { Name: 'job' });
    assert.deepEqual(
      [a.ScheduleExpression, a.State, b.ScheduleExpression, b.State],
      ['rate(1 hour)', 'ENABLED', 'rate(5 minutes)', 'DISABLED'],
    );
    await f.events.enableRule(TOKYO, { Name: 'job' });
    await f.events.deleteRule(CTX, { Name: 'job' });
    assert.equal((await f.events.describeRule(TOKYO, { Name: 'job' })).State, 'ENABLED');
    await rejectsWith(
      f.events.describeRule(CTX, { Name: 'job' }),
      'ResourceNotFoundException',
      'Rule job does not exist on EventBus default.',
    );
  });

  it('hands the firing loop every region’s scheduled rules, each under its own ARN', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, { Name: 'job', ScheduleExpression: 'rate(1 hour)' });
    await f.events.putRule(TOKYO, { Name: 'job', ScheduleExpression: 'rate(5 minutes)' });
    const things = [];
    for await (const page of f.events.scheduledPages()) things.push(...page);
    assert.deepEqual(things.map((t) => [t.arn, t.expression]).sort(), [
      [`${TOKYO_RULES}job`, 'rate(5 minutes)'],
      [`arn:aws:events:eu-west-1:${CTX.accountId}:rule/job`, 'rate(1 hour)'],
    ]);
    assert.equal((await f.events.getScheduled(`${TOKYO_RULES}job`))?.expression, 'rate(5 minutes)');
  });

  it('gives each region its own default bus and custom buses', async () => {
    await using f = await eventsFixture();
    await f.events.createEventBus(TOKYO, { Name: 'orders' });
    await f.events.createEventBus(CTX, { Name: 'orders', Description: 'here' });
    assert.deepEqual((await f.events.listEventBuses(TOKYO)).EventBuses, [
      { Name: 'default', Arn: `${TOKYO_BUSES}default` },
      {
        Name: 'orders',
        Arn: `${TOKYO_BUSES}orders`,
        CreationTime: f.clock.now(),
        LastModifiedTime: f.clock.now(),
      },
    ]);
    await f.events.putRule(TOKYO, {
      Name: 'on-order',
      EventPattern: '{"source":["shop"]}',
      EventBusName: `${TOKYO_BUSES}orders`,
    });
    // A bus ARN of another region names no bus here, even when a bus of that name exists.
    await rejectsWith(
      f.events.listRules(CTX, { EventBusName: `${TOKYO_BUSES}orders` }),
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
    await rejectsWith(
      f.events.describeEventBus(CTX, { Name: `${TOKYO_BUSES}orders` }),
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
    assert.deepEqual((await f.events.listRules(CTX, { EventBusName: 'orders' })).Rules, []);
    // Deleting one region's bus takes its rules, and leaves the other region's alone.
    await f.events.deleteEventBus(CTX, { Name: 'orders' });
    assert.deepEqual(
      (await f.events.listRules(TOKYO, { EventBusName: 'orders' })).Rules.map((r) => r.Name),
      ['on-order'],
    );
    await f.events.deleteEventBus(TOKYO, { Name: 'orders' });
    await rejectsWith(
      f.events.describeEventBus(TOKYO, { Name: 'orders' }),
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
  });

  it('tags by ARN in the ARN’s own region only', async () => {
    await using f = await eventsFixture();
    const { RuleArn } = await f.events.putRule(TOKYO, {
      Name: 'job',
      ScheduleExpression: 'rate(1 hour)',
    });
    await f.events.putRule(CTX, { Name: 'job', ScheduleExpression: 'rate(1 hour)' });
    await f.events.tagResource(TOKYO, { ResourceARN: RuleArn, Tags: [{ Key: 'k', Value: 'v' }] });
    assert.deepEqual((await f.events.listTagsForResource(TOKYO, { ResourceARN: RuleArn })).Tags, [
      { Key: 'k', Value: 'v' },
    ]);
    const here = `arn:aws:events:eu-west-1:${CTX.accountId}:rule/job`;
    assert.deepEqual((await f.events.listTagsForResource(CTX, { ResourceARN: here })).Tags, []);
    for (const call of [
      f.events.listTagsForResource(CTX, { ResourceARN: RuleArn }),
      f.events.tagResource(CTX, { ResourceARN: RuleArn, Tags: [{ Key: 'x', Value: 'y' }] }),
      f.events.untagResource(CTX, { ResourceARN: RuleArn, TagKeys: ['k'] }),
    ]) {
      await rejectsWith(
        call,
        'ResourceNotFoundException',
        'Rule job does not exist on EventBus default.',
      );
    }
    // The default bus's tags are per region too.
    await f.events.tagResource(TOKYO, {
      ResourceARN: `${TOKYO_BUSES}default`,
      Tags: [{ Key: 'team', Value: 'tokyo' }],
    });
    const hereBus = `arn:aws:events:eu-west-1:${CTX.accountId}:event-bus/default`;
    assert.deepEqual((await f.events.listTagsForResource(CTX, { ResourceARN: hereBus })).Tags, []);
    assert.deepEqual(
      (await f.events.listTagsForResource(TOKYO, { ResourceARN: `${TOKYO_BUSES}default` })).Tags,
      [{ Key: 'team', Value: 'tokyo' }],
    );
    assert.deepEqual(
      (await f.events.listEventBuses(TOKYO)).EventBuses.map((b) => b.Arn),
      [`${TOKYO_BUSES}default`],
    );
  });
});
