import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { EcsService } from './ecs.service.ts';
import { type EcsFixture, ecsFixture, fargateDefinition, rejects } from './ecs.test-support.ts';

/** An EC2-style bridge definition, as cronbridge has always accepted them. */
function ec2Definition(
  container: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    family: 'ec2job',
    networkMode: 'bridge',
    containerDefinitions: [{ name: 'app', image: 'busybox:latest', memory: 128, ...container }],
    ...extra,
  };
}

describe('task definition isolation (every definition is held to Fargate)', () => {
  let f: EcsFixture | undefined;
  afterEach(() => f?.store.close());

  it('refuses what would reach the host, with ECS texts', async () => {
    f = await ecsFixture();
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [
        {},
        { networkMode: 'host' },
        "Tasks using the Fargate launch type do not support network mode 'host'.",
      ],
      [
        {},
        { pidMode: 'host' },
        "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.",
      ],
      [{}, { ipcMode: 'host' }, 'Tasks using the Fargate launch type do not support ipcMode.'],
      [
        {},
        { volumes: [{ name: 'root', host: { sourcePath: '/' } }] },
        'Fargate compatible task definitions do not support sourcePath',
      ],
      [
        {},
        { volumes: [{ name: 'v', dockerVolumeConfiguration: { driver: 'local' } }] },
        'Fargate compatible task definitions do not support dockerVolumeConfiguration',
      ],
      [
        { privileged: true },
        {},
        "Invalid setting for container 'app'. Tasks using the Fargate launch type do not support privileged containers.",
      ],
      [
        { linuxParameters: { capabilities: { add: ['SYS_PTRACE', 'SYS_ADMIN'] } } },
        {},
        "Invalid setting for container 'app'. Tasks using the Fargate launch type only support adding the 'SYS_PTRACE' kernel capability, not 'SYS_ADMIN'.",
      ],
      [
        { linuxParameters: { capabilities: { add: 'SYS_ADMIN' } } },
        {},
        "Invalid setting for container 'app'. Tasks using the Fargate launch type only support adding the 'SYS_PTRACE' kernel capability, not 'SYS_ADMIN'.",
      ],
      [
        { linuxParameters: { devices: { hostPath: '/dev/kmsg' } } },
        {},
        "Invalid setting for container 'app'. Tasks using the Fargate launch type do not support devices.",
      ],
      [
        { linuxParameters: { devices: [{ hostPath: '/dev/kmsg' }] } },
        {},
        "Invalid setting for container 'app'. Tasks using the Fargate launch type do not support devices.",
      ],
      [
        { dockerSecurityOptions: ['apparmor:unconfined'] },
        {},
        "Invalid setting for container 'app'. Tasks using the Fargate launch type do not support dockerSecurityOptions.",
      ],
      [
        {},
        { memory: '1048576' },
        'Invalid setting: Task memory (1048576) exceeds the largest task size, 122880 MiB.',
      ],
      [
        {},
        { cpu: '32768' },
        'Invalid setting: Task cpu (32768) exceeds the largest task size, 16384 CPU units.',
      ],
      [
        { memory: 1_000_000 },
        {},
        "Invalid setting for container 'app'. Container memory (1000000) exceeds the largest task size, 122880 MiB.",
      ],
    ];
    for (const [container, extra, message] of cases) {
      await rejects(
        f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, ec2Definition(container, extra)),
        'ClientException',
        message,
      );
    }
    const { taskDefinitionArns } = await f.ecs.listTaskDefinitions(DEFAULT_CONTEXT);
    assert.deepEqual(taskDefinitionArns, [], 'nothing rejected is stored');
  });

  it('keeps what Fargate allows: bridge, none, task pidMode, SYS_PTRACE, drops, bind volumes', async () => {
    f = await ecsFixture();
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, ec2Definition());
    await f.ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      ec2Definition({}, { networkMode: 'none', pidMode: 'task' }),
    );
    await f.ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      ec2Definition(
        {
          privileged: false,
          linuxParameters: { capabilities: { add: ['SYS_PTRACE'], drop: ['ALL'] } },
          mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch' }],
        },
        { volumes: [{ name: 'scratch' }] },
      ),
    );
    await f.ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      fargateDefinition({ cpu: '16384', memory: '122880' }),
    );
  });

  it('accepts and applies host access only when the server allows it', async () => {
    f = await ecsFixture({ allowHostAccess: true });
    await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'default' });
    await f.ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      ec2Definition(
        {
          privileged: true,
          linuxParameters: {
            capabilities: { add: ['NET_ADMIN'] },
            devices: [{ hostPath: '/dev/fuse' }],
          },
          dockerSecurityOptions: ['apparmor:unconfined'],
          mountPoints: [{ sourceVolume: 'logs', containerPath: '/logs', readOnly: true }],
        },
        {
          networkMode: 'host',
          pidMode: 'host',
          ipcMode: 'host',
          volumes: [{ name: 'logs', host: { sourcePath: '/var/log' } }],
        },
      ),
    );
    await f.ecs.runTask(DEFAULT_CONTEXT, { taskDefinition: 'ec2job' });
    const [plan] = f.launched;
    assert.equal(plan?.networkMode, 'host');
    assert.deepEqual(plan?.containers[0]?.capAdd, ['NET_ADMIN']);
    assert.deepEqual(plan?.containers[0]?.hostAccess, {
      privileged: true,
      binds: ['/var/log:/logs:ro'],
      devices: [{ hostPath: '/dev/fuse' }],
      securityOptions: ['apparmor:unconfined'],
      pidMode: 'host',
      ipcMode: 'host',
    });

    // The same store served with the setting off: the stored definition no longer runs.
    const strict = new EcsService({ store: f.store, clock: f.clock }, { awsvpcNetwork: 'none' });
    strict.tasks.setLauncher({
      launch: () => assert.fail('must not launch'),
      requestStop: () => true,
    });
    await rejects(
      strict.runTask(DEFAULT_CONTEXT, { taskDefinition: 'ec2job' }),
      'ClientException',
      "Tasks using the Fargate launch type do not support network mode 'host'.",
    );
  });

  it('refuses RunTask overrides beyond the largest task size', async () => {
    f = await ecsFixture();
    await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'default' });
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, ec2Definition());
    await rejects(
      f.ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'ec2job',
        overrides: { memory: '1000000' },
      }),
      'InvalidParameterException',
      'Task memory (1000000) exceeds the largest task size, 122880 MiB.',
    );
    await rejects(
      f.ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'ec2job',
        overrides: { containerOverrides: [{ name: 'app', memory: 500_000 }] },
      }),
      'InvalidParameterException',
      'Override for container named app: Container memory (500000) exceeds the largest task size, 122880 MiB.',
    );
    assert.equal(f.launched.length, 0);
  });
});
