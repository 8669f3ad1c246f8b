/**
 * Wrong JSON types below the top level (issue 12, item 3), through the real API server on an
 * engine with an in-memory runtime: each case the fuzz run answered with a 500 (or stored) is now
 * a 400 `SerializationException`, and nothing reaches the store. A property test then takes valid
 * requests of a few operations, swaps one nested value for one of another JSON type, and checks
 * the same: 400 `SerializationException`, the state unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import fc from 'fast-check';

import { startTestEngine, type TestEngine } from '../../engine/engine.fixture.ts';
import { defaultNetwork } from '../../engine/engine.test-support.ts';
import { ManualClock } from '../../platform/clock.ts';
import { jsonHeaders, T0 } from '../api.test-support.ts';

const IMAGE = 'cronbridge-test/job:latest';
const ECS = 'AmazonEC2ContainerServiceV20141113';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function call(fx: TestEngine, target: string, body: unknown): Promise<Reply> {
  const server = fx.server;
  assert.ok(server, 'the engine serves its API');
  const res = await server.inject({
    method: 'POST',
    url: '/',
    headers: jsonHeaders(target),
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: JSON.parse(res.body || '{}') as Record<string, unknown> };
}

async function ok(fx: TestEngine, target: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await call(fx, target, body);
  assert.equal(res.status, 200, `${target}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Asserts a 400 SerializationException and returns its message. */
