/**
 * A rule's target runs in the rule's region: the attempt hands ECS the context its ARN names
 * (issue 13 item 4), so a rule in ap-northeast-1 starts its task there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { makeAttempt } from './attempt.ts';
import { type Delivery, ruleContext } from './delivery.ts';
import { buildScheduledEvent } from './scheduled-event.build.ts';
import { ecsTarget } from './test-support/ecs-target.ts';
import { FakeEcsRunner } from './test-support/fake-ecs-runner.ts';
import { ScriptedTargetAuthorization } from './test-support/target-authorization.ts';

const T0 = Date.parse('2026-07-01T00:00:00Z');

function delivery(ruleArn: string): Delivery {
  const event = buildScheduledEvent({
    ruleArn,
    nominalMs: T0,
    context: { partition: 'aws', region: 'ap-northeast-1', accountId: '123456789012' },
    id: '00000000-0000-4000-8000-000000000000',
  });
  return {
    id: 'inv-1',
    slotId: 'slot-1',
    ruleArn,
    context: ruleContext(ruleArn),
    nominalMs: T0,
    target: ecsTarget('t1', {
      Arn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/jobs',
      EcsParameters: {
        TaskDefinitionArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/batch:1',
        LaunchType: 'FARGATE',
      },
    }),
    event,
    eventJson: JSON.stringify(event),
    createdMs: T0,
    attempts: 0,
    remaining: 1,
  };
}

describe('attempt region', () => {
  it('runs the target in the region of the rule’s ARN', async () => {
    const ecs = new FakeEcsRunner();
    const outcome = await makeAttempt(
      delivery('arn:aws:events:ap-northeast-1:123456789012:rule/nightly'),
      ecs,
      new ManualClock(T0),
      new ScriptedTargetAuthorization(),
    );
    assert.equal(outcome.error, undefined);
    assert.deepEqual(ecs.regions, ['ap-northeast-1']);
  });
});
