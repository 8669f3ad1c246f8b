import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { EcsParameters, RuleTarget } from './target.types.ts';
import {
  CTX,
  CLUSTER_ARN,
  ecsTarget,
  eventsFixture,
  raw,
  rejectsWith,
  ROLE_ARN,
} from './events.test-support.ts';

const OK = { FailedEntryCount: 0, FailedEntries: [] };
const ID_RE = '[\\.\\-_A-Za-z0-9]+';

async function withRule() {
  const f = await eventsFixture();
  await f.events.putRule(CTX, { Name: 'nightly', ScheduleExpression: 'rate(1 hour)' });
  return f;
}

/** An ECS target whose EcsParameters are replaced by `ecs` (merged over the defaults). */
function ecsWith(ecs: Partial<EcsParameters> | Record<string, unknown>): RuleTarget {
  const base = ecsTarget();
  return { ...base, EcsParameters: { ...base.EcsParameters, ...ecs } as EcsParameters };
}

describe('PutTargets', () => {
  it('stores an ECS target and lists it back byte-for-byte', async () => {
    await using f = await withRule();
    const target = ecsTarget();
    assert.deepEqual(await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [target] }), OK);
    assert.deepEqual(await f.events.listTargetsByRule(CTX, { Rule: 'nightly' }), {
      Targets: [target],
    });
  });

  it('accepts what Terraform v3 sends for an ecs_target', async () => {
    await using f = await withRule();
    const target: RuleTarget = {
      Id: 'terraform-20210101000000000000000001',
      Arn: CLUSTER_ARN,
      RoleArn: ROLE_ARN,
      EcsParameters: {
        TaskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/job',
        TaskCount: 1,
        LaunchType: 'EC2',
        EnableECSManagedTags: false,
        EnableExecuteCommand: false,
        PropagateTags: 'TASK_DEFINITION',
        NetworkConfiguration: {
          awsvpcConfiguration: {
            Subnets: ['subnet-1'],
            SecurityGroups: [],
            AssignPublicIp: 'DISABLED',
          },
        },
      },
      RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:dlq' },
    };
    assert.deepEqual(await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [target] }), OK);
    assert.deepEqual((await f.events.listTargetsByRule(CTX, { Rule: 'nightly' })).Targets, [
      target,
    ]);
  });

  it('upserts by Id and keeps the original order', async () => {
    await using f = await withRule();
    await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsTarget('a'), ecsTarget('b')] });
    const replaced = ecsTarget('a', { Input: '{"cpu":"512"}' });
    await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [replaced, ecsTarget('c')] });
    const listed = (await f.events.listTargetsByRule(CTX, { Rule: 'nightly' })).Targets;
    assert.deepEqual(
      listed.map((t) => [t.Id, t.Input]),
      [
        ['a', '{"cpu":"512"}'],
        ['b', ecsTarget().Input],
        ['c', ecsTarget().Input],
      ],
    );
  });

  it('refuses a sixth target and adds none of the request', async () => {
    await using f = await withRule();
    await f.events.putTargets(CTX, {
      Rule: 'nightly',
      Targets: ['t1', 't2', 't3', 't4'].map((id) => ecsTarget(id)),
    });
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsTarget('t5'), ecsTarget('t6')] }),
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
    );
    const ids = (await f.events.listTargetsByRule(CTX, { Rule: 'nightly' })).Targets.map(
      (t) => t.Id,
    );
    assert.deepEqual(ids, ['t1', 't2', 't3', 't4']);
    // Five is allowed, and replacing one of five does not count as a sixth.
    await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsTarget('t5')] });
    assert.deepEqual(
      await f.events.putTargets(CTX, {
        Rule: 'nightly',
        Targets: [ecsTarget('t5', { Input: '{}' })],
      }),
      OK,
    );
  });

  it('refuses more than one input kind', async () => {
    await using f = await withRule();
    await rejectsWith(
      f.events.putTargets(CTX, {
        Rule: 'nightly',
        Targets: [ecsTarget('x', { InputPath: '$.detail' })],
      }),
      'ValidationException',
      'Only one of Input, InputPath, or InputTransformer must be provided for target x.',
    );
  });

  it('checks target ids with AWS’s messages', async () => {
    await using f = await withRule();
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsTarget('bad id!')] }),
      'ValidationException',
      `1 validation error detected: Value 'bad id!' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ID_RE}`,
    );
    const long = 'i'.repeat(65);
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsTarget('ok'), ecsTarget(long)] }),
      'ValidationException',
      `1 validation error detected: Value '${long}' at 'targets.2.member.id' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    assert.deepEqual((await f.events.listTargetsByRule(CTX, { Rule: 'nightly' })).Targets, []);
  });

  it('requires a RoleArn for ECS targets', async () => {
    await using f = await withRule();
    const { RoleArn: _drop, ...noRole } = ecsTarget();
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nightly', Targets: [noRole] }),
      'ValidationException',
      `RoleArn is required for target ${CLUSTER_ARN}.`,
    );
  });

  it('requires the rule to exist', async () => {
    await using f = await eventsFixture();
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nope', Targets: [ecsTarget()] }),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
  });

  it('checks Input size and JSON', async () => {
    await using f = await withRule();
    await rejectsWith(
      f.events.putTargets(CTX, {
        Rule: 'nightly',
        Targets: [ecsTarget('x', { Input: 'not json' })],
      }),
      'ValidationException',
      'Input for target x is not a valid JSON text.',
    );
    const big = `"${'a'.repeat(8191)}"`;
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsTarget('x', { Input: big })] }),
      'ValidationException',
      `1 validation error detected: Value '${big}' at 'targets.1.member.input' failed to satisfy constraint: Member must have length less than or equal to 8192`,
    );
  });

  it('checks InputTransformer placeholders', async () => {
    await using f = await withRule();
    const base = ecsTarget('x');
    delete base.Input;
    const ok: RuleTarget = {
      ...base,
      InputTransformer: {
        InputPathsMap: { t: '$.time' },
        InputTemplate: '{"env": "<t>", "rule": "<aws.events.rule-name>"}',
      },
    };
    assert.deepEqual(await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ok] }), OK);
    const bad: RuleTarget = {
      ...base,
      InputTransformer: { InputPathsMap: { t: '$.time' }, InputTemplate: '{"a": "<missing>"}' },
    };
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nightly', Targets: [bad] }),
      'ValidationException',
      'InputTemplate for target x contains invalid placeholder missing.',
    );
  });

  it('validates EcsParameters model constraints', async () => {
    await using f = await withRule();
    const p = 'targets.1.member.ecsParameters';
    const cases: [Record<string, unknown>, string][] = [
      [
        { TaskDefinitionArn: undefined },
        `Value null at '${p}.taskDefinitionArn' failed to satisfy constraint: Member must not be null`,
      ],
      [
        { TaskDefinitionArn: '' },
        `Value '' at '${p}.taskDefinitionArn' failed to satisfy constraint: Member must have length greater than or equal to 1`,
      ],
      [
        { TaskCount: 0 },
        `Value '0' at '${p}.taskCount' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      ],
      [
        { LaunchType: 'LAMBDA' },
        `Value 'LAMBDA' at '${p}.launchType' failed to satisfy constraint: Member must satisfy enum value set: [EC2, FARGATE, EXTERNAL]`,
      ],
      [
        { PropagateTags: 'SERVICE' },
        `Value 'SERVICE' at '${p}.propagateTags' failed to satisfy constraint: Member must satisfy enum value set: [TASK_DEFINITION]`,
      ],
      [
        {
          NetworkConfiguration: { awsvpcConfiguration: { AssignPublicIp: 'YES', Subnets: ['s'] } },
        },
        `Value 'YES' at '${p}.networkConfiguration.awsvpcConfiguration.assignPublicIp' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`,
      ],
      [
        { NetworkConfiguration: { awsvpcConfiguration: {} } },
        `Value null at '${p}.networkConfiguration.awsvpcConfiguration.subnets' failed to satisfy constraint: Member must not be null`,
      ],
      [
        { Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] },
        `Value '${'k'.repeat(129)}' at '${p}.tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`,
      ],
      [
        { ReferenceId: 'r'.repeat(1025) },
        `Value '${'r'.repeat(1025)}' at '${p}.referenceId' failed to satisfy constraint: Member must have length less than or equal to 1024`,
      ],
    ];
    for (const [ecs, message] of cases) {
      await rejectsWith(
        f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsWith(ecs)] }),
        'ValidationException',
        `1 validation error detected: ${message}`,
      );
    }
    assert.deepEqual((await f.events.listTargetsByRule(CTX, { Rule: 'nightly' })).Targets, []);
  });

  it('applies the ECS rules beyond the model', async () => {
    await using f = await withRule();
    const vpc = (subnets: number, groups: number) => ({
      NetworkConfiguration: {
        awsvpcConfiguration: {
          Subnets: Array.from({ length: subnets }, (_, i) => `subnet-${i}`),
          SecurityGroups: Array.from({ length: groups }, (_, i) => `sg-${i}`),
        },
      },
    });
    const cases: [Record<string, unknown>, string][] = [
      [
        { CapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] },
        'LaunchType and CapacityProviderStrategy cannot both be specified for target run-job.',
      ],
      [vpc(17, 1), 'Subnets for target run-job must contain at most 16 entries.'],
      [vpc(16, 6), 'SecurityGroups for target run-job must contain at most 5 entries.'],
    ];
    for (const [ecs, message] of cases) {
      await rejectsWith(
        f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsWith(ecs)] }),
        'ValidationException',
        message,
      );
    }
    const { EcsParameters: _drop, ...bare } = ecsTarget();
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nightly', Targets: [bare] }),
      'ValidationException',
      'EcsParameters must be provided for target run-job.',
    );
    // A capacity provider strategy alone is fine, and so are 16 subnets and 5 groups.
    const { LaunchType: _lt, ...noLaunchType } = ecsTarget().EcsParameters as EcsParameters;
    const spot: RuleTarget = {
      ...ecsTarget(),
      EcsParameters: {
        ...noLaunchType,
        CapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }],
      },
    };
    assert.deepEqual(await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [spot] }), OK);
    assert.deepEqual(
      await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsWith(vpc(16, 5))] }),
      OK,
    );
  });

  it('checks RetryPolicy ranges and the dead-letter queue ARN', async () => {
    await using f = await withRule();
    const r = 'targets.1.member.retryPolicy';
    await rejectsWith(
      f.events.putTargets(CTX, {
        Rule: 'nightly',
        Targets: [
          ecsTarget('x', {
            RetryPolicy: { MaximumRetryAttempts: 186, MaximumEventAgeInSeconds: 59 },
          }),
        ],
      }),
      'ValidationException',
      `2 validation errors detected: Value '186' at '${r}.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185; Value '59' at '${r}.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60`,
    );
    await rejectsWith(
      f.events.putTargets(CTX, {
        Rule: 'nightly',
        Targets: [ecsTarget('x', { RetryPolicy: { MaximumEventAgeInSeconds: 86401 } })],
      }),
      'ValidationException',
      `1 validation error detected: Value '86401' at '${r}.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 86400`,
    );
    const topic = 'arn:aws:sns:eu-west-1:123456789012:t';
    await rejectsWith(
      f.events.putTargets(CTX, {
        Rule: 'nightly',
        Targets: [ecsTarget('x', { DeadLetterConfig: { Arn: topic } })],
      }),
      'ValidationException',
      `DeadLetterConfig Arn ${topic} for target x is not a valid SQS queue ARN.`,
    );
  });

  it('keeps the parameters of target kinds it cannot invoke, as given', async () => {
    await using f = await withRule();
    const queue: RuleTarget = {
      Id: 'to-queue',
      Arn: 'arn:aws:sqs:eu-west-1:123456789012:jobs.fifo',
      SqsParameters: { MessageGroupId: 'nightly' },
    };
    const http: RuleTarget = {
      Id: 'to-api',
      Arn: 'arn:aws:events:eu-west-1:123456789012:api-destination/hook/abc',
      RoleArn: ROLE_ARN,
      HttpParameters: { HeaderParameters: { 'x-job': 'nightly' }, PathParameterValues: ['a'] },
    };
    assert.deepEqual(
      await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [queue, http] }),
      OK,
    );
    assert.deepEqual(await f.events.listTargetsByRule(CTX, { Rule: 'nightly' }), {
      Targets: [queue, http],
    });
    await rejectsWith(
      f.events.putTargets(CTX, {
        Rule: 'nightly',
        Targets: [{ ...queue, SqsParameters: 'nightly' } as unknown as RuleTarget],
      }),
      'SerializationException',
      "Expected a structure at 'targets.1.member.sqsParameters'.",
    );
  });

  it('refuses a request without targets', async () => {
    await using f = await withRule();
    await rejectsWith(
      f.events.putTargets(CTX, { Rule: 'nightly', Targets: [] }),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await rejectsWith(
      f.events.putTargets(CTX, raw({ Rule: 'nightly' })),
      'ValidationException',
      "1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('RemoveTargets and the target listings', () => {
  it('removes by id and ignores unknown ids', async () => {
    await using f = await withRule();
    await f.events.putTargets(CTX, { Rule: 'nightly', Targets: [ecsTarget('a'), ecsTarget('b')] });
    assert.deepEqual(await f.events.removeTargets(CTX, { Rule: 'nightly', Ids: ['a', 'zzz'] }), OK);
    const ids = (await f.events.listTargetsByRule(CTX, { Rule: 'nightly' })).Targets.map(
      (t) => t.Id,
    );
    assert.deepEqual(ids, ['b']);
    await rejectsWith(
      f.events.removeTargets(CTX, { Rule: 'gone', Ids: ['b'] }),
      'ResourceNotFoundException',
      'Rule gone does not exist on EventBus default.',
    );
  });

  it('pages ListTargetsByRule', async () => {
    await using f = await withRule();
    await f.events.putTargets(CTX, {
      Rule: 'nightly',
      Targets: ['a', 'b', 'c'].map((id) => ecsTarget(id)),
    });
    const first = await f.events.listTargetsByRule(CTX, { Rule: 'nightly', Limit: 2 });
    assert.deepEqual(
      first.Targets.map((t) => t.Id),
      ['a', 'b'],
    );
    assert.equal(typeof first.NextToken, 'string');
    const second = await f.events.listTargetsByRule(CTX, {
      Rule: 'nightly',
      Limit: 2,
      NextToken: first.NextToken,
    });
    assert.deepEqual(
      second.Targets.map((t) => t.Id),
      ['c'],
    );
    assert.equal(second.NextToken, undefined);
    await rejectsWith(
      f.events.listTargetsByRule(CTX, { Rule: 'nope' }),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
  });

  it('finds rule names by target ARN, paged', async () => {
    await using f = await eventsFixture();
    for (const name of ['c', 'a', 'b', 'd']) {
      await f.events.putRule(CTX, { Name: name, ScheduleExpression: 'rate(1 hour)' });
    }
    for (const name of ['c', 'a', 'b']) {
      await f.events.putTargets(CTX, { Rule: name, Targets: [ecsTarget('t1'), ecsTarget('t2')] });
    }
    const other = 'arn:aws:ecs:eu-west-1:123456789012:cluster/other';
    await f.events.putTargets(CTX, { Rule: 'd', Targets: [ecsTarget('t1', { Arn: other })] });
    const first = await f.events.listRuleNamesByTarget(CTX, { TargetArn: CLUSTER_ARN, Limit: 2 });
    assert.deepEqual(first.RuleNames, ['a', 'b']);
    const second = await f.events.listRuleNamesByTarget(CTX, {
      TargetArn: CLUSTER_ARN,
      Limit: 2,
      NextToken: first.NextToken,
    });
    assert.deepEqual(second, { RuleNames: ['c'] });
    assert.deepEqual(await f.events.listRuleNamesByTarget(CTX, { TargetArn: other }), {
      RuleNames: ['d'],
    });
  });
});

describe('PutTargets with repeated ids', () => {
  it('counts an id repeated in one request once, the last entry winning', async () => {
    await using f = await withRule();
    await f.events.putTargets(CTX, {
      Rule: 'nightly',
      Targets: ['1', '2', '3', '4'].map((id) => ecsTarget(id)),
    });
    assert.deepEqual(
      await f.events.putTargets(CTX, {
        Rule: 'nightly',
        Targets: [ecsTarget('5', { Input: '{"n":1}' }), ecsTarget('5', { Input: '{"n":2}' })],
      }),
      OK,
    );
    const listed = (await f.events.listTargetsByRule(CTX, { Rule: 'nightly' })).Targets;
    assert.deepEqual(
      listed.map((t) => [t.Id, t.Input === ecsTarget().Input ? 'default' : t.Input]),
      [
        ['1', 'default'],
        ['2', 'default'],
        ['3', 'default'],
        ['4', 'default'],
        ['5', '{"n":2}'],
      ],
    );
  });
});
