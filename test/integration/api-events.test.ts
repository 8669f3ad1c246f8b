/**
 * EventBridge rules over HTTP with real AWS clients: `@aws-sdk/client-eventbridge`, then Debian's
 * AWS CLI v2, against the API server as `cronbridge up` builds it (createEngine + createEngineApi)
 * on a SQLite file store. Rules are only defined here, never fired, so containers run on the
 * in-memory runtime and no Docker is needed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  EventBridgeServiceException,
  LimitExceededException,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
  type Rule,
  TagResourceCommand,
  type Target,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';

import type { Engine } from '../../src/engine/engine.ts';
import { startTestEngine } from '../../src/engine/engine.fixture.ts';
import { SystemClock } from '../../src/platform/clock.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';
import {
  AWS_CLI,
  awsCli,
  awsCliEnv,
  awsCliGate,
  type AwsCli,
  runProcess,
} from '../support/aws-cli.ts';
import { deliveringEcsTarget } from '../../src/events/events.test-support.ts';

const ACCOUNT = DEFAULT_CONTEXT.accountId;
const REGION = DEFAULT_CONTEXT.region;
const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/`;
const BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/`;
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/jobs`;

/** The ECS target of the reference wire capture, plus retry and dead-letter settings. */
const ecsTarget = (id: string) => deliveringEcsTarget(id, DEFAULT_CONTEXT) as Target;

/** One engine behind the API (the engine fixture), on a SQLite file in a temp dir. */
async function startServer(): Promise<{ url: string; engine: Engine; stop(): Promise<void> }> {
  const fx = await startTestEngine({
    runtime: 'memory',
    clock: new SystemClock(),
    store: 'temp-dir',
    recover: false,
  });
  return { url: fx.url, engine: fx.engine, stop: fx.close };
}

/** Asserts an SDK rejection's error code (`name`), message and HTTP status. */
async function rejects(
  call: Promise<unknown>,
  name: string,
  message: string,
  kind: new (...args: never[]) => Error = EventBridgeServiceException,
): Promise<void> {
  await assert.rejects(call, (err: unknown) => {
    assert.ok(err instanceof kind, `expected ${kind.name}, got ${String(err)}`);
    const e = err as EventBridgeServiceException;
    assert.equal(e.name, name);
    assert.equal(e.message, message);
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });
}

