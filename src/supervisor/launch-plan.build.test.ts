import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildLaunchPlan, type TaskDefinitionShape } from './launch-plan.build.ts';

const definition: TaskDefinitionShape = {
  family: 'nightly',
  revision: 4,
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'app',
      image: 'busybox:latest',
      command: ['sh', '-c', 'echo hi'],
      environment: [
        { name: 'MODE', value: 'full' },
        { name: 'KEEP', value: 'yes' },
      ],
      stopTimeout: 300,
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/nightly',
          'awslogs-stream-prefix': 'ecs',
          'awslogs-region': 'us-east-1',
          'awslogs-create-group': 'true',
        },
      },
    },
    {
      name: 'sidecar',
      image: 'busybox:latest',
      essential: false,
      memory: 128,
      dependsOn: [{ containerName: 'app', condition: 'START' }],
      logConfiguration: { logDriver: 'json-file' },
    },
  ],
};

const target = {
  taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef',
  clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
  networkMode: 'none',
  containerInsights: true,
};

describe('buildLaunchPlan', () => {
  it('maps a Fargate task definition onto container plans', () => {
    const plan = buildLaunchPlan(definition, target);
    assert.equal(plan.taskId, '0123456789abcdef0123456789abcdef');
    assert.equal(plan.family, 'nightly');
    assert.equal(plan.revision, 4);
    const [app, sidecar] = plan.containers;
    assert.equal(app?.essential, true);
    assert.equal(app?.cpuUnits, 256, 'task-level cpu applies when the container gives none');
    assert.equal(app?.memoryMiB, 512);
    assert.equal(app?.stopTimeoutSeconds, 120, 'Fargate caps stopTimeout at 120 s');
    assert.deepEqual(app?.awslogs, {
      group: '/ecs/nightly',
      streamPrefix: 'ecs',
      createGroup: true,
      region: 'us-east-1',
    });
    assert.equal(sidecar?.essential, false);
    assert.equal(sidecar?.memoryMiB, 128);
    assert.equal(sidecar?.stopTimeoutSeconds, 30);
    assert.equal(sidecar?.awslogs, undefined, 'only the awslogs driver ships to CloudWatch Logs');
    assert.deepEqual(sidecar?.dependsOn, [{ containerName: 'app', condition: 'START' }]);
  });

  it('applies RunTask overrides: command, merged environment, sizes', () => {
    const plan = buildLaunchPlan(definition, target, {
      cpu: '512',
      memory: '1024',
      containerOverrides: [
        {
          name: 'app',
          command: ['job', '--fast'],
          environment: [{ name: 'MODE', value: 'quick' }],
        },
      ],
    });
    const [app] = plan.containers;
    assert.deepEqual(app?.command, ['job', '--fast']);
    assert.deepEqual(app?.environment, { MODE: 'quick', KEEP: 'yes' });
    assert.equal(app?.cpuUnits, 512);
    assert.equal(app?.memoryMiB, 1024);
  });
});
