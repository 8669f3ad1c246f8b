import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { PutRuleInput } from './events.types.ts';
import {
  CTX,
  ecsTarget,
  eventsFixture,
  raw,
  rejectsWith,
  RULE_ARN_PREFIX,
} from './events.test-support.ts';

const NAME_RE = '[\\.\\-_A-Za-z0-9]+';
const INVALID_SCHEDULE = 'Parameter ScheduleExpression is not valid.';

describe('PutRule and DescribeRule', () => {
  it('creates a rule and describes it with every member AWS returns', async () => {
    await using f = await eventsFixture();
    const out = await f.events.putRule(CTX, {
      Name: 'nightly',
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Description: 'runs the job',
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      State: 'ENABLED',
    });
    assert.deepEqual(out, { RuleArn: `${RULE_ARN_PREFIX}nightly` });
    assert.deepEqual(await f.events.describeRule(CTX, { Name: 'nightly' }), {
      Name: 'nightly',
      Arn: `${RULE_ARN_PREFIX}nightly`,
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Description: 'runs the job',
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      EventBusName: 'default',
      CreatedBy: '123456789012',
    });
  });

  it('defaults State to ENABLED and omits members without a value', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(1 minute)' });
    assert.deepEqual(await f.events.describeRule(CTX, { Name: 'r', EventBusName: 'default' }), {
      Name: 'r',
      Arn: `${RULE_ARN_PREFIX}r`,
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      EventBusName: 'default',
      CreatedBy: '123456789012',
    });
  });

  it('stores an event pattern verbatim', async () => {
    await using f = await eventsFixture();
    const pattern = '{"source": ["aws.ecs"]}';
    await f.events.putRule(CTX, { Name: 'p', EventPattern: pattern, State: 'DISABLED' });
    const rule = await f.events.describeRule(CTX, { Name: 'p' });
    assert.equal(rule.EventPattern, pattern);
    assert.equal(rule.State, 'DISABLED');
    assert.equal(rule.ScheduleExpression, undefined);
  });

  it('replaces on update: omitted members reset, Tags ignored, targets kept', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, {
      Name: 'r',
      ScheduleExpression: 'rate(5 minutes)',
      Description: 'first',
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      Tags: [{ Key: 'team', Value: 'a' }],
    });
    await f.events.putTargets(CTX, { Rule: 'r', Targets: [ecsTarget()] });
    const again = await f.events.putRule(CTX, {
      Name: 'r',
      ScheduleExpression: 'rate(10 minutes)',
      State: 'DISABLED',
      Tags: [{ Key: 'team', Value: 'b' }],
    });
    assert.deepEqual(again, { RuleArn: `${RULE_ARN_PREFIX}r` });
    assert.deepEqual(await f.events.describeRule(CTX, { Name: 'r' }), {
      Name: 'r',
      Arn: `${RULE_ARN_PREFIX}r`,
      ScheduleExpression: 'rate(10 minutes)',
      State: 'DISABLED',
      EventBusName: 'default',
      CreatedBy: '123456789012',
    });
    assert.deepEqual(
      await f.events.listTagsForResource(CTX, { ResourceARN: `${RULE_ARN_PREFIX}r` }),
      {
        Tags: [{ Key: 'team', Value: 'a' }],
      },
    );
    const targets = await f.events.listTargetsByRule(CTX, { Rule: 'r' });
    assert.deepEqual(
      targets.Targets.map((t) => t.Id),
      ['run-job'],
    );
  });

  it('rejects invalid schedule expressions with AWS’s message', async () => {
    await using f = await eventsFixture();
    for (const expr of [
      'rate(10 seconds)',
      'rate(10 years)',
      'rate(1 minutes)',
      'rate(5 hour)',
      'rate(0 minutes)',
      'cron(0 3 * * * *)',
      'at(2026-01-01T00:00:00)',
      '',
    ]) {
      await rejectsWith(
        f.events.putRule(CTX, { Name: 'r', ScheduleExpression: expr }),
        'ValidationException',
        INVALID_SCHEDULE,
      );
    }
    assert.deepEqual((await f.events.listRules(CTX)).Rules, []);
  });

  it('requires an event pattern or a schedule expression', async () => {
    await using f = await eventsFixture();
    await rejectsWith(
      f.events.putRule(CTX, { Name: 'r' }),
      'ValidationException',
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    );
  });

  it('allows schedules on the default bus only', async () => {
    await using f = await eventsFixture();
    await f.events.createEventBus(CTX, { Name: 'orders' });
    await rejectsWith(
      f.events.putRule(CTX, {
        Name: 'r',
        ScheduleExpression: 'rate(1 hour)',
        EventBusName: 'orders',
      }),
      'ValidationException',
      'ScheduleExpression is supported only on the default event bus.',
    );
  });

  it('reports a missing bus', async () => {
    await using f = await eventsFixture();
    await rejectsWith(
      f.events.putRule(CTX, { Name: 'r', EventPattern: '{}', EventBusName: 'nope' }),
      'ResourceNotFoundException',
      'Event bus nope does not exist.',
    );
  });

  it('accepts the default bus by ARN', async () => {
    await using f = await eventsFixture();
    const busArn = 'arn:aws:events:eu-west-1:123456789012:event-bus/default';
    await f.events.putRule(CTX, {
      Name: 'r',
      ScheduleExpression: 'rate(1 day)',
      EventBusName: busArn,
    });
    const rule = await f.events.describeRule(CTX, { Name: 'r', EventBusName: busArn });
    assert.equal(rule.EventBusName, 'default');
    assert.equal(rule.Arn, `${RULE_ARN_PREFIX}r`);
  });

  it('refuses event patterns that are not JSON objects', async () => {
    await using f = await eventsFixture();
    await rejectsWith(
      f.events.putRule(CTX, { Name: 'r', EventPattern: '{nope' }),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: the pattern is not valid JSON.',
    );
    await rejectsWith(
      f.events.putRule(CTX, { Name: 'r', EventPattern: '["a"]' }),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: Filter is not an object',
    );
  });

  it('checks model constraints in AWS’s validation format', async () => {
    await using f = await eventsFixture();
    await rejectsWith(
      f.events.putRule(CTX, { Name: 'bad name', ScheduleExpression: 'rate(1 day)' }),
      'ValidationException',
      `1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_RE}`,
    );
    const long = 'a'.repeat(65);
    await rejectsWith(
      f.events.putRule(CTX, { Name: long, ScheduleExpression: 'rate(1 day)' }),
      'ValidationException',
      `1 validation error detected: Value '${long}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    await rejectsWith(
      f.events.putRule(CTX, raw<PutRuleInput>({ ScheduleExpression: 'rate(1 day)' })),
      'ValidationException',
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
    const description = 'd'.repeat(513);
    await rejectsWith(
      f.events.putRule(CTX, {
        Name: 'r',
        ScheduleExpression: 'rate(1 day)',
        Description: description,
        RoleArn: '',
      }),
      'ValidationException',
      `2 validation errors detected: Value '${description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 512; Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
    await rejectsWith(
      f.events.putRule(
        CTX,
        raw<PutRuleInput>({ Name: 'r', ScheduleExpression: 'rate(1 day)', State: 'ON' }),
      ),
      'ValidationException',
      "1 validation error detected: Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
    );
    assert.deepEqual((await f.events.listRules(CTX)).Rules, []);
  });

  it('leaves the rule untouched when an update fails validation', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, {
      Name: 'r',
      ScheduleExpression: 'rate(5 minutes)',
      Description: 'x',
    });
    const before = await f.events.describeRule(CTX, { Name: 'r' });
    await rejectsWith(
      f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(5 minute)' }),
      'ValidationException',
      INVALID_SCHEDULE,
    );
    assert.deepEqual(await f.events.describeRule(CTX, { Name: 'r' }), before);
  });

  it('reports a missing rule with AWS’s message', async () => {
    await using f = await eventsFixture();
    await rejectsWith(
      f.events.describeRule(CTX, { Name: 'nope' }),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await f.events.createEventBus(CTX, { Name: 'orders' });
    await rejectsWith(
      f.events.describeRule(CTX, { Name: 'nope', EventBusName: 'orders' }),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus orders.',
    );
  });

  it('names rules on custom buses rule/<bus>/<name>', async () => {
    await using f = await eventsFixture();
    await f.events.createEventBus(CTX, { Name: 'orders' });
    const out = await f.events.putRule(CTX, {
      Name: 'r',
      EventPattern: '{}',
      EventBusName: 'orders',
    });
    assert.equal(out.RuleArn, `${RULE_ARN_PREFIX}orders/r`);
    // The same name on another bus is another rule.
    await rejectsWith(
      f.events.describeRule(CTX, { Name: 'r' }),
      'ResourceNotFoundException',
      'Rule r does not exist on EventBus default.',
    );
  });
});

