/** Fixtures shared by the ECS domain's tests. */
import assert from 'node:assert/strict';

import { ManualClock } from '../platform/clock.ts';
import { type AwsContext, DEFAULT_CONTEXT } from '../platform/ids.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import type { TaskLaunchPlan } from '../supervisor/task-plan.ts';
import { EcsService } from './ecs.service.ts';
import type { NetworkDirectory } from './network.ports.ts';

export const T0 = Date.parse('2026-05-01T00:00:00Z');
export const ACCOUNT_PREFIX = 'arn:aws:ecs:us-east-1:000000000000';

/** The context most tests run in: the default region. */
export const CTX: AwsContext = DEFAULT_CONTEXT;
/** Another region, for the checks that regions do not see each other's resources. */
export const TOKYO: AwsContext = { ...DEFAULT_CONTEXT, region: 'ap-northeast-1' };

/** A one-container Fargate definition like the seed's nightly job. */
export function fargateDefinition(extra: Record<string, unknown> = {}) {
  return {
    family: 'nightly',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
    containerDefinitions: [
      {
        name: 'app',
        image: 'busybox:latest',
        command: ['echo', 'hi'],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '/ecs/nightly',
            'awslogs-stream-prefix': 'ecs',
            'awslogs-region': 'us-east-1',
          },
        },
      },
    ],
    tags: [{ key: 'team', value: 'data' }],
    ...extra,
  };
}

export const network = {
  awsvpcConfiguration: {
    subnets: ['subnet-1', 'subnet-2'],
    securityGroups: ['sg-1'],
    assignPublicIp: 'ENABLED',
  },
};

/** Asserts a rejection with an exact ECS error code and message (or message pattern). */
export async function rejects(
  promise: Promise<unknown>,
  code: string,
  message: string | RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, code, `code of: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

export interface EcsFixture {
  store: Store;
  clock: ManualClock;
  ecs: EcsService;
  /** Plans handed to the launcher, in order. */
  launched: TaskLaunchPlan[];
  /** `arn|stopCode|reason` of every stop request the launcher received. */
  stops: string[];
}

/** A fresh in-memory store, a ManualClock at T0 and an EcsService with a recording launcher. */
export async function ecsFixture(
  options: {
    stoppedTaskRetentionMs?: number;
    allowHostAccess?: boolean;
    /** A VPC directory for RunTask's awsvpc checks; absent: none made. */
    network?: NetworkDirectory;
  } = {},
): Promise<EcsFixture> {
  const store = await openStore({ dataDir: ':memory:' });
  const clock = new ManualClock(T0);
  const { network, ...rest } = options;
  const ecs = new EcsService(
    { store, clock, ...(network ? { network } : {}) },
    { awsvpcNetwork: 'none', ...rest },
  );
  const launched: TaskLaunchPlan[] = [];
  const stops: string[] = [];
  ecs.tasks.setLauncher({
    launch: (plan) => launched.push(plan),
    requestStop: (arn, code, reason) => {
      stops.push(`${arn}|${code}|${reason}`);
      return true;
    },
  });
  return { store, clock, ecs, launched, stops };
}
