/**
 * A scheduled rule with an ECS target, the manual clock advanced to its slot: a real container
 * runs on Docker and its output lands in the log group; the run shows in the rule's history.
 * The engine's clock is manual (the schedule moves only when the test says); the containers run
 * in real time on the engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Engine } from '../../src/engine/engine.ts';
import { defaultNetwork } from '../../src/engine/engine.test-support.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { integrationGate, TEST_IMAGE } from '../support/docker.ts';
import { testEngine, type TestEngine } from '../support/test-engine.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';

const skip = await integrationGate();
const T0 = Date.parse('2026-07-01T10:00:00Z');

describe('a scheduled rule runs a real container', { skip }, () => {
  const clock = new ManualClock(T0);
  let fx: TestEngine;
  let engine: Engine;

  before(async () => {
    fx = await testEngine({ prefix: 'firing', clock, startFiring: true, serviceRoles: true });
    engine = fx.engine;
    await engine.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'seed' });
    await engine.logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/tick' });
    await engine.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family: 'tick',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'tick',
          image: TEST_IMAGE,
          command: ['sh', '-c', 'echo "tick $MODE"'],
          environment: [{ name: 'MODE', value: 'default' }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/tick',
              'awslogs-region': 'us-east-1',
              'awslogs-stream-prefix': 'ecs',
            },
          },
        },
      ],
    });
  });

  after(async () => {
    await fx[Symbol.asyncDispose]();
  });

  it('fires rate(1 minute) at its slot: RunTask, container, logs, history', async () => {
    const { subnets } = await defaultNetwork(engine);
    const { RuleArn } = await engine.events.putRule(DEFAULT_CONTEXT, {
      Name: 'every-minute',
      ScheduleExpression: 'rate(1 minute)',
    });
    await engine.events.putTargets(DEFAULT_CONTEXT, {
      Rule: 'every-minute',
      Targets: [
        {
          Id: 'tick-task',
          Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/seed',
          RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
          Input: JSON.stringify({
            containerOverrides: [
              { name: 'tick', environment: [{ name: 'MODE', value: 'scheduled' }] },
            ],
          }),
          EcsParameters: {
            TaskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/tick',
            TaskCount: 1,
            LaunchType: 'FARGATE',
            NetworkConfiguration: {
              awsvpcConfiguration: { Subnets: subnets, AssignPublicIp: 'ENABLED' },
            },
          },
        },
      ],
    });
    const stopped = engine.supervisor.next((e) => e.type === 'task:stopped');
    const succeeded = engine.invoker.events.next('invoke:succeeded');
    await clock.advance(60_000);
    await succeeded;
    const event = await stopped;
    assert.equal(event.type, 'task:stopped');
    const taskArn = event.taskArn;

    const {
      tasks: [task],
    } = await engine.ecs.describeTasks(DEFAULT_CONTEXT, { cluster: 'seed', tasks: [taskArn] });
    assert.equal(task?.startedBy, 'events-rule/every-minute');
    assert.equal(task?.group, 'family:tick');
    assert.equal(task?.containers[0]?.exitCode, 0);
    const events = await engine.logs.getLogEvents(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/tick',
      logStreamName: `ecs/tick/${taskArn.split('/').at(-1)}`,
      startFromHead: true,
    });
    assert.deepEqual(
      events.events.map((e) => e.message),
      ['tick scheduled'],
    );

    const slots = await engine.history.slots({ ruleArn: RuleArn ?? '' });
    assert.equal(slots.length, 1);
    assert.equal(slots[0]?.nominalMs, T0 + 60_000);
    assert.deepEqual(await engine.history.taskArns({ ruleArn: RuleArn ?? '' }), [taskArn]);

    // The counters are on the API server's /metrics.
    const metrics = await fx.server.inject({ method: 'GET', url: '/metrics' });
    assert.equal(metrics.statusCode, 200);
    assert.match(
      metrics.body,
      /cronbridge_events_triggered_rules_total\{event_bus="default",rule="every-minute"\} 1\n/,
    );
    assert.match(
      metrics.body,
      /cronbridge_events_invocations_total\{event_bus="default",rule="every-minute"\} 1\n/,
    );
  });
});
