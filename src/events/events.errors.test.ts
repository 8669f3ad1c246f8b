import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { PutRuleInput } from './events.types.ts';
import {
  ConcurrentModificationException,
  InternalException,
  InvalidEventPatternException,
  LimitExceededException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ValidationException,
} from './events.errors.ts';
import { CTX, ecsTarget, eventsFixture, raw, rejectsWith } from './events.test-support.ts';

describe('events error catalogue', () => {
  it('uses AWS codes; client errors are 400, InternalException a 500 fault', () => {
    const cases: [Error & { code: string; httpStatus: number; fault: string }, string, number][] = [
      [new ResourceNotFoundException('m'), 'ResourceNotFoundException', 400],
      [new ValidationException('m'), 'ValidationException', 400],
      [new LimitExceededException('m'), 'LimitExceededException', 400],
      [new InvalidEventPatternException('m'), 'InvalidEventPatternException', 400],
      [new ResourceAlreadyExistsException('m'), 'ResourceAlreadyExistsException', 400],
      [new ConcurrentModificationException('m'), 'ConcurrentModificationException', 400],
      [new InternalException('m'), 'InternalException', 500],
    ];
    for (const [err, code, status] of cases) {
      assert.equal(err.code, code);
      assert.equal(err.name, code);
      assert.equal(err.httpStatus, status);
      assert.equal(err.fault, status === 500 ? 'server' : 'client');
    }
  });

  it('refuses members of the wrong JSON type before any constraint', async () => {
    await using f = await eventsFixture();
    await rejectsWith(
      f.events.putRule(CTX, raw<PutRuleInput>({ Name: 42, ScheduleExpression: 'rate(1 day)' })),
      'SerializationException',
      "Expected a string at 'name'.",
    );
    await f.events.putRule(CTX, { Name: 'r', ScheduleExpression: 'rate(1 day)' });
    await rejectsWith(
      f.events.putTargets(CTX, {
        Rule: 'r',
        Targets: [ecsTarget('x', raw({ RetryPolicy: { MaximumRetryAttempts: '3' } }))],
      }),
      'SerializationException',
      "Expected an integer at 'targets.1.member.retryPolicy.maximumRetryAttempts'.",
    );
  });

  it('checks EventBusName against the model pattern', async () => {
    await using f = await eventsFixture();
    await rejectsWith(
      f.events.describeRule(CTX, { Name: 'r', EventBusName: 'bad bus' }),
      'ValidationException',
      "1 validation error detected: Value 'bad bus' at 'eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+",
    );
  });
});
