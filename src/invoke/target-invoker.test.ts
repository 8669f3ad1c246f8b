import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { firingFixture } from './test-support/firing-fixture.ts';
import { TEST_TASK_DEF_ARN, ecsTarget } from './test-support/ecs-target.ts';
import { ServiceError } from '../platform/errors.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:rule-dlq';

describe('TargetInvoker retries', () => {
  it('RunTask fails twice then succeeds: three attempts, two retries', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'rate(1 hour)', T0);
    f.ecs.script(
      new ServiceError('ServerException', 'boom', { fault: 'server' }),
      new ServiceError('ThrottlingException', 'Rate exceeded', { retryable: true }),
    );
    await f.start();
    await f.runUntil(T0 + 60 * MIN + 10_000);
    const [slot] = await f.history.slots({ ruleArn: arn });
    const inv = slot!.invocations[0]!;
    assert.equal(inv.status, 'SUCCEEDED');
    assert.deepEqual(
      inv.attempts.map((a) => [a.attemptNo, a.startedMs - T0 - 60 * MIN, a.outcome, a.errorCode]),
      [
        [1, 0, 'FAILED', 'ServerException'],
        [2, 1000, 'FAILED', 'ThrottlingException'],
        [3, 3000, 'SUCCEEDED', undefined],
      ],
    );
    assert.equal(inv.taskArns.length, 1);
    assert.deepEqual(await f.history.taskArns({ ruleArn: arn }), inv.taskArns);
    assert.deepEqual((await f.history.slotOfTask(inv.taskArns[0]!))?.slotId, slot!.id);
    assert.equal(f.metrics.get(arn, 'RetryInvocationAttempts'), 2);
    assert.equal(f.metrics.get(arn, 'Invocations'), 1);
    assert.equal(f.metrics.get(arn, 'FailedInvocations'), 0);
    // The same counts come back from the store.
    const { RunMetrics } = await import('./run-metrics.ts');
    const fromStore = new RunMetrics();
    await fromStore.loadFromStore(f.store.db);
    assert.deepEqual(fromStore.snapshot(), f.metrics.snapshot());
    assert.match(
      fromStore.metricsText(),
      /^cronbridge_events_retry_invocation_attempts_total\{event_bus="default",rule="job"\} 2$/m,
    );
  });

  it('retries exhausted by MaximumRetryAttempts → dead letter with the right fields', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'rate(1 hour)', T0, {
      targets: [
        ecsTarget('t1', {
          RetryPolicy: { MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: DLQ },
        }),
      ],
    });
    const err = () => new ServiceError('ServerException', 'down', { fault: 'server' });
    f.ecs.script(err(), err(), err());
    await f.start();
    await f.runUntil(T0 + 61 * MIN);
    const dl = await f.history.deadLetters();
    assert.deepEqual(Object.keys(dl), [DLQ]);
    const [entry] = dl[DLQ]!;
    assert.equal(entry!.ruleArn, arn);
    assert.equal(entry!.targetId, 't1');
    assert.equal(entry!.errorCode, 'ServerException');
    assert.equal(entry!.errorMessage, 'down');
    assert.equal(entry!.exhaustedCondition, 'MaximumRetryAttempts');
    assert.equal(entry!.attempts, 3);
    const event = entry!.event as Record<string, unknown>;
    assert.equal(event['detail-type'], 'Scheduled Event');
    assert.equal(event.time, '2026-03-02T11:00:00Z');
    assert.equal(f.ecs.requests.length, 3);
    assert.equal(f.metrics.get(arn, 'InvocationsSentToDlq'), 1);
    assert.equal(f.metrics.get(arn, 'FailedInvocations'), 1);
  });

  it('retries exhausted by MaximumEventAgeInSeconds', async () => {
    await using f = await firingFixture(T0);
    f.rules.put('job', 'rate(1 hour)', T0, {
      targets: [ecsTarget('t1', { RetryPolicy: { MaximumEventAgeInSeconds: 60 } })],
    });
    f.ecs.script(
      (req) => new ServiceError('ServerException', `no ${req.cluster}`, { fault: 'server' }),
    );
    for (let i = 0; i < 10; i++) {
      f.ecs.script(new ServiceError('ServerException', 'x', { fault: 'server' }));
    }
    await f.start();
    await f.runUntil(T0 + 70 * MIN);
    const [entry] = (await f.history.deadLetters()).none!;
    // 1+2+4+8+16 = 31 s used; the next wait (32 s) would end past 60 s.
    assert.equal(entry!.attempts, 6);
    assert.equal(entry!.exhaustedCondition, 'MaximumEventAgeInSeconds');
  });

  it('a RunTask answer with failures counts as a failed attempt; the retry asks only for the rest', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'rate(1 hour)', T0, {
      targets: [ecsTarget('t1', { EcsParameters: { TaskDefinitionArn: 'td', TaskCount: 3 } })],
    });
    f.ecs.script({
      ...f.ecs.tasks(1),
      failures: [{ arn: 'arn:x', reason: 'RESOURCE:MEMORY' }, { reason: 'AGENT' }],
    });
    await f.start();
    await f.runUntil(T0 + 61 * MIN);
    assert.deepEqual(
      f.ecs.requests.map((r) => r.count),
      [3, 2],
    );
    const inv = (await f.history.slots({ ruleArn: arn }))[0]!.invocations[0]!;
    assert.deepEqual(
      inv.attempts.map((a) => [a.outcome, a.errorCode, a.errorMessage, a.taskArns.length]),
      [
        ['FAILED', 'RunTaskFailure', 'arn:x: RESOURCE:MEMORY; AGENT', 1],
        ['SUCCEEDED', undefined, undefined, 2],
      ],
    );
    assert.equal(inv.taskArns.length, 3);
  });

  it('a target role denied by IAM: no RunTask, no retry, dead letter and FailedInvocations', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'rate(1 hour)', T0, {
      targets: [ecsTarget('t1', { DeadLetterConfig: { Arn: DLQ } })],
    });
    const message =
      'User: arn:aws:sts::123456789012:assumed-role/ecsEventsRole/s is not authorized to perform: ' +
      'ecs:RunTask on resource: arn:aws:ecs:us-east-1:123456789012:task-definition/batch:1 ' +
      'because no identity-based policy allows the ecs:RunTask action';
    f.authorization.deny({ code: 'NO_PERMISSIONS', message });
    await f.start();
    await f.runUntil(T0 + 70 * MIN);
    assert.equal(f.ecs.requests.length, 0, 'nothing reaches ECS');
    const [asked] = f.authorization.asked;
    assert.equal(asked?.ruleArn, arn);
    assert.equal(asked?.roleArn, 'arn:aws:iam::123456789012:role/ecsEventsRole');
    assert.equal(asked?.runTaskRequest.taskDefinition, TEST_TASK_DEF_ARN);
    const inv = (await f.history.slots({ ruleArn: arn }))[0]!.invocations[0]!;
    assert.equal(inv.status, 'FAILED');
    assert.deepEqual(
      inv.attempts.map((a) => [a.outcome, a.retryable, a.errorCode, a.errorMessage]),
      [['FAILED', false, 'NO_PERMISSIONS', message]],
    );
    const [letter] = (await f.history.deadLetters())[DLQ]!;
    assert.equal(letter!.errorCode, 'NO_PERMISSIONS');
    assert.equal(letter!.errorMessage, message);
    assert.equal(letter!.exhaustedCondition, undefined);
    assert.equal(f.metrics.get(arn, 'FailedInvocations'), 1);
    assert.equal(f.metrics.get(arn, 'InvocationsSentToDlq'), 1);
    assert.equal(f.metrics.get(arn, 'RetryInvocationAttempts'), 0);
  });

  it('a non-retriable error goes to the dead letter without retries', async () => {
    await using f = await firingFixture(T0);
    f.rules.put('job', 'rate(1 hour)', T0, {
      targets: [ecsTarget('t1', { DeadLetterConfig: { Arn: DLQ } })],
    });
    f.ecs.script(new ServiceError('ClusterNotFoundException', 'Cluster not found.'));
    await f.start();
    await f.runUntil(T0 + 61 * MIN);
    assert.equal(f.ecs.requests.length, 1);
    const [entry] = (await f.history.deadLetters())[DLQ]!;
    assert.equal(entry!.errorCode, 'ClusterNotFoundException');
    assert.equal(entry!.exhaustedCondition, undefined);
    assert.equal(entry!.attempts, 1);
  });

  it('an unsupported target type is a recorded failure, not a silent drop', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'rate(1 hour)', T0, {
      targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:123456789012:queue' }],
    });
    await f.start();
    await f.runUntil(T0 + 61 * MIN);
    const inv = (await f.history.slots({ ruleArn: arn }))[0]!.invocations[0]!;
    assert.equal(inv.status, 'FAILED');
    assert.equal(inv.attempts[0]!.errorCode, 'UnsupportedTargetType');
    assert.equal((await f.history.deadLetters()).none!.length, 1);
  });

  it('a pending retry survives a restart and resumes at its time', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'rate(1 hour)', T0);
    f.ecs.script(new ServiceError('ServerException', 'down', { fault: 'server' }));
    await f.start();
    await f.runUntil(T0 + 60 * MIN); // attempt 1 failed; retry due at +1 s
    assert.equal(f.invoker.pendingRetries, 1);
    await f.restart();
    await f.start();
    await f.runUntil(T0 + 61 * MIN);
    const inv = (await f.history.slots({ ruleArn: arn }))[0]!.invocations[0]!;
    assert.equal(inv.status, 'SUCCEEDED');
    assert.deepEqual(
      inv.attempts.map((a) => a.startedMs - T0 - 60 * MIN),
      [0, 1000],
    );
  });
});
