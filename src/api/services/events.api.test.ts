/**
 * EventBridge over HTTP, in process (fastify inject): every operation through the server's
 * awsJson dispatch into a real EventsService on an in-memory SQLite store with a ManualClock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { EventsService } from '../../events/events.service.ts';
import { ManualClock } from '../../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../../platform/ids.ts';
import { openStore } from '../../store/open-store.ts';
import { jsonHeaders, T0 } from '../api.test-support.ts';
import type { ApiLogger } from '../api.types.ts';
import { signingServer } from '../signing.test-support.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { eventsApi } from './events.api.ts';
import { deliveringEcsTarget } from '../../events/events.test-support.ts';

const ACCOUNT = DEFAULT_CONTEXT.accountId;
const REGION = DEFAULT_CONTEXT.region;
const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/`;
const BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/`;
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/jobs`;

interface Fixture extends AsyncDisposable {
  server: ApiServer;
  events: EventsService;
  clock: ManualClock;
  logged: unknown[];
}

async function fixture(): Promise<Fixture> {
  const store = await openStore({ dataDir: ':memory:' });
  const clock = new ManualClock(T0);
  const events = new EventsService({ store, clock });
  const logged: unknown[] = [];
  const logger: ApiLogger = { error: (message, detail) => logged.push({ message, detail }) };
  const services = [eventsApi(events)];
  const server = createApiServer({ services, context: DEFAULT_CONTEXT, clock, logger });
  return {
    server: signingServer(server, services, clock),
    events,
    clock,
    logged,
    [Symbol.asyncDispose]: async () => {
      await server.stop();
      await store.close();
    },
  };
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
}

/** One `AWSEvents.<operation>` call; a string body is sent as is (for malformed JSON). */
async function call(fx: Fixture, operation: string, body: unknown): Promise<Reply> {
  const res = await fx.server.inject({
    method: 'POST',
    url: '/',
    headers: jsonHeaders(`AWSEvents.${operation}`),
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.statusCode,
    body: res.body === '' ? {} : (JSON.parse(res.body) as Record<string, unknown>),
    headers: res.headers,
  };
}

/** A call that must succeed; returns the decoded body. */
async function ok(fx: Fixture, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await call(fx, operation, body);
  assert.equal(res.status, 200, `${operation}: ${JSON.stringify(res.body)}`);
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
  return res.body;
}

/** A call that must fail with exactly this `__type` and message, as HTTP 400. */
async function fails(
  fx: Fixture,
  operation: string,
  body: unknown,
  type: string,
  message: string | RegExp,
): Promise<void> {
  const res = await call(fx, operation, body);
  assert.equal(res.status, 400, `${operation}: ${JSON.stringify(res.body)}`);
  assert.equal(res.headers['x-amzn-errortype'], type);
  assert.equal(res.body.__type, type);
  if (typeof message === 'string') assert.equal(res.body.message, message);
  else assert.match(String(res.body.message), message);
}

/** The ECS target of the reference wire capture (aws-semantics.md Appendix A). */
const ecsTarget = (id = 'run-job') =>
  deliveringEcsTarget(id, DEFAULT_CONTEXT) as unknown as Record<string, unknown>;

async function ruleNames(fx: Fixture): Promise<string[]> {
  const listed = (await ok(fx, 'ListRules', {})) as { Rules: { Name: string }[] };
  return listed.Rules.map((r) => r.Name);
}

describe('EventBridge rules over awsJson1.1', () => {
  it('puts, describes, lists, disables and enables a scheduled rule', async () => {
    await using fx = await fixture();
    assert.deepEqual(
      await ok(fx, 'PutRule', {
        Name: 'nightly',
        ScheduleExpression: 'cron(0 3 * * ? *)',
        State: 'ENABLED',
        Description: 'the nightly job',
        Tags: [{ Key: 'env', Value: 'prod' }],
      }),
      { RuleArn: `${RULE_ARN}nightly` },
    );
    assert.deepEqual(await ok(fx, 'DescribeRule', { Name: 'nightly' }), {
      Name: 'nightly',
      Arn: `${RULE_ARN}nightly`,
      State: 'ENABLED',
      Description: 'the nightly job',
      ScheduleExpression: 'cron(0 3 * * ? *)',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
    assert.deepEqual(await ok(fx, 'DisableRule', { Name: 'nightly' }), {});
    assert.equal((await ok(fx, 'DescribeRule', { Name: 'nightly' })).State, 'DISABLED');
    assert.deepEqual(await ok(fx, 'EnableRule', { Name: 'nightly', EventBusName: 'default' }), {});
    assert.equal((await ok(fx, 'DescribeRule', { Name: 'nightly' })).State, 'ENABLED');
    assert.deepEqual(await ok(fx, 'ListTagsForResource', { ResourceARN: `${RULE_ARN}nightly` }), {
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
  });

  it('tells rule listeners (the firing loop) about changes made over HTTP', async () => {
    await using fx = await fixture();
    const seen: string[] = [];
    fx.events.subscribe((arn) => seen.push(arn));
    await ok(fx, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    await ok(fx, 'DisableRule', { Name: 'r' });
    assert.deepEqual(seen, [`${RULE_ARN}r`, `${RULE_ARN}r`]);
    const scheduled = await fx.events.getScheduled(`${RULE_ARN}r`);
    assert.equal(scheduled?.enabled, false);
    assert.equal(scheduled?.anchorMs, T0);
  });

  it('pages ListRules by NamePrefix, Limit and NextToken', async () => {
    await using fx = await fixture();
    for (const name of ['job-a', 'job-b', 'job-c', 'other']) {
      await ok(fx, 'PutRule', { Name: name, ScheduleExpression: 'rate(1 hour)' });
    }
    const first = (await ok(fx, 'ListRules', { NamePrefix: 'job-', Limit: 2 })) as {
      Rules: { Name: string; Arn: string }[];
      NextToken?: string;
    };
    assert.deepEqual(
      first.Rules.map((r) => r.Name),
      ['job-a', 'job-b'],
    );
    assert.equal(typeof first.NextToken, 'string');
    // List items carry no CreatedBy [aws-verified].
    assert.deepEqual(first.Rules[0], {
      Name: 'job-a',
      Arn: `${RULE_ARN}job-a`,
      State: 'ENABLED',
      ScheduleExpression: 'rate(1 hour)',
      EventBusName: 'default',
    });
    const second = await ok(fx, 'ListRules', {
      NamePrefix: 'job-',
      Limit: 2,
      NextToken: first.NextToken,
    });
    assert.deepEqual(
      (second.Rules as { Name: string }[]).map((r) => r.Name),
      ['job-c'],
    );
    assert.equal(second.NextToken, undefined);
  });

  it('stores an ECS target as sent and lists it back, by rule and by target', async () => {
    await using fx = await fixture();
    await ok(fx, 'PutRule', { Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)' });
    assert.deepEqual(await ok(fx, 'PutTargets', { Rule: 'nightly', Targets: [ecsTarget()] }), {
      FailedEntryCount: 0,
      FailedEntries: [],
    });
    assert.deepEqual(await ok(fx, 'ListTargetsByRule', { Rule: 'nightly' }), {
      Targets: [ecsTarget()],
    });
    assert.deepEqual(await ok(fx, 'ListRuleNamesByTarget', { TargetArn: CLUSTER_ARN }), {
      RuleNames: ['nightly'],
    });

    await ok(fx, 'PutTargets', { Rule: 'nightly', Targets: [ecsTarget('second')] });
    const page1 = await ok(fx, 'ListTargetsByRule', { Rule: 'nightly', Limit: 1 });
    assert.deepEqual(
      (page1.Targets as { Id: string }[]).map((t) => t.Id),
      ['run-job'],
    );
    const page2 = await ok(fx, 'ListTargetsByRule', {
      Rule: 'nightly',
      Limit: 1,
      NextToken: page1.NextToken,
    });
    assert.deepEqual(
      (page2.Targets as { Id: string }[]).map((t) => t.Id),
      ['second'],
    );
    assert.equal(page2.NextToken, undefined);

    assert.deepEqual(await ok(fx, 'RemoveTargets', { Rule: 'nightly', Ids: ['run-job'] }), {
      FailedEntryCount: 0,
      FailedEntries: [],
    });
    const left = await ok(fx, 'ListTargetsByRule', { Rule: 'nightly' });
    assert.deepEqual(
      (left.Targets as { Id: string }[]).map((t) => t.Id),
      ['second'],
    );
  });

  it('refuses DeleteRule while the rule has targets, and changes nothing', async () => {
    await using fx = await fixture();
    await ok(fx, 'PutRule', { Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)' });
    await ok(fx, 'PutTargets', { Rule: 'nightly', Targets: [ecsTarget()] });
    await fails(
      fx,
      'DeleteRule',
      { Name: 'nightly' },
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    );
    assert.equal((await ok(fx, 'DescribeRule', { Name: 'nightly' })).Name, 'nightly');
    assert.deepEqual(await ok(fx, 'ListTargetsByRule', { Rule: 'nightly' }), {
      Targets: [ecsTarget()],
    });

    await ok(fx, 'RemoveTargets', { Rule: 'nightly', Ids: ['run-job'] });
    assert.deepEqual(await ok(fx, 'DeleteRule', { Name: 'nightly' }), {});
    await fails(
      fx,
      'DescribeRule',
      { Name: 'nightly' },
      'ResourceNotFoundException',
      'Rule nightly does not exist on EventBus default.',
    );
    // Deleting a rule that is gone succeeds [doc].
    assert.deepEqual(await ok(fx, 'DeleteRule', { Name: 'nightly' }), {});
  });

  it('answers AWS errors for unknown rules, bad schedules and broken targets', async () => {
    await using fx = await fixture();
    for (const [op, body] of [
      ['DescribeRule', { Name: 'ghost' }],
      ['EnableRule', { Name: 'ghost' }],
      ['DisableRule', { Name: 'ghost' }],
      ['ListTargetsByRule', { Rule: 'ghost' }],
      ['PutTargets', { Rule: 'ghost', Targets: [ecsTarget()] }],
      ['TagResource', { ResourceARN: `${RULE_ARN}ghost`, Tags: [{ Key: 'a', Value: 'b' }] }],
    ] as const) {
      await fails(
        fx,
        op,
        body,
        'ResourceNotFoundException',
        'Rule ghost does not exist on EventBus default.',
      );
    }
    await fails(
      fx,
      'PutRule',
      { Name: 'bad', ScheduleExpression: 'cron(0 3 * * * *)' },
      'ValidationException',
      'Parameter ScheduleExpression is not valid.',
    );
    await fails(
      fx,
      'PutRule',
      { Name: 'bad name!', ScheduleExpression: 'rate(5 minutes)' },
      'ValidationException',
      "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+',
    );
    assert.deepEqual(await ruleNames(fx), []);

    await ok(fx, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    const { RoleArn: _role, ...noRole } = ecsTarget();
    await fails(
      fx,
      'PutTargets',
      { Rule: 'r', Targets: [noRole] },
      'ValidationException',
      `RoleArn is required for target ${CLUSTER_ARN}.`,
    );
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ecsTarget(id));
    await fails(
      fx,
      'PutTargets',
      { Rule: 'r', Targets: six },
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
    );
    assert.deepEqual(await ok(fx, 'ListTargetsByRule', { Rule: 'r' }), { Targets: [] });
  });

  it('refuses members of the wrong JSON type before the service sees them', async () => {
    await using fx = await fixture();
    await ok(fx, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    await fails(
      fx,
      'ListRules',
      { Limit: '5' },
      'SerializationException',
      'STRING_VALUE can not be converted to an Integer',
    );
    const badCount = ecsTarget();
    (badCount.EcsParameters as Record<string, unknown>).TaskCount = '1';
    await fails(
      fx,
      'PutTargets',
      { Rule: 'r', Targets: [badCount] },
      'SerializationException',
      'STRING_VALUE can not be converted to an Integer',
    );
    const badSubnets = ecsTarget();
    (
      (badSubnets.EcsParameters as { NetworkConfiguration: { awsvpcConfiguration: object } })
        .NetworkConfiguration.awsvpcConfiguration as Record<string, unknown>
    ).Subnets = 'subnet-0123';
    await fails(
      fx,
      'PutTargets',
      { Rule: 'r', Targets: [badSubnets] },
      'SerializationException',
      'STRING_VALUE can not be converted to a List',
    );
    await fails(
      fx,
      'PutRule',
      { Name: 'r', ScheduleExpression: 'rate(1 hour)', Tags: { env: 'prod' } },
      'SerializationException',
      'Start of structure or map found where not expected.',
    );
    await fails(
      fx,
      'DeleteRule',
      { Name: 'r', Force: 'yes' },
      'SerializationException',
      'STRING_VALUE can not be converted to a Boolean',
    );
    await fails(
      fx,
      'PutRule',
      '{"Name": "r", "ScheduleExpression": ',
      'SerializationException',
      'The request body could not be parsed as JSON.',
    );
    // Nothing of the refused calls reached the store.
    assert.deepEqual(await ok(fx, 'DescribeRule', { Name: 'r' }), {
      Name: 'r',
      Arn: `${RULE_ARN}r`,
      State: 'ENABLED',
      ScheduleExpression: 'rate(5 minutes)',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
    assert.deepEqual(await ok(fx, 'ListTargetsByRule', { Rule: 'r' }), { Targets: [] });
    assert.deepEqual(fx.logged, []);
  });

  it('ignores members it does not model, and treats null as absent', async () => {
    await using fx = await fixture();
    await ok(fx, 'PutRule', {
      Name: 'r',
      ScheduleExpression: 'rate(5 minutes)',
      Description: null,
      SomethingNew: { x: 1 },
    });
    const described = await ok(fx, 'DescribeRule', { Name: 'r' });
    assert.equal(described.Description, undefined);
  });

  it('creates, describes, lists and deletes event buses, with timestamps in epoch seconds', async () => {
    await using fx = await fixture();
    await fx.clock.set(T0 + 1500);
    assert.deepEqual(
      await ok(fx, 'CreateEventBus', {
        Name: 'orders',
        Description: 'order events',
        Tags: [{ Key: 'team', Value: 'shop' }],
      }),
      { EventBusArn: `${BUS_ARN}orders`, Description: 'order events' },
    );
    const orders = {
      Name: 'orders',
      Arn: `${BUS_ARN}orders`,
      Description: 'order events',
      CreationTime: (T0 + 1500) / 1000,
      LastModifiedTime: (T0 + 1500) / 1000,
    };
    assert.deepEqual(await ok(fx, 'DescribeEventBus', { Name: 'orders' }), orders);
    assert.deepEqual(await ok(fx, 'DescribeEventBus', {}), {
      Name: 'default',
      Arn: `${BUS_ARN}default`,
    });
    assert.deepEqual(await ok(fx, 'ListEventBuses', {}), {
      EventBuses: [{ Name: 'default', Arn: `${BUS_ARN}default` }, orders],
    });
    assert.deepEqual(await ok(fx, 'ListEventBuses', { NamePrefix: 'ord' }), {
      EventBuses: [orders],
    });
    assert.deepEqual(await ok(fx, 'ListTagsForResource', { ResourceARN: `${BUS_ARN}orders` }), {
      Tags: [{ Key: 'team', Value: 'shop' }],
    });
    await fails(
      fx,
      'CreateEventBus',
      { Name: 'orders' },
      'ResourceAlreadyExistsException',
      'Event bus orders already exists.',
    );

    // A pattern rule on the custom bus: its ARN carries the bus name.
    assert.deepEqual(
      await ok(fx, 'PutRule', {
        Name: 'paid',
        EventBusName: 'orders',
        EventPattern: '{"source":["shop"]}',
      }),
      { RuleArn: `${RULE_ARN}orders/paid` },
    );
    await fails(
      fx,
      'DescribeRule',
      { Name: 'paid' },
      'ResourceNotFoundException',
      'Rule paid does not exist on EventBus default.',
    );
    assert.equal(
      (await ok(fx, 'DescribeRule', { Name: 'paid', EventBusName: `${BUS_ARN}orders` }))
        .EventPattern,
      '{"source":["shop"]}',
    );

    assert.deepEqual(await ok(fx, 'DeleteEventBus', { Name: 'orders' }), {});
    await fails(
      fx,
      'DescribeEventBus',
      { Name: 'orders' },
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
    await fails(
      fx,
      'ListRules',
      { EventBusName: 'orders' },
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
  });

  it('tags and untags a rule', async () => {
    await using fx = await fixture();
    await ok(fx, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    const ResourceARN = `${RULE_ARN}r`;
    assert.deepEqual(
      await ok(fx, 'TagResource', {
        ResourceARN,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
      {},
    );
    assert.deepEqual(await ok(fx, 'UntagResource', { ResourceARN, TagKeys: ['a'] }), {});
    assert.deepEqual(await ok(fx, 'ListTagsForResource', { ResourceARN }), {
      Tags: [{ Key: 'b', Value: '2' }],
    });
  });

  it('answers UnknownOperationException for operations cronbridge does not have', async () => {
    await using fx = await fixture();
    const res = await call(fx, 'PutEvents', { Entries: [] });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'UnknownOperationException');
  });
});
