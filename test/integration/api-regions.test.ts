/**
 * Regions with real AWS SDK v3 clients (issue 13 item 4): the classic system lives in
 * ap-northeast-1, so a rule and a log group made there carry that region in their ARNs, a
 * us-east-1 client does not see them, the same names live in both regions independently, and
 * tags work through the ap-northeast-1 ARNs. The engine runs on the in-memory runtime behind the
 * real API server, so no Docker is needed and this file always runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand as ListLogTagsCommand,
  PutLogEventsCommand,
  ResourceNotFoundException as LogsNotFound,
  TagResourceCommand as TagLogCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  PutRuleCommand,
  PutTargetsCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';

import { startTestEngine, type TestEngine } from '../../src/engine/engine.fixture.ts';
import { deliveringEcsTarget } from '../../src/events/events.test-support.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';

const ACCOUNT = DEFAULT_CONTEXT.accountId;
const TOKYO = 'ap-northeast-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('regions with AWS SDK v3 (ap-northeast-1 and us-east-1)', () => {
  let fx: TestEngine;
  let eventsTokyo: EventBridgeClient;
  let eventsVirginia: EventBridgeClient;
  let logsTokyo: CloudWatchLogsClient;
  let logsVirginia: CloudWatchLogsClient;

  before(async () => {
    fx = await startTestEngine({ runtime: 'memory' });
    const common = { endpoint: fx.url, credentials, maxAttempts: 1 };
    eventsTokyo = new EventBridgeClient({ ...common, region: TOKYO });
    eventsVirginia = new EventBridgeClient({ ...common, region: 'us-east-1' });
    logsTokyo = new CloudWatchLogsClient({ ...common, region: TOKYO });
    logsVirginia = new CloudWatchLogsClient({ ...common, region: 'us-east-1' });
  });

  after(async () => {
    for (const client of [eventsTokyo, eventsVirginia, logsTokyo, logsVirginia]) client.destroy();
    await fx.close();
  });

  it('EventBridge: a rule made in ap-northeast-1 is of that region and only there', async () => {
    const made = await eventsTokyo.send(
      new PutRuleCommand({ Name: 'classic', ScheduleExpression: 'rate(1 minute)' }),
    );
    assert.equal(made.RuleArn, `arn:aws:events:${TOKYO}:${ACCOUNT}:rule/classic`);
    const target = deliveringEcsTarget('run', { ...DEFAULT_CONTEXT, region: TOKYO }) as Target;
    const put = await eventsTokyo.send(
      new PutTargetsCommand({ Rule: 'classic', Targets: [target] }),
    );
    assert.equal(put.FailedEntryCount, 0);

    const here = await eventsTokyo.send(new ListRulesCommand({}));
    assert.deepEqual(
      here.Rules?.map((r) => r.Arn),
      [made.RuleArn],
    );
    const there = await eventsVirginia.send(new ListRulesCommand({}));
    assert.deepEqual(there.Rules, []);
    await assert.rejects(
      eventsVirginia.send(new DescribeRuleCommand({ Name: 'classic' })),
      (e: unknown) => e instanceof ResourceNotFoundException,
    );
    const buses = await eventsTokyo.send(new ListEventBusesCommand({}));
    assert.equal(
      buses.EventBuses?.[0]?.Arn,
      `arn:aws:events:${TOKYO}:${ACCOUNT}:event-bus/default`,
    );
  });

  it('EventBridge: the same rule name lives in both regions independently', async () => {
    const virginia = await eventsVirginia.send(
      new PutRuleCommand({
        Name: 'classic',
        ScheduleExpression: 'rate(1 hour)',
        State: 'DISABLED',
      }),
    );
    assert.equal(virginia.RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/classic`);
    const tokyo = await eventsTokyo.send(new DescribeRuleCommand({ Name: 'classic' }));
    const mine = await eventsVirginia.send(new DescribeRuleCommand({ Name: 'classic' }));
    assert.deepEqual(
      [tokyo.ScheduleExpression, tokyo.State, mine.ScheduleExpression, mine.State],
      ['rate(1 minute)', 'ENABLED', 'rate(1 hour)', 'DISABLED'],
    );
  });

  it('EventBridge: tags through the ap-northeast-1 ARN; not found from us-east-1', async () => {
    const ResourceARN = `arn:aws:events:${TOKYO}:${ACCOUNT}:rule/classic`;
    await eventsTokyo.send(
      new TagResourceCommand({ ResourceARN, Tags: [{ Key: 'system', Value: 'classic' }] }),
    );
    const tags = await eventsTokyo.send(new ListTagsForResourceCommand({ ResourceARN }));
    assert.deepEqual(tags.Tags, [{ Key: 'system', Value: 'classic' }]);
    await assert.rejects(
      eventsVirginia.send(new ListTagsForResourceCommand({ ResourceARN })),
      (e: unknown) => e instanceof ResourceNotFoundException,
    );
  });

  it('Logs: a group made in ap-northeast-1 is of that region and only there', async () => {
    await logsTokyo.send(new CreateLogGroupCommand({ logGroupName: '/ecs/classic' }));
    const here = await logsTokyo.send(new DescribeLogGroupsCommand({}));
    assert.deepEqual(
      here.logGroups?.map((g) => g.logGroupArn),
      [`arn:aws:logs:${TOKYO}:${ACCOUNT}:log-group:/ecs/classic`],
    );
    assert.equal(
      here.logGroups?.[0]?.arn,
      `arn:aws:logs:${TOKYO}:${ACCOUNT}:log-group:/ecs/classic:*`,
    );
    const there = await logsVirginia.send(new DescribeLogGroupsCommand({}));
    assert.deepEqual(there.logGroups, []);

    const ref = { logGroupName: '/ecs/classic', logStreamName: 'app' };
    await logsTokyo.send(new CreateLogStreamCommand(ref));
    await logsTokyo.send(
      new PutLogEventsCommand({
        ...ref,
        logEvents: [{ timestamp: fx.clock.now(), message: 'ok' }],
      }),
    );
    await assert.rejects(
      logsVirginia.send(new GetLogEventsCommand(ref)),
      (e: unknown) => e instanceof LogsNotFound,
    );
    const read = await logsTokyo.send(new GetLogEventsCommand({ ...ref, startFromHead: true }));
    assert.deepEqual(
      read.events?.map((e) => e.message),
      ['ok'],
    );
  });

  it('Logs: the same group name lives in both regions; tags by the ap-northeast-1 ARN', async () => {
    await logsVirginia.send(
      new CreateLogGroupCommand({ logGroupName: '/ecs/classic', tags: { home: 'virginia' } }),
    );
    const resourceArn = `arn:aws:logs:${TOKYO}:${ACCOUNT}:log-group:/ecs/classic`;
    await logsTokyo.send(new TagLogCommand({ resourceArn, tags: { home: 'tokyo' } }));
    const tokyo = await logsTokyo.send(new ListLogTagsCommand({ resourceArn }));
    assert.deepEqual(tokyo.tags, { home: 'tokyo' });
    const virginia = await logsVirginia.send(
      new ListLogTagsCommand({
        resourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/classic`,
      }),
    );
    assert.deepEqual(virginia.tags, { home: 'virginia' });
    await assert.rejects(
      logsVirginia.send(new ListLogTagsCommand({ resourceArn })),
      (e: unknown) => e instanceof LogsNotFound,
    );
  });
});
