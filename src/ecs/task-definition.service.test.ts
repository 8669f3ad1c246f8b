import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import {
  ACCOUNT_PREFIX,
  T0,
  type EcsFixture,
  ecsFixture,
  fargateDefinition,
  rejects,
} from './ecs.test-support.ts';
import { FARGATE_SIZES } from './task-size.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';

const td = (family: string, rev: number) => `${ACCOUNT_PREFIX}:task-definition/${family}:${rev}`;

describe('task definitions', () => {
  let f: EcsFixture;
  beforeEach(async () => {
    f = await ecsFixture();
  });
  afterEach(() => f.store.close());

  it('echoes the definition with ECS defaults and server fields', async () => {
    const { taskDefinition, tags } = await f.ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      fargateDefinition({
        cpu: '0.25 vCPU',
        memory: '0.5 GB',
        taskRoleArn: 'arn:aws:iam::000000000000:role/task',
        ephemeralStorage: { sizeInGiB: 30 },
        runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
        junk: 'dropped',
        containerDefinitions: [
          {
            name: 'app',
            image: 'busybox:latest',
            portMappings: [{ containerPort: 8080 }],
            secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:us-east-1:000000000000:parameter/db' }],
          },
        ],
      }),
    );
    assert.deepEqual(tags, [{ key: 'team', value: 'data' }]);
    assert.deepEqual(taskDefinition, {
      taskRoleArn: 'arn:aws:iam::000000000000:role/task',
      executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      ephemeralStorage: { sizeInGiB: 30 },
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      cpu: '256',
      memory: '512',
      taskDefinitionArn: td('nightly', 1),
      family: 'nightly',
      revision: 1,
      containerDefinitions: [
        {
          name: 'app',
          image: 'busybox:latest',
          cpu: 0,
          essential: true,
          environment: [],
          mountPoints: [],
          volumesFrom: [],
          portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
          secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:us-east-1:000000000000:parameter/db' }],
        },
      ],
      volumes: [],
      status: 'ACTIVE',
      requiresAttributes: [
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
        { name: 'com.amazonaws.ecs.capability.task-iam-role' },
        { name: 'ecs.capability.secrets.ssm.environment-variables' },
        { name: 'ecs.capability.task-eni' },
      ],
      placementConstraints: [],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: T0,
      registeredBy: 'arn:aws:iam::000000000000:root',
    });
  });

  it('numbers revisions per family and never reuses one', async () => {
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ family: 'other' }));
    await f.ecs.deregisterTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: 'nightly:2' });
    const third = await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
    assert.equal(third.taskDefinition.revision, 3);
    for (const [ref, rev] of [
      ['nightly', 3],
      ['nightly:1', 1],
      ['nightly:2', 2],
      [td('nightly', 2), 2],
      ['other', 1],
    ] as const) {
      const { taskDefinition } = await f.ecs.describeTaskDefinition(DEFAULT_CONTEXT, {
        taskDefinition: ref,
      });
      assert.equal(taskDefinition.revision, rev, ref);
    }
    for (const ref of [
      'nightly:9',
      'ghost',
      'bad name',
      `arn:aws:ecs:eu-west-1:000000000000:task-definition/nightly:1`,
    ]) {
      await rejects(
        f.ecs.describeTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: ref }),
        'ClientException',
        'Unable to describe task definition.',
      );
    }
  });

  it('deregisters to INACTIVE (still describable, first time kept), then deletes', async () => {
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
    await f.clock.advance(5000);
    const { taskDefinition } = await f.ecs.deregisterTaskDefinition(DEFAULT_CONTEXT, {
      taskDefinition: td('nightly', 1),
    });
    assert.equal(taskDefinition.status, 'INACTIVE');
    assert.equal(taskDefinition.deregisteredAt, T0 + 5000);
    await f.clock.advance(5000);
    const again = await f.ecs.deregisterTaskDefinition(DEFAULT_CONTEXT, {
      taskDefinition: 'nightly:1',
    });
    assert.equal(again.taskDefinition.deregisteredAt, T0 + 5000);
    await rejects(
      f.ecs.describeTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: 'nightly' }),
      'ClientException',
      'Unable to describe task definition.',
    );
    await rejects(
      f.ecs.deregisterTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: 'nightly' }),
      'ClientException',
      'Revision must be specified when deregistering a task definition.',
    );
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
    const deleted = await f.ecs.deleteTaskDefinitions(DEFAULT_CONTEXT, {
      taskDefinitions: ['nightly:1', 'nightly:2', 'nightly:7'],
    });
    assert.deepEqual(
      deleted.taskDefinitions.map((t) => [t.taskDefinitionArn, t.status]),
      [[td('nightly', 1), 'DELETE_IN_PROGRESS']],
    );
    assert.deepEqual(
      deleted.failures.map((x) => x.arn),
      [td('nightly', 2), 'nightly:7'],
    );
    assert.deepEqual(
      (await f.ecs.listTaskDefinitions(DEFAULT_CONTEXT, { status: 'DELETE_IN_PROGRESS' }))
        .taskDefinitionArns,
      [td('nightly', 1)],
    );
  });

  it('lists definitions by exact family, status and order, with pagination', async () => {
    for (const family of ['b', 'a', 'b', 'a_x', 'a']) {
      await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ family }));
    }
    await f.ecs.deregisterTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: 'a:1' });
    assert.deepEqual((await f.ecs.listTaskDefinitions(DEFAULT_CONTEXT)).taskDefinitionArns, [
      td('a', 2),
      td('a_x', 1),
      td('b', 1),
      td('b', 2),
    ]);
    assert.deepEqual(
      (await f.ecs.listTaskDefinitions(DEFAULT_CONTEXT, { sort: 'DESC', familyPrefix: 'b' }))
        .taskDefinitionArns,
      [td('b', 2), td('b', 1)],
    );
    assert.deepEqual(
      (await f.ecs.listTaskDefinitions(DEFAULT_CONTEXT, { familyPrefix: 'a' })).taskDefinitionArns,
      [td('a', 2)],
    );
    assert.deepEqual(
      (await f.ecs.listTaskDefinitions(DEFAULT_CONTEXT, { status: 'INACTIVE' })).taskDefinitionArns,
      [td('a', 1)],
    );
    const first = await f.ecs.listTaskDefinitions(DEFAULT_CONTEXT, { maxResults: 3 });
    assert.equal(first.taskDefinitionArns.length, 3);
    const rest = await f.ecs.listTaskDefinitions(DEFAULT_CONTEXT, {
      maxResults: 3,
      nextToken: first.nextToken ?? '',
    });
    assert.deepEqual(rest, { taskDefinitionArns: [td('b', 2)] });
    await rejects(
      f.ecs.listTaskDefinitions(DEFAULT_CONTEXT, { sort: 'UP' }),
      'InvalidParameterException',
      /enum value set: \[ASC, DESC\]/,
    );
    await rejects(
      f.ecs.listTaskDefinitions(DEFAULT_CONTEXT, { maxResults: 101 }),
      'InvalidParameterException',
      /maxResults/,
    );
  });

  it('lists families by real prefix; INACTIVE means no ACTIVE revision left', async () => {
    for (const family of ['job', 'job_b', 'jobx', 'web']) {
      await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ family }));
    }
    await f.ecs.deregisterTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: 'jobx:1' });
    assert.deepEqual((await f.ecs.listTaskDefinitionFamilies(DEFAULT_CONTEXT)).families, [
      'job',
      'job_b',
      'jobx',
      'web',
    ]);
    assert.deepEqual(
      (await f.ecs.listTaskDefinitionFamilies(DEFAULT_CONTEXT, { familyPrefix: 'job' })).families,
      ['job', 'job_b', 'jobx'],
    );
    assert.deepEqual(
      (await f.ecs.listTaskDefinitionFamilies(DEFAULT_CONTEXT, { familyPrefix: 'job_' })).families,
      ['job_b'],
    );
    assert.deepEqual(
      (await f.ecs.listTaskDefinitionFamilies(DEFAULT_CONTEXT, { status: 'ACTIVE' })).families,
      ['job', 'job_b', 'web'],
    );
    assert.deepEqual(
      (await f.ecs.listTaskDefinitionFamilies(DEFAULT_CONTEXT, { status: 'INACTIVE' })).families,
      ['jobx'],
    );
  });

  it('accepts exactly the Fargate cpu/memory table', async () => {
    const expected: [number, number, number, number][] = [
      // cpu, first memory, last memory, step
      [256, 512, 2048, 0],
      [512, 1024, 4096, 1024],
      [1024, 2048, 8192, 1024],
      [2048, 4096, 16384, 1024],
      [4096, 8192, 30720, 1024],
      [8192, 16384, 61440, 4096],
      [16384, 32768, 122880, 8192],
    ];
    assert.deepEqual([...FARGATE_SIZES.get(256)!], [512, 1024, 2048]);
    for (const [cpu, first, last, step] of expected) {
      const sizes = FARGATE_SIZES.get(cpu)!;
      assert.equal(sizes[0], first, `${cpu}`);
      assert.equal(sizes.at(-1), last, `${cpu}`);
      if (step) assert.equal(sizes.length, (last - first) / step + 1, `${cpu}`);
      // Every allowed size registers; the neighbours just outside do not.
      for (const memory of [first, last]) {
        await f.ecs.registerTaskDefinition(
          DEFAULT_CONTEXT,
          fargateDefinition({ cpu: String(cpu), memory: String(memory) }),
        );
      }
      for (const memory of [first - (step || 512), last + (step || 1024)]) {
        await rejects(
          f.ecs.registerTaskDefinition(
            DEFAULT_CONTEXT,
            fargateDefinition({ cpu: String(cpu), memory: String(memory) }),
          ),
          'ClientException',
          `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
        );
      }
    }
    // Off-step values inside a range are refused too.
    await rejects(
      f.ecs.registerTaskDefinition(
        DEFAULT_CONTEXT,
        fargateDefinition({ cpu: '8192', memory: '18432' }),
      ),
      'ClientException',
      /8192 CPU, 18432 memory/,
    );
    // The "vCPU"/"GB" forms normalise before the check.
    const { taskDefinition } = await f.ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      fargateDefinition({ cpu: '1 vCPU', memory: '2GB' }),
    );
    assert.deepEqual([taskDefinition.cpu, taskDefinition.memory], ['1024', '2048']);
  });

  it('validates registrations with ECS error types and messages', async () => {
    const container = (extra: Record<string, unknown> = {}) => ({
      name: 'app',
      image: 'busybox',
      ...extra,
    });
    const cases: [Record<string, unknown>, string, string | RegExp][] = [
      [
        { networkMode: 'bridge' },
        'ClientException',
        'Fargate only supports network mode ‘awsvpc’.',
      ],
      [
        { cpu: undefined },
        'ClientException',
        "Fargate requires that 'cpu' be defined at the task level.",
      ],
      [
        { memory: undefined },
        'ClientException',
        "Fargate requires that 'memory' be defined at the task level.",
      ],
      [
        { cpu: 'lots' },
        'ClientException',
        "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
      ],
      [
        { executionRoleArn: undefined },
        'ClientException',
        'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
      ],
      [
        {
          executionRoleArn: undefined,
          containerDefinitions: [
            container({ image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1' }),
          ],
        },
        'ClientException',
        'Fargate requires task definition to have execution role ARN to support ECR images.',
      ],
      [
        { ipcMode: 'host' },
        'ClientException',
        'Tasks using the Fargate launch type do not support ipcMode.',
      ],
      [
        { pidMode: 'host' },
        'ClientException',
        "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.",
      ],
      [{ networkMode: 'overlay' }, 'InvalidParameterException', /Value 'overlay' at 'networkMode'/],
      [
        { requiresCompatibilities: ['LAMBDA'] },
        'InvalidParameterException',
        /at 'requiresCompatibilities'/,
      ],
      [{ family: 'bad family' }, 'ClientException', /^Family contains invalid characters/],
      [{ family: 'x'.repeat(256) }, 'ClientException', /^Family/],
      [{ containerDefinitions: [] }, 'ClientException', 'Container list cannot be empty.'],
      [
        { containerDefinitions: [container(), container()] },
        'ClientException',
        "Duplicate container name 'app' in the task definition.",
      ],
      [
        { containerDefinitions: [{ name: 'app' }] },
        'ClientException',
        'Container.image should not be null or empty.',
      ],
      [
        { containerDefinitions: [container({ essential: false })] },
        'ClientException',
        'A task definition must have at least one essential container.',
      ],
      [
        { containerDefinitions: [container({ memory: 1024 })] },
        'ClientException',
        /'memory' \(1024\) must not exceed the task memory \(512\)/,
      ],
      [
        { containerDefinitions: [container({ cpu: 512 })] },
        'ClientException',
        /sum of container cpu \(512\) exceeds the task cpu \(256\)/,
      ],
      [
        { containerDefinitions: [container({ memory: 100, memoryReservation: 200 })] },
        'ClientException',
        "Invalid setting for container 'app'. 'memory' must be greater than or equal to 'memoryReservation'.",
      ],
      [
        { containerDefinitions: [container({ stopTimeout: 121 })] },
        'ClientException',
        /'stopTimeout' must be between 2 and 120 seconds on Fargate/,
      ],
      [
        {
          containerDefinitions: [
            container({ portMappings: [{ containerPort: 80, hostPort: 8080 }] }),
          ],
        },
        'ClientException',
        'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
      ],
      [
        { containerDefinitions: [container({ healthCheck: { command: ['curl'] } })] },
        'ClientException',
        /must start with 'CMD', 'CMD-SHELL'/,
      ],
      [
        {
          containerDefinitions: [
            container({ healthCheck: { command: ['CMD', 'true'], interval: 1 } }),
          ],
        },
        'ClientException',
        /Health check 'interval' must be between 5 and 300/,
      ],
      [
        { containerDefinitions: [container({ logConfiguration: { logDriver: 'syslog' } })] },
        'ClientException',
        /Fargate supports only the awslogs, splunk and awsfirelens log drivers, not 'syslog'/,
      ],
      [
        {
          containerDefinitions: [
            container({ dependsOn: [{ containerName: 'db', condition: 'START' }] }),
          ],
        },
        'ClientException',
        "Invalid setting for container 'app'. Dependency container 'db' does not exist.",
      ],
      [
        {
          containerDefinitions: [
            container({ dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }),
            { name: 'init', image: 'x' },
          ],
        },
        'ClientException',
        "Invalid setting for container 'app'. Dependency condition SUCCESS can't be set on an essential container ('init').",
      ],
      [
        {
          containerDefinitions: [
            container({ dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
            { name: 'db', image: 'x' },
          ],
        },
        'ClientException',
        /HEALTHY requires container 'db' to have a health check/,
      ],
      [
        {
          containerDefinitions: [
            container({ dependsOn: [{ containerName: 'b', condition: 'START' }] }),
            { name: 'b', image: 'x', dependsOn: [{ containerName: 'app', condition: 'START' }] },
          ],
        },
        'ClientException',
        'Invalid dependsOn: containers form a cycle (app -> b -> app).',
      ],
      [{ ephemeralStorage: { sizeInGiB: 20 } }, 'ClientException', /between 21 and 200 GiB/],
      [{ tags: [{ key: 'aws:x', value: '1' }] }, 'InvalidParameterException', /reserved/],
    ];
    for (const [extra, code, message] of cases) {
      await rejects(
        f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition(extra)),
        code,
        message,
      );
    }
    assert.deepEqual(
      (await f.ecs.listTaskDefinitionFamilies(DEFAULT_CONTEXT)).families,
      [],
      'nothing was stored',
    );
  });

  it('requires container memory without task memory on EC2, and accepts a bridge definition', async () => {
    await rejects(
      f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
        family: 'ec2',
        containerDefinitions: [{ name: 'a', image: 'x' }],
      }),
      'ClientException',
      "Invalid setting for container 'a'. At least one of 'memory' or 'memoryReservation' must be specified.",
    );
    const { taskDefinition } = await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family: 'ec2',
      containerDefinitions: [
        { name: 'a', image: 'x', memoryReservation: 64, portMappings: [{ containerPort: 80 }] },
      ],
    });
    assert.deepEqual(taskDefinition.compatibilities, ['EC2']);
    assert.equal(taskDefinition.networkMode, undefined);
    assert.deepEqual(taskDefinition.containerDefinitions[0]?.portMappings, [
      { containerPort: 80, protocol: 'tcp' },
    ]);
  });
});