describe('EventBridge over HTTP with @aws-sdk/client-eventbridge', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  let eb: EventBridgeClient;

  before(async () => {
    srv = await startServer();
    eb = new EventBridgeClient({
      endpoint: srv.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });

  after(async () => {
    eb.destroy();
    await srv.stop();
  });

  /** Every rule, page by page, following NextToken as a paginating caller does. */
  async function allRules(input: { NamePrefix?: string; Limit?: number } = {}) {
    const pages: Rule[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await eb.send(new ListRulesCommand({ ...input, NextToken }));
      pages.push(page.Rules ?? []);
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    return pages;
  }

  async function allTargets(Rule: string, Limit?: number) {
    const pages: Target[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await eb.send(new ListTargetsByRuleCommand({ Rule, Limit, NextToken }));
      pages.push(page.Targets ?? []);
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    return pages;
  }

  it('puts a scheduled rule with ECS targets and reads everything back', async () => {
    const put = await eb.send(
      new PutRuleCommand({
        Name: 'nightly',
        ScheduleExpression: 'cron(0 3 * * ? *)',
        Description: 'the nightly job',
        Tags: [{ Key: 'env', Value: 'prod' }],
      }),
    );
    assert.equal(put.RuleArn, `${RULE_ARN}nightly`);
    const described = await eb.send(new DescribeRuleCommand({ Name: 'nightly' }));
    assert.deepEqual(
      {
        Name: described.Name,
        Arn: described.Arn,
        State: described.State,
        Description: described.Description,
        ScheduleExpression: described.ScheduleExpression,
        EventBusName: described.EventBusName,
        CreatedBy: described.CreatedBy,
        EventPattern: described.EventPattern,
      },
      {
        Name: 'nightly',
        Arn: `${RULE_ARN}nightly`,
        State: 'ENABLED',
        Description: 'the nightly job',
        ScheduleExpression: 'cron(0 3 * * ? *)',
        EventBusName: 'default',
        CreatedBy: ACCOUNT,
        EventPattern: undefined,
      },
    );

    const targets = ['a', 'b', 'c'].map(ecsTarget);
    const result = await eb.send(new PutTargetsCommand({ Rule: 'nightly', Targets: targets }));
    assert.equal(result.FailedEntryCount, 0);
    assert.deepEqual(result.FailedEntries, []);
    // One target per page: three pages, the targets exactly as sent.
    const pages = await allTargets('nightly', 1);
    assert.deepEqual(pages, [[targets[0]], [targets[1]], [targets[2]]]);

    const names = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: CLUSTER_ARN }));
    assert.deepEqual(names.RuleNames, ['nightly']);
    const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: put.RuleArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'env', Value: 'prod' }]);

    // The firing loop reads the same rule through the engine's ScheduleSource.
    const scheduled = await srv.engine.events.getScheduled(`${RULE_ARN}nightly`);
    assert.equal(scheduled?.expression, 'cron(0 3 * * ? *)');
    assert.deepEqual(
      scheduled?.targets.map((t) => t.Id),
      ['a', 'b', 'c'],
    );

    const removed = await eb.send(new RemoveTargetsCommand({ Rule: 'nightly', Ids: ['a', 'b'] }));
    assert.equal(removed.FailedEntryCount, 0);
    assert.deepEqual(await allTargets('nightly'), [[targets[2]]]);
  });

  it('pages ListRules with Limit and NextToken, by prefix', async () => {
    for (const name of ['page-1', 'page-2', 'page-3', 'page-4', 'page-5']) {
      await eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(1 hour)' }));
    }
    const pages = await allRules({ NamePrefix: 'page-', Limit: 2 });
    assert.deepEqual(
      pages.map((p) => p.map((r) => r.Name)),
      [['page-1', 'page-2'], ['page-3', 'page-4'], ['page-5']],
    );
    assert.deepEqual(pages[0]?.[0], {
      Name: 'page-1',
      Arn: `${RULE_ARN}page-1`,
      State: 'ENABLED',
      ScheduleExpression: 'rate(1 hour)',
      EventBusName: 'default',
    });
  });

  it('disables, enables and tags a rule', async () => {
    await eb.send(new PutRuleCommand({ Name: 'toggle', ScheduleExpression: 'rate(5 minutes)' }));
    await eb.send(new DisableRuleCommand({ Name: 'toggle' }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'toggle' }))).State, 'DISABLED');
    assert.equal((await srv.engine.events.getScheduled(`${RULE_ARN}toggle`))?.enabled, false);
    await eb.send(new EnableRuleCommand({ Name: 'toggle' }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'toggle' }))).State, 'ENABLED');

    const ResourceARN = `${RULE_ARN}toggle`;
    await eb.send(
      new TagResourceCommand({
        ResourceARN,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await eb.send(new UntagResourceCommand({ ResourceARN, TagKeys: ['a'] }));
    const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN }));
    assert.deepEqual(tags.Tags, [{ Key: 'b', Value: '2' }]);
  });

  it('creates, describes, lists and deletes an event bus; CreationTime is a date', async () => {
    const created = await eb.send(
      new CreateEventBusCommand({ Name: 'orders', Description: 'order events' }),
    );
    assert.equal(created.EventBusArn, `${BUS_ARN}orders`);
    const bus = await eb.send(new DescribeEventBusCommand({ Name: 'orders' }));
    const stored = await srv.engine.events.describeEventBus(DEFAULT_CONTEXT, { Name: 'orders' });
    assert.equal(typeof stored.CreationTime, 'number');
    // Epoch seconds on the wire, parsed back by the SDK to the same millisecond.
    assert.ok(bus.CreationTime instanceof Date);
    assert.equal(bus.CreationTime.getTime(), stored.CreationTime);
    assert.equal(bus.Description, 'order events');
    const listed = await eb.send(new ListEventBusesCommand({}));
    assert.deepEqual(
      listed.EventBuses?.map((b) => b.Name),
      ['default', 'orders'],
    );
    await eb.send(new DeleteEventBusCommand({ Name: 'orders' }));
    await rejects(
      eb.send(new DescribeEventBusCommand({ Name: 'orders' })),
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
      ResourceNotFoundException,
    );
  });

  it('refuses bad calls with AWS errors and changes nothing', async () => {
    await eb.send(new PutRuleCommand({ Name: 'guarded', ScheduleExpression: 'rate(1 day)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'guarded', Targets: [ecsTarget('keep')] }));
    const rulesBefore = await allRules();
    const targetsBefore = await allTargets('guarded');

    await rejects(
      eb.send(new DescribeRuleCommand({ Name: 'ghost' })),
      'ResourceNotFoundException',
      'Rule ghost does not exist on EventBus default.',
      ResourceNotFoundException,
    );
    await rejects(
      eb.send(new PutTargetsCommand({ Rule: 'ghost', Targets: [ecsTarget('x')] })),
      'ResourceNotFoundException',
      'Rule ghost does not exist on EventBus default.',
      ResourceNotFoundException,
    );
    await rejects(
      eb.send(new PutRuleCommand({ Name: 'guarded', ScheduleExpression: 'cron(0 3 * * * *)' })),
      'ValidationException',
      'Parameter ScheduleExpression is not valid.',
    );
    await rejects(
      eb.send(new DeleteRuleCommand({ Name: 'guarded' })),
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    );
    await rejects(
      eb.send(
        new PutTargetsCommand({
          Rule: 'guarded',
          Targets: ['1', '2', '3', '4', '5'].map(ecsTarget),
        }),
      ),
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
      LimitExceededException,
    );
    // The SDK sends what it is given, so a string where the model has an integer reaches us.
    const badCount = ecsTarget('bad');
    (badCount.EcsParameters as unknown as Record<string, unknown>).TaskCount = 'one';
    await rejects(
      eb.send(new PutTargetsCommand({ Rule: 'guarded', Targets: [badCount] })),
      'SerializationException',
      'STRING_VALUE can not be converted to an Integer',
    );
    await rejects(
      eb.send(new ListRulesCommand({ Limit: 'ten' as unknown as number })),
      'SerializationException',
      'STRING_VALUE can not be converted to an Integer',
    );

    assert.deepEqual(await allRules(), rulesBefore);
    assert.deepEqual(await allTargets('guarded'), targetsBefore);
    const described = await eb.send(new DescribeRuleCommand({ Name: 'guarded' }));
    assert.equal(described.ScheduleExpression, 'rate(1 day)');
  });
});

const cliSkip = awsCliGate();
if (cliSkip) console.log(`# ${cliSkip}; skipping the CLI tests`);

describe('EventBridge over HTTP with the AWS CLI v2', { skip: cliSkip }, () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  let cli: AwsCli;
  let confDir: string;

  before(async () => {
    srv = await startServer();
    cli = awsCli(srv.url);
    confDir = mkdtempSync(join(tmpdir(), 'cronbridge-api-events-cli-'));
  });

  after(async () => {
    await srv.stop();
    rmSync(confDir, { recursive: true, force: true });
  });

  it('put-rule, put-targets, describe-rule, list-*, remove-targets, delete-rule', async () => {
    const put = await cli.json<{ RuleArn: string }>(
      'events',
      'put-rule',
      '--name',
      'cli-nightly',
      '--schedule-expression',
      'cron(0 3 * * ? *)',
      '--description',
      'from the cli',
    );
    assert.equal(put.RuleArn, `${RULE_ARN}cli-nightly`);
    for (const name of ['cli-a', 'cli-b']) {
      await cli.json('events', 'put-rule', '--name', name, '--schedule-expression', 'rate(1 hour)');
    }

    const target = ecsTarget('run-job');
    const putTargets = await cli.json(
      'events',
      'put-targets',
      '--rule',
      'cli-nightly',
      '--targets',
      JSON.stringify([target, ecsTarget('second')]),
    );
    assert.deepEqual(putTargets, { FailedEntryCount: 0, FailedEntries: [] });

    assert.deepEqual(await cli.json('events', 'describe-rule', '--name', 'cli-nightly'), {
      Name: 'cli-nightly',
      Arn: `${RULE_ARN}cli-nightly`,
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Description: 'from the cli',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });

    // --page-size makes the CLI follow NextToken page by page and merge the results.
    const targets = await cli.json<{ Targets: Target[] }>(
      'events',
      'list-targets-by-rule',
      '--rule',
      'cli-nightly',
      '--page-size',
      '1',
    );
    assert.deepEqual(targets.Targets, [target, ecsTarget('second')]);
    const rules = await cli.json<{ Rules: Rule[] }>(
      'events',
      'list-rules',
      '--name-prefix',
      'cli-',
      '--page-size',
      '2',
    );
    assert.deepEqual(
      rules.Rules.map((r) => r.Name),
      ['cli-a', 'cli-b', 'cli-nightly'],
    );
    const limited = await cli.json<{ Rules: Rule[]; NextToken?: string }>(
      'events',
      'list-rules',
      '--name-prefix',
      'cli-',
      '--max-items',
      '1',
    );
    assert.deepEqual(
      limited.Rules.map((r) => r.Name),
      ['cli-a'],
    );
    assert.equal(typeof limited.NextToken, 'string');

    assert.deepEqual(
      await cli.json(
        'events',
        'remove-targets',
        '--rule',
        'cli-nightly',
        '--ids',
        'run-job',
        'second',
      ),
      { FailedEntryCount: 0, FailedEntries: [] },
    );
    assert.equal(await cli.json('events', 'delete-rule', '--name', 'cli-nightly'), undefined);
    const gone = await cli.errorCode('events', 'describe-rule', '--name', 'cli-nightly');
    assert.deepEqual(gone, {
      code: 'ResourceNotFoundException',
      message: 'Rule cli-nightly does not exist on EventBus default.',
      exitCode: 254,
    });
  });

  it('creates and describes an event bus', async () => {
    await cli.json('events', 'create-event-bus', '--name', 'cli-bus');
    // Debian's CLI (2.9.x) carries an older events model without the buses' CreationTime and
    // Description, and drops members its model lacks: the SDK test checks the timestamps.
    assert.deepEqual(await cli.json('events', 'describe-event-bus', '--name', 'cli-bus'), {
      Name: 'cli-bus',
      Arn: `${BUS_ARN}cli-bus`,
    });
  });

  it('reports bad calls with the AWS code and message, and changes nothing', async () => {
    await cli.json(
      'events',
      'put-rule',
      '--name',
      'cli-guarded',
      '--schedule-expression',
      'rate(1 day)',
    );
    await cli.json(
      'events',
      'put-targets',
      '--rule',
      'cli-guarded',
      '--targets',
      JSON.stringify([ecsTarget('keep')]),
    );
    const snapshot = async () => ({
      rule: await cli.json('events', 'describe-rule', '--name', 'cli-guarded'),
      targets: await cli.json('events', 'list-targets-by-rule', '--rule', 'cli-guarded'),
      rules: await cli.json('events', 'list-rules'),
    });
    const before = await snapshot();

    assert.deepEqual(await cli.errorCode('events', 'describe-rule', '--name', 'ghost'), {
      code: 'ResourceNotFoundException',
      message: 'Rule ghost does not exist on EventBus default.',
      exitCode: 254,
    });
    assert.deepEqual(
      await cli.errorCode(
        'events',
        'put-rule',
        '--name',
        'cli-guarded',
        '--schedule-expression',
        'cron(0 3 * * * *)',
      ),
      {
        code: 'ValidationException',
        message: 'Parameter ScheduleExpression is not valid.',
        exitCode: 254,
      },
    );
    assert.deepEqual(await cli.errorCode('events', 'delete-rule', '--name', 'cli-guarded'), {
      code: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
      exitCode: 254,
    });

    // The CLI checks member types itself; with its parameter validation off, the wrong type
    // reaches the server, which must refuse it the way AWS's JSON deserializer does.
    const config = join(confDir, 'config');
    writeFileSync(config, '[default]\nparameter_validation = false\n');
    const badTarget = { ...ecsTarget('bad'), RetryPolicy: { MaximumRetryAttempts: 'many' } };
    const res = await runProcess(
      AWS_CLI,
      [
        '--endpoint-url',
        srv.url,
        '--output',
        'json',
        'events',
        'put-targets',
        '--cli-input-json',
        JSON.stringify({ Rule: 'cli-guarded', Targets: [badTarget] }),
      ],
      { env: awsCliEnv({ AWS_CONFIG_FILE: config }) },
    );
    assert.equal(res.code, 254, res.stderr);
    assert.match(
      res.stderr,
      /An error occurred \(SerializationException\) when calling the PutTargets operation.*: STRING_VALUE can not be converted to an Integer/,
    );

    assert.deepEqual(await snapshot(), before);
  });
});
