/** Shared fixtures for the events unit tests: an in-memory store, a ManualClock and the service. */
import assert from 'node:assert/strict';

import type { RuleTarget } from './target.types.ts';
import { ManualClock } from '../platform/clock.ts';
import { ServiceError } from '../platform/errors.ts';
import { arn, type AwsContext } from '../platform/ids.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { EventsService } from './events.service.ts';

/** 2026-01-01T00:00:00Z */
export const T0 = Date.UTC(2026, 0, 1);

export const CTX: AwsContext = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };
export const RULE_ARN_PREFIX = 'arn:aws:events:eu-west-1:123456789012:rule/';
export const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/jobs';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/ecsEventsRole';

export interface EventsFixture extends AsyncDisposable {
  store: Store;
  clock: ManualClock;
  events: EventsService;
}

export async function eventsFixture(start = T0): Promise<EventsFixture> {
  const store = await openStore({ dataDir: ':memory:' });
  const clock = new ManualClock(start);
  const events = new EventsService({ store, clock });
  return { store, clock, events, [Symbol.asyncDispose]: () => store.close() };
}

/** An ECS target as the AWS CLI example in the reference sends it (in `ctx`'s region and account). */
export function ecsTarget(
  id = 'run-job',
  overrides: Partial<RuleTarget> = {},
  ctx: AwsContext = CTX,
): RuleTarget {
  return {
    Id: id,
    Arn: arn(ctx, 'ecs', 'cluster/jobs'),
    RoleArn: `arn:${ctx.partition}:iam::${ctx.accountId}:role/ecsEventsRole`,
    Input: '{"containerOverrides": [{"name": "app", "command": ["python", "job.py"]}]}',
    EcsParameters: {
      TaskDefinitionArn: arn(ctx, 'ecs', 'task-definition/job:3'),
      TaskCount: 1,
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      NetworkConfiguration: {
        awsvpcConfiguration: {
          Subnets: ['subnet-0123'],
          SecurityGroups: ['sg-0123'],
          AssignPublicIp: 'ENABLED',
        },
      },
    },
    ...overrides,
  };
}

/**
 * The reference capture's ECS target with every delivery member set: tag propagation, task tags,
 * a retry policy and a dead-letter queue (the API tests round-trip all of them).
 */
export function deliveringEcsTarget(id: string, ctx: AwsContext): RuleTarget {
  const base = ecsTarget(id, {}, ctx);
  return {
    ...base,
    EcsParameters: {
      ...base.EcsParameters!,
      PropagateTags: 'TASK_DEFINITION',
      Tags: [{ Key: 'team', Value: 'data' }],
    },
    RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
    DeadLetterConfig: { Arn: arn(ctx, 'sqs', 'dlq') },
  };
}

/** Casts a deliberately malformed request to the operation's input type. */
export function raw<T>(value: unknown): T {
  return value as T;
}

/** Asserts that `promise` rejects with a ServiceError of exactly this code and message. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  message: string,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ServiceError, `expected a ServiceError, got ${String(err)}`);
    assert.equal(err.message, message);
    assert.equal(err.code, code);
    assert.equal(err.httpStatus, 400);
    return true;
  });
}
