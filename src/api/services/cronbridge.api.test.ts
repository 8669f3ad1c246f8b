/**
 * cronbridge's own API over HTTP, through the CLI's typed client, on an engine whose scheduled
 * rule fires (ManualClock) into a target that cannot run: every slot leaves an invocation with
 * a failed attempt and a dead letter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { memoryEngine, type MemoryEngine, T0 } from '../../cli/client/client.test-support.ts';
import { CronbridgeClient, CronbridgeServiceError } from '../../cli/client/cronbridge.client.ts';
import { defaultNetwork } from '../../engine/engine.test-support.ts';
import { SystemClock } from '../../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../../platform/ids.ts';
import { createServiceRoles, engineRoles } from '../../engine/service-roles.test-support.ts';

const RULE_ARN = 'arn:aws:events:us-east-1:000000000000:rule/r';
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';
const MIN = 60_000;

async function rejects(promise: Promise<unknown>, code: string, message?: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof CronbridgeServiceError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.$fault, 'client');
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('cronbridge API: GetRuleHistory, ListDeadLetters, GetNextSlots', () => {
  let fx: MemoryEngine;
  let client: CronbridgeClient;

  before(async () => {
    fx = await memoryEngine();
    client = new CronbridgeClient({
      endpoint: fx.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      // Signed at wall-clock time, as the engine fixture's server checks it.
      clock: new SystemClock(),
    });
    const { events } = fx.engine;
    // The rule's role exists and may run tasks: what fails is the missing task definition.
    await createServiceRoles(engineRoles(fx.engine.iam));
    const net = await defaultNetwork(fx.engine);
    await fx.engine.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'seed' });
    await events.putRule(DEFAULT_CONTEXT, { Name: 'r', ScheduleExpression: 'rate(1 minute)' });
    await events.putTargets(DEFAULT_CONTEXT, {
      Rule: 'r',
      Targets: [
        {
          Id: 'gone',
          Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/seed',
          RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
          DeadLetterConfig: { Arn: DLQ },
          EcsParameters: {
            TaskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/missing',
            LaunchType: 'FARGATE',
            NetworkConfiguration: { awsvpcConfiguration: { Subnets: net.subnets } },
          },
        },
      ],
    });
    await events.putRule(DEFAULT_CONTEXT, {
      Name: 'quiet',
      ScheduleExpression: 'cron(0 12 * * ? *)',
    });
    for (let i = 0; i < 5; i++) {
      await fx.clock.advance(MIN);
      await fx.engine.invoker.idle();
    }
  });

  after(async () => {
    await fx[Symbol.asyncDispose]();
  });

  it('pages a rule history oldest first with MaxResults and NextToken', async () => {
    const nominal: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.getRuleHistory({
        Rule: 'r',
        MaxResults: 2,
        ...(token ? { NextToken: token } : {}),
      });
      assert.equal(page.RuleArn, RULE_ARN);
      assert.ok(page.Slots.length <= 2);
      nominal.push(...page.Slots.map((s) => s.NominalTime * 1000));
      token = page.NextToken;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(
      nominal,
      [1, 2, 3, 4, 5].map((k) => T0 + k * MIN),
    );
  });

  it('reports each slot with its invocation and failed attempt', async () => {
    const { Slots } = await client.getRuleHistory({ Rule: RULE_ARN, MaxResults: 1 });
    const slot = Slots[0];
    assert.equal(slot?.Status, 'FIRED');
    assert.equal(slot?.SlotCount, 1);
    assert.equal(slot?.FiredTime, slot?.NominalTime);
    assert.equal(slot?.LagMillis, 0);
    const inv = slot?.Invocations[0];
    assert.equal(inv?.TargetId, 'gone');
    assert.equal(inv?.Status, 'FAILED');
    assert.deepEqual(inv?.TaskArns, []);
    assert.deepEqual(
      inv?.Attempts.map((a) => [a.AttemptNumber, a.Outcome, a.Retryable, a.ErrorCode]),
      [[1, 'FAILED', false, 'ClientException']],
    );
  });

  it('bounds slots by StartTime ≤ nominal < EndTime', async () => {
    const { Slots, NextToken } = await client.getRuleHistory({
      Rule: 'r',
      StartTime: (T0 + 2 * MIN) / 1000,
      EndTime: (T0 + 4 * MIN) / 1000,
    });
    assert.deepEqual(
      Slots.map((s) => s.NominalTime * 1000),
      [T0 + 2 * MIN, T0 + 3 * MIN],
    );
    assert.equal(NextToken, undefined);
  });

  it('rejects bad input the AWS way', async () => {
    await rejects(
      client.getRuleHistory({ Rule: 'r', MaxResults: 101 }),
      'ValidationException',
      /^1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100$/,
    );
    await rejects(
      client.getRuleHistory({ Rule: 'r', NextToken: 'garbage' }),
      'ValidationException',
      /NextToken is not valid/,
    );
    await rejects(
      client.getRuleHistory({ Rule: 'r', MaxResults: '2' as unknown as number }),
      'SerializationException',
    );
    await rejects(
      client.getRuleHistory({} as { Rule: string }),
      'ValidationException',
      /at 'rule' failed to satisfy constraint: Member must not be null/,
    );
    await rejects(
      client.getRuleHistory({ Rule: 'no-such-rule' }),
      'ResourceNotFoundException',
      /^Rule no-such-rule does not exist on EventBus default\.$/,
    );
    await rejects(client.getNextSlots({ RuleArns: [] }), 'ValidationException');
  });

  it('lists dead letters oldest first, paged, filtered by rule', async () => {
    const letters = [];
    let token: string | undefined;
    do {
      const page = await client.listDeadLetters({
        MaxResults: 2,
        ...(token ? { NextToken: token } : {}),
      });
      letters.push(...page.DeadLetters);
      token = page.NextToken;
    } while (token);
    assert.equal(letters.length, 5);
    assert.deepEqual(
      letters.map((d) => (d.EventTime === undefined ? undefined : d.EventTime * 1000)),
      [1, 2, 3, 4, 5].map((k) => T0 + k * MIN),
    );
    const first = letters[0];
    assert.equal(first?.RuleName, 'r');
    assert.equal(first?.RuleArn, RULE_ARN);
    assert.equal(first?.DeadLetterArn, DLQ);
    assert.equal(first?.ErrorCode, 'ClientException');
    assert.equal(first?.Attempts, 1);
    assert.equal(first?.ExhaustedCondition, undefined, 'a non-retriable error exhausts nothing');
    assert.equal(
      (JSON.parse(first?.Event ?? '{}') as { resources: string[] }).resources[0],
      RULE_ARN,
    );
    assert.equal((await client.listDeadLetters({ Rule: 'quiet' })).DeadLetters.length, 0);
    assert.equal((await client.listDeadLetters({ Rule: RULE_ARN })).DeadLetters.length, 5);
    await rejects(client.listDeadLetters({ Rule: 'nope' }), 'ResourceNotFoundException');
  });

  it('lists the dead letters of the request region only, unless asked for a rule ARN', async () => {
    const tokyo = new CronbridgeClient({
      endpoint: fx.url,
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      // Signed at wall-clock time, as the engine fixture's server checks it.
      clock: new SystemClock(),
    });
    assert.equal((await tokyo.listDeadLetters({})).DeadLetters.length, 0);
    assert.equal((await tokyo.listDeadLetters({ Rule: RULE_ARN })).DeadLetters.length, 5);
    await rejects(tokyo.listDeadLetters({ Rule: 'r' }), 'ResourceNotFoundException');
  });

  it('GetNextSlots answers what the firing loop has indexed', async () => {
    const quiet = 'arn:aws:events:us-east-1:000000000000:rule/quiet';
    const unknown = 'arn:aws:events:us-east-1:000000000000:rule/nope';
    const { Slots } = await client.getNextSlots({ RuleArns: [RULE_ARN, quiet, unknown] });
    assert.deepEqual(Slots, [
      { RuleArn: RULE_ARN, NextSlotTime: (T0 + 6 * MIN) / 1000 },
      { RuleArn: quiet, NextSlotTime: Date.UTC(2026, 6, 1, 12) / 1000 },
      { RuleArn: unknown },
    ]);
  });

  it('keeps the history of a deleted rule, found by name', async () => {
    await fx.engine.events.removeTargets(DEFAULT_CONTEXT, { Rule: 'r', Ids: ['gone'] });
    await fx.engine.events.deleteRule(DEFAULT_CONTEXT, { Name: 'r' });
    const { RuleArn, Slots } = await client.getRuleHistory({ Rule: 'r' });
    assert.equal(RuleArn, RULE_ARN);
    assert.equal(Slots.length, 5);
    assert.deepEqual((await client.getNextSlots({ RuleArns: [RULE_ARN] })).Slots, [
      { RuleArn: RULE_ARN },
    ]);
  });
});
