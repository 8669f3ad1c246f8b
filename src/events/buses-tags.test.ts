import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CTX,
  ecsTarget,
  eventsFixture,
  rejectsWith,
  RULE_ARN_PREFIX,
  T0,
} from './events.test-support.ts';

const BUS_PREFIX = 'arn:aws:events:eu-west-1:123456789012:event-bus/';

describe('event buses', () => {
  it('creates, describes, lists and deletes custom buses', async () => {
    await using f = await eventsFixture();
    assert.deepEqual(await f.events.createEventBus(CTX, { Name: 'orders', Description: 'o' }), {
      EventBusArn: `${BUS_PREFIX}orders`,
      Description: 'o',
    });
    assert.deepEqual(await f.events.describeEventBus(CTX, { Name: `${BUS_PREFIX}orders` }), {
      Name: 'orders',
      Arn: `${BUS_PREFIX}orders`,
      Description: 'o',
      CreationTime: T0,
      LastModifiedTime: T0,
    });
    assert.deepEqual(await f.events.describeEventBus(CTX), {
      Name: 'default',
      Arn: `${BUS_PREFIX}default`,
    });
    await f.events.createEventBus(CTX, { Name: 'billing' });
    const first = await f.events.listEventBuses(CTX, { Limit: 2 });
    assert.deepEqual(
      first.EventBuses.map((b) => b.Name),
      ['default', 'billing'],
    );
    const second = await f.events.listEventBuses(CTX, { Limit: 2, NextToken: first.NextToken });
    assert.deepEqual(second, {
      EventBuses: [
        {
          Name: 'orders',
          Arn: `${BUS_PREFIX}orders`,
          Description: 'o',
          CreationTime: T0,
          LastModifiedTime: T0,
        },
      ],
    });
    assert.deepEqual(await f.events.deleteEventBus(CTX, { Name: 'orders' }), {});
    await rejectsWith(
      f.events.describeEventBus(CTX, { Name: 'orders' }),
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
  });

  it('refuses duplicates and the default bus', async () => {
    await using f = await eventsFixture();
    await f.events.createEventBus(CTX, { Name: 'orders' });
    await rejectsWith(
      f.events.createEventBus(CTX, { Name: 'orders' }),
      'ResourceAlreadyExistsException',
      'Event bus orders already exists.',
    );
    await rejectsWith(
      f.events.createEventBus(CTX, { Name: 'default' }),
      'ResourceAlreadyExistsException',
      'Event bus default already exists.',
    );
    await rejectsWith(
      f.events.deleteEventBus(CTX, { Name: 'default' }),
      'ValidationException',
      'Cannot delete event bus default.',
    );
  });

  it('deletes a bus together with its rules and notifies for them', async () => {
    await using f = await eventsFixture();
    await f.events.createEventBus(CTX, { Name: 'orders' });
    await f.events.putRule(CTX, { Name: 'r', EventPattern: '{}', EventBusName: 'orders' });
    await f.events.putTargets(CTX, {
      Rule: 'r',
      EventBusName: 'orders',
      Targets: [ecsTarget()],
    });
    const seen: string[] = [];
    f.events.subscribe((arn) => seen.push(arn));
    await f.events.deleteEventBus(CTX, { Name: 'orders' });
    assert.deepEqual(seen, [`${RULE_ARN_PREFIX}orders/r`]);
    await f.events.createEventBus(CTX, { Name: 'orders' });
    assert.deepEqual((await f.events.listRules(CTX, { EventBusName: 'orders' })).Rules, []);
  });
});

describe('tags', () => {
  it('tags, lists and untags a rule', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, {
      Name: 'r',
      ScheduleExpression: 'rate(1 hour)',
      Tags: [{ Key: 'a', Value: '1' }],
    });
    const ResourceARN = `${RULE_ARN_PREFIX}r`;
    assert.deepEqual(
      await f.events.tagResource(CTX, {
        ResourceARN,
        Tags: [
          { Key: 'b', Value: '2' },
          { Key: 'a', Value: '3' },
        ],
      }),
      {},
    );
    assert.deepEqual(await f.events.listTagsForResource(CTX, { ResourceARN }), {
      Tags: [
        { Key: 'a', Value: '3' },
        { Key: 'b', Value: '2' },
      ],
    });
    assert.deepEqual(await f.events.untagResource(CTX, { ResourceARN, TagKeys: ['a', 'zz'] }), {});
    assert.deepEqual(await f.events.listTagsForResource(CTX, { ResourceARN }), {
      Tags: [{ Key: 'b', Value: '2' }],
    });
  });

  it('reports missing rules and buses with AWS’s messages', async () => {
    await using f = await eventsFixture();
    await rejectsWith(
      f.events.tagResource(CTX, {
        ResourceARN: `${RULE_ARN_PREFIX}nope`,
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await rejectsWith(
      f.events.untagResource(CTX, { ResourceARN: `${RULE_ARN_PREFIX}nope`, TagKeys: ['k'] }),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await rejectsWith(
      f.events.listTagsForResource(CTX, { ResourceARN: `${RULE_ARN_PREFIX}orders/nope` }),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus orders.',
    );
    await rejectsWith(
      f.events.listTagsForResource(CTX, { ResourceARN: `${BUS_PREFIX}orders` }),
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
    // Another account's rule cannot exist here.
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    await rejectsWith(
      f.events.listTagsForResource(CTX, {
        ResourceARN: 'arn:aws:events:eu-west-1:999999999999:rule/r',
      }),
      'ResourceNotFoundException',
      'Rule r does not exist on EventBus default.',
    );
  });

  it('tags buses, the default one included', async () => {
    await using f = await eventsFixture();
    await f.events.createEventBus(CTX, { Name: 'orders', Tags: [{ Key: 'x', Value: '1' }] });
    assert.deepEqual(
      await f.events.listTagsForResource(CTX, { ResourceARN: `${BUS_PREFIX}orders` }),
      {
        Tags: [{ Key: 'x', Value: '1' }],
      },
    );
    const defaultArn = `${BUS_PREFIX}default`;
    assert.deepEqual(await f.events.listTagsForResource(CTX, { ResourceARN: defaultArn }), {
      Tags: [],
    });
    await f.events.tagResource(CTX, {
      ResourceARN: defaultArn,
      Tags: [{ Key: 'env', Value: 'dev' }],
    });
    assert.deepEqual(await f.events.listTagsForResource(CTX, { ResourceARN: defaultArn }), {
      Tags: [{ Key: 'env', Value: 'dev' }],
    });
    // The tag-holding row does not turn the default bus into a second listed bus.
    assert.deepEqual(
      (await f.events.listEventBuses(CTX)).EventBuses.map((b) => b.Name),
      ['default', 'orders'],
    );
  });
});