async function refused(fx: TestEngine, target: string, body: unknown): Promise<string> {
  const res = await call(fx, target, body);
  assert.equal(res.status, 400, `${target} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body['__type'], 'SerializationException', JSON.stringify(res.body));
  assert.equal(typeof res.body['message'], 'string');
  return res.body['message'] as string;
}

const container = (extra: Record<string, unknown> = {}) => ({
  name: 'app',
  image: IMAGE,
  memory: 64,
  ...extra,
});

/** Everything a test could have changed: task definitions, tasks, targets, log events. */
async function snapshot(fx: TestEngine): Promise<unknown> {
  return {
    families: await ok(fx, `${ECS}.ListTaskDefinitions`, {}),
    tasks: await ok(fx, `${ECS}.ListTasks`, { cluster: 'jobs' }),
    targets: await ok(fx, 'AWSEvents.ListTargetsByRule', { Rule: 'nightly' }),
    events: await ok(fx, 'Logs_20140328.GetLogEvents', { logGroupName: 'g', logStreamName: 's' }),
  };
}

describe('API: wrong JSON types below the top level', () => {
  let fx: TestEngine;

  before(async () => {
    fx = await startTestEngine({
      runtime: 'memory',
      memory: { localImages: [IMAGE] },
      clock: new ManualClock(T0),
    });
    await ok(fx, `${ECS}.CreateCluster`, { clusterName: 'jobs' });
    await ok(fx, 'AWSEvents.PutRule', { Name: 'nightly', ScheduleExpression: 'rate(1 day)' });
    await ok(fx, 'Logs_20140328.CreateLogGroup', { logGroupName: 'g' });
    await ok(fx, 'Logs_20140328.CreateLogStream', { logGroupName: 'g', logStreamName: 's' });
  });

  after(() => fx.close());

  it('RegisterTaskDefinition: a string command is refused, nothing registered', async () => {
    const message = await refused(fx, `${ECS}.RegisterTaskDefinition`, {
      family: 'job',
      containerDefinitions: [container({ command: 'echo hello' })],
    });
    assert.equal(message, 'STRING_VALUE can not be converted to a List');
    assert.deepEqual(await ok(fx, `${ECS}.ListTaskDefinitions`, {}), { taskDefinitionArns: [] });
  });

  it('RegisterTaskDefinition: portMappings {} or [null], environment 5, dependsOn true, memory 2^31', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ portMappings: {} }, 'Start of structure or map found where not expected.'],
      [
        { portMappings: [null] },
        'Null value found in containerDefinitions[0].portMappings[0] where a value is required.',
      ],
      [{ environment: 5 }, 'NUMBER_VALUE can not be converted to a List'],
      [{ dependsOn: true }, 'TRUE_VALUE can not be converted to a List'],
      // Past an Integer's range: no longer a number of MiB the model can hold.
      [{ memory: 2 ** 31 }, 'NUMBER_VALUE can not be converted to an Integer'],
    ];
    for (const [extra, message] of cases) {
      assert.equal(
        await refused(fx, `${ECS}.RegisterTaskDefinition`, {
          family: 'job',
          containerDefinitions: [container(extra)],
        }),
        message,
      );
    }
    assert.deepEqual(await ok(fx, `${ECS}.ListTaskDefinitions`, {}), { taskDefinitionArns: [] });
  });

  it('RunTask containerOverrides [null] and DescribeTasks tasks [null]: refused, no task', async () => {
    await ok(fx, `${ECS}.RegisterTaskDefinition`, {
      family: 'once',
      containerDefinitions: [container()],
    });
    assert.equal(
      await refused(fx, `${ECS}.RunTask`, {
        cluster: 'jobs',
        taskDefinition: 'once',
        overrides: { containerOverrides: [null] },
      }),
      'Null value found in overrides.containerOverrides[0] where a value is required.',
    );
    assert.deepEqual(await ok(fx, `${ECS}.ListTasks`, { cluster: 'jobs' }), { taskArns: [] });
    assert.equal(
      await refused(fx, `${ECS}.DescribeTasks`, { cluster: 'jobs', tasks: [null] }),
      'Null value found in tasks[0] where a value is required.',
    );
    await ok(fx, `${ECS}.DeregisterTaskDefinition`, { taskDefinition: 'once:1' });
    await ok(fx, `${ECS}.DeleteTaskDefinitions`, { taskDefinitions: ['once:1'] });
  });

  describe('property: one nested value of another JSON type', () => {
    /**
     * The region's first default subnet, filled in by `before` (RunTask accepts only subnets that
     * exist); the requests below share this list, and each case works on a copy.
     */
    const subnets: string[] = [];
    /** Valid requests reaching several depths of lists, structures and maps. */
    const requests: [string, Record<string, unknown>][] = [
      [
        `${ECS}.RegisterTaskDefinition`,
        {
          family: 'prop',
          cpu: '256',
          containerDefinitions: [
            container({
              command: ['sh', '-c', 'echo hi'],
              entryPoint: ['/bin/sh'],
              environment: [{ name: 'A', value: '1' }],
              portMappings: [{ containerPort: 80, protocol: 'tcp' }],
              essential: true,
              dockerLabels: { team: 'ops' },
              ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }],
              logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } },
            }),
            container({ name: 'side', dependsOn: [{ containerName: 'app', condition: 'START' }] }),
          ],
          tags: [{ key: 'k', value: 'v' }],
        },
      ],
      [
        `${ECS}.RunTask`,
        {
          cluster: 'jobs',
          taskDefinition: 'base',
          count: 1,
          overrides: {
            containerOverrides: [
              { name: 'app', command: ['true'], environment: [{ name: 'B', value: '2' }] },
            ],
          },
          networkConfiguration: {
            awsvpcConfiguration: { subnets, assignPublicIp: 'DISABLED' },
          },
          tags: [{ key: 'k', value: 'v' }],
          enableECSManagedTags: false,
        },
      ],
      [
        'AWSEvents.PutTargets',
        {
          Rule: 'nightly',
          Targets: [
            {
              Id: 't1',
              Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs',
              RoleArn: 'arn:aws:iam::123456789012:role/run',
              Input: '{}',
              EcsParameters: {
                TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/base:1',
                TaskCount: 1,
                LaunchType: 'FARGATE',
                NetworkConfiguration: { awsvpcConfiguration: { Subnets: subnets } },
                Tags: [{ Key: 'k', Value: 'v' }],
              },
              RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
            },
          ],
        },
      ],
      [
        'Logs_20140328.PutLogEvents',
        {
          logGroupName: 'g',
          logStreamName: 's',
          logEvents: [
            { timestamp: T0, message: 'a' },
            { timestamp: T0 + 1, message: 'b' },
          ],
        },
      ],
    ];

    /** Every nested position of a JSON value: the path and the value found there. */
    function positions(value: unknown, path: (string | number)[] = []): (string | number)[][] {
      const inner = Array.isArray(value)
        ? value.flatMap((item, i) => positions(item, [...path, i]))
        : value !== null && typeof value === 'object'
          ? Object.entries(value).flatMap(([k, v]) => positions(v, [...path, k]))
          : [];
      return path.length > 0 ? [path, ...inner] : inner;
    }

    function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
      return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
    }

    function kindOf(value: unknown): string {
      return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    }

    /** Values of every JSON type; `null` only stands in for a list entry (a null member is absent). */
    const others = fc.constantFrom<unknown>(
      'text',
      7,
      1.5,
      true,
      false,
      [],
      ['x'],
      {},
      { a: 1 },
      null,
    );

    function replaced(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
      const copy = structuredClone(root) as Record<string | number, unknown>;
      const parent = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
      parent[path.at(-1)!] = value;
      return copy;
    }

    before(async () => {
      subnets.push((await defaultNetwork(fx.engine)).subnets[0]!);
      await ok(fx, `${ECS}.RegisterTaskDefinition`, {
        family: 'base',
        networkMode: 'awsvpc',
        containerDefinitions: [container()],
      });
    });

    it('is refused with SerializationException and changes nothing', async () => {
      const before = await snapshot(fx);
      const cases = fc
        .constantFrom(...requests)
        .chain(([target, body]) =>
          fc.tuple(fc.constant(target), fc.constant(body), fc.constantFrom(...positions(body))),
        )
        .chain(([target, body, path]) =>
          fc.tuple(
            fc.constant(target),
            fc.constant(body),
            fc.constant(path),
            others.filter((v) => {
              const parentIsList = Array.isArray(valueAt(body, path.slice(0, -1)));
              if (v === null) return parentIsList;
              return kindOf(v) !== kindOf(valueAt(body, path));
            }),
          ),
        );
      await fc.assert(
        fc.asyncProperty(cases, async ([target, body, path, value]) => {
          await refused(fx, target, replaced(body, path, value));
        }),
        { numRuns: 150 },
      );
      assert.deepEqual(await snapshot(fx), before);
    });

    it('while the unchanged requests are accepted', async () => {
      for (const [target, body] of requests) await ok(fx, target, body);
    });
  });
});
