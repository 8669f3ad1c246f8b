import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ecsTarget } from './test-support/ecs-target.ts';
import { startedByFor, toRunTaskRequest } from './ecs-target.map.ts';
import { buildScheduledEvent, formatEventTime } from './scheduled-event.build.ts';

const CTX = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };
const RULE = 'arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule';

describe('Scheduled Event', () => {
  it('has AWS key order and the nominal time at second precision', () => {
    const event = buildScheduledEvent({
      ruleArn: RULE,
      nominalMs: Date.parse('2015-10-08T16:53:06.789Z'),
      context: CTX,
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    });
    assert.equal(
      JSON.stringify(event),
      '{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event",' +
        '"source":"aws.events","account":"123456789012","time":"2015-10-08T16:53:06Z",' +
        '"region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"],' +
        '"detail":{}}',
    );
    assert.equal(formatEventTime(Date.parse('2026-01-01T00:00:00Z')), '2026-01-01T00:00:00Z');
  });
});

describe('ECS target → RunTask', () => {
  const event = buildScheduledEvent({ ruleArn: RULE, nominalMs: 0, context: CTX, id: 'e-1' });

  it('cuts startedBy to 36 characters', () => {
    assert.equal(
      startedByFor('prd-recommend-batch-even-hours-job'),
      'events-rule/prd-recommend-batch-even',
    );
    assert.equal(startedByFor('short'), 'events-rule/short');
  });

  it('maps every EcsParameters member and Input to overrides', () => {
    const target = ecsTarget('t1', {
      Input: '{"containerOverrides":[{"name":"app","command":["python","job.py"]}]}',
      EcsParameters: {
        TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/batch:3',
        TaskCount: 2,
        LaunchType: 'FARGATE',
        NetworkConfiguration: {
          awsvpcConfiguration: {
            Subnets: ['subnet-1'],
            SecurityGroups: ['sg-1'],
            AssignPublicIp: 'DISABLED',
          },
        },
        PlatformVersion: '1.4.0',
        Group: 'nightly',
        PropagateTags: 'TASK_DEFINITION',
        Tags: [{ Key: 'team', Value: 'data' }],
        EnableECSManagedTags: true,
        EnableExecuteCommand: false,
        ReferenceId: 'ref-1',
      },
    });
    const r = toRunTaskRequest(RULE, target, event, '1970-01-01T00:00:00Z');
    assert.deepEqual(r, {
      ok: true,
      request: {
        cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs',
        taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/batch:3',
        count: 2,
        startedBy: 'events-rule/my-scheduled-rule',
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-1'],
            securityGroups: ['sg-1'],
            assignPublicIp: 'DISABLED',
          },
        },
        platformVersion: '1.4.0',
        group: 'nightly',
        propagateTags: 'TASK_DEFINITION',
        tags: [{ key: 'team', value: 'data' }],
        enableECSManagedTags: true,
        enableExecuteCommand: false,
        referenceId: 'ref-1',
        overrides: { containerOverrides: [{ name: 'app', command: ['python', 'job.py'] }] },
      },
    });
  });

  it('leaves group and overrides unset without Group and input', () => {
    const r = toRunTaskRequest(RULE, ecsTarget(), event, 'x');
    assert.ok(r.ok);
    assert.equal('group' in r.request, false);
    assert.equal('overrides' in r.request, false);
    assert.equal(r.request.count, 1);
  });

  it('applies InputTransformer to the event', () => {
    const target = ecsTarget('t1', {
      InputTransformer: {
        InputPathsMap: { t: '$.time' },
        InputTemplate:
          '{"containerOverrides":[{"name":"app","environment":[{"name":"SLOT","value":"<t>"},{"name":"RULE","value":"<aws.events.rule-name>"}]}]}',
      },
    });
    const r = toRunTaskRequest(RULE, target, event, 'x');
    assert.ok(r.ok);
    assert.deepEqual(r.request.overrides, {
      containerOverrides: [
        {
          name: 'app',
          environment: [
            { name: 'SLOT', value: '1970-01-01T00:00:00Z' },
            { name: 'RULE', value: 'my-scheduled-rule' },
          ],
        },
      ],
    });
  });

  it('rejects non-ECS targets and inputs that are not a TaskOverride object', () => {
    const sqs = ecsTarget('q', { Arn: 'arn:aws:sqs:us-east-1:123456789012:queue' });
    assert.deepEqual(toRunTaskRequest(RULE, sqs, event, 'x'), {
      ok: false,
      code: 'UnsupportedTargetType',
      message:
        'Target type not supported yet: arn:aws:sqs:us-east-1:123456789012:queue (only ECS cluster targets can be invoked).',
    });
    const path = ecsTarget('p', { InputPath: '$.resources' });
    const r = toRunTaskRequest(RULE, path, event, 'x');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'InvalidInput');
  });
});