describe('ListRules', () => {
  async function withRules(names: string[]) {
    const f = await eventsFixture();
    for (const name of names) {
      await f.events.putRule(CTX, { Name: name, ScheduleExpression: 'rate(1 hour)' });
    }
    return f;
  }

  it('lists rules by name without CreatedBy', async () => {
    await using f = await withRules(['b', 'a']);
    assert.deepEqual(await f.events.listRules(CTX, {}), {
      Rules: [
        {
          Name: 'a',
          Arn: `${RULE_ARN_PREFIX}a`,
          State: 'ENABLED',
          ScheduleExpression: 'rate(1 hour)',
          EventBusName: 'default',
        },
        {
          Name: 'b',
          Arn: `${RULE_ARN_PREFIX}b`,
          State: 'ENABLED',
          ScheduleExpression: 'rate(1 hour)',
          EventBusName: 'default',
        },
      ],
    });
  });

  it('pages with Limit and NextToken', async () => {
    await using f = await withRules(['r1', 'r2', 'r3', 'r4', 'r5']);
    const seen: string[][] = [];
    let token: string | undefined;
    do {
      const page = await f.events.listRules(CTX, { Limit: 2, NextToken: token });
      seen.push(page.Rules.map((r) => r.Name));
      token = page.NextToken;
    } while (token !== undefined);
    assert.deepEqual(seen, [['r1', 'r2'], ['r3', 'r4'], ['r5']]);
  });

  it('gives no NextToken when the page is exactly full', async () => {
    await using f = await withRules(['r1', 'r2']);
    const page = await f.events.listRules(CTX, { Limit: 2 });
    assert.equal(page.NextToken, undefined);
    assert.equal(page.Rules.length, 2);
  });

  it('filters by prefix literally (an underscore is no wildcard)', async () => {
    await using f = await withRules(['job_a', 'jobxa', 'job_b', 'other']);
    const page = await f.events.listRules(CTX, { NamePrefix: 'job_' });
    assert.deepEqual(
      page.Rules.map((r) => r.Name),
      ['job_a', 'job_b'],
    );
    const paged = await f.events.listRules(CTX, { NamePrefix: 'job', Limit: 1 });
    assert.deepEqual(
      paged.Rules.map((r) => r.Name),
      ['job_a'],
    );
    const next = await f.events.listRules(CTX, {
      NamePrefix: 'job',
      Limit: 2,
      NextToken: paged.NextToken,
    });
    assert.deepEqual(
      next.Rules.map((r) => r.Name),
      ['job_b', 'jobxa'],
    );
    assert.equal(next.NextToken, undefined);
  });

  it('validates Limit and NextToken', async () => {
    await using f = await withRules([]);
    await rejectsWith(
      f.events.listRules(CTX, { Limit: 0 }),
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await rejectsWith(
      f.events.listRules(CTX, { Limit: 101 }),
      'ValidationException',
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    await rejectsWith(
      f.events.listRules(CTX, { NextToken: 'garbage' }),
      'ValidationException',
      'The provided NextToken is not valid.',
    );
  });

  it('refuses a NextToken of another operation, or one older than 24 hours', async () => {
    await using f = await withRules(['a', 'b']);
    const { NextToken } = await f.events.listRules(CTX, { Limit: 1 });
    assert.ok(NextToken);
    await rejectsWith(
      f.events.listRuleNamesByTarget(CTX, { TargetArn: 'arn:aws:ecs:x', NextToken }),
      'ValidationException',
      'The provided NextToken is not valid.',
    );
    await f.clock.advance(24 * 60 * 60 * 1000);
    await rejectsWith(
      f.events.listRules(CTX, { NextToken }),
      'ValidationException',
      'The provided NextToken is not valid.',
    );
  });
});

describe('EnableRule, DisableRule, DeleteRule', () => {
  it('switches the state', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    assert.deepEqual(await f.events.disableRule(CTX, { Name: 'r' }), {});
    assert.equal((await f.events.describeRule(CTX, { Name: 'r' })).State, 'DISABLED');
    assert.deepEqual(await f.events.enableRule(CTX, { Name: 'r' }), {});
    assert.equal((await f.events.describeRule(CTX, { Name: 'r' })).State, 'ENABLED');
  });

  it('reports a missing rule on enable and disable', async () => {
    await using f = await eventsFixture();
    for (const op of [
      f.events.enableRule(CTX, { Name: 'x' }),
      f.events.disableRule(CTX, { Name: 'x' }),
    ]) {
      await rejectsWith(
        op,
        'ResourceNotFoundException',
        'Rule x does not exist on EventBus default.',
      );
    }
  });

  it('refuses to delete a rule that has targets', async () => {
    await using f = await eventsFixture();
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    await f.events.putTargets(CTX, { Rule: 'r', Targets: [ecsTarget()] });
    await rejectsWith(
      f.events.deleteRule(CTX, { Name: 'r' }),
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    );
    assert.equal((await f.events.describeRule(CTX, { Name: 'r' })).Name, 'r');
    await f.events.removeTargets(CTX, { Rule: 'r', Ids: ['run-job'] });
    assert.deepEqual(await f.events.deleteRule(CTX, { Name: 'r' }), {});
    await rejectsWith(
      f.events.describeRule(CTX, { Name: 'r' }),
      'ResourceNotFoundException',
      'Rule r does not exist on EventBus default.',
    );
  });

  it('deletes a missing rule without complaint, but not on a missing bus', async () => {
    await using f = await eventsFixture();
    assert.deepEqual(await f.events.deleteRule(CTX, { Name: 'never-was' }), {});
    await rejectsWith(
      f.events.deleteRule(CTX, { Name: 'never-was', EventBusName: 'nope' }),
      'ResourceNotFoundException',
      'Event bus nope does not exist.',
    );
  });
});
