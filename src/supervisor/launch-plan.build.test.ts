import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  DEFAULT_CPU_UNITS,
  DEFAULT_MEMORY_MIB,
  buildLaunchPlan,
  type TaskDefinitionShape,
} from './launch-plan.build.ts';

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

  it('bounds every container: defaults when neither task nor container gives a size', () => {
    const plan = buildLaunchPlan(
      {
        family: 'ec2job',
        revision: 1,
        containerDefinitions: [
          { name: 'soft', image: 'busybox', memoryReservation: 4096 },
          { name: 'bare', image: 'busybox', memoryReservation: 64, readonlyRootFilesystem: true },
        ],
      },
      target,
    );
    const [soft, bare] = plan.containers;
    assert.equal(soft?.cpuUnits, DEFAULT_CPU_UNITS);
    assert.equal(soft?.memoryMiB, 4096, 'a reservation above the default raises the hard limit');
    assert.equal(bare?.memoryMiB, DEFAULT_MEMORY_MIB);
    assert.equal(bare?.readonlyRootFilesystem, true);
  });

  it('carries capabilities always, host access only when the server allows it', () => {
    const risky: TaskDefinitionShape = {
      family: 'ec2job',
      revision: 1,
      pidMode: 'host',
      volumes: [{ name: 'etc', host: { sourcePath: '/etc' } }],
      containerDefinitions: [
        {
          name: 'app',
          image: 'busybox',
          privileged: true,
          linuxParameters: { capabilities: { add: ['SYS_PTRACE'], drop: ['NET_BIND_SERVICE'] } },
          mountPoints: [{ sourceVolume: 'etc', containerPath: '/host-etc' }],
        },
      ],
    };
    const confined = buildLaunchPlan(risky, target).containers[0];
    assert.deepEqual(confined?.capAdd, ['SYS_PTRACE']);
    assert.deepEqual(confined?.capDrop, ['NET_BIND_SERVICE']);
    assert.equal(confined?.hostAccess, undefined);
    const open = buildLaunchPlan(risky, { ...target, allowHostAccess: true }).containers[0];
    assert.deepEqual(open?.hostAccess, {
      privileged: true,
      binds: ['/etc:/host-etc'],
      pidMode: 'host',
    });
  });
});
