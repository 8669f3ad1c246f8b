/**
 * The ECS operations the Terraform AWS provider (5.100.0) calls for the classic system, through
 * the AWS SDK v3 client in ap-northeast-1 (where that system is deployed), and the check that a
 * us-east-1 client sees none of it (issue 13 items 3 and 4).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ClusterNotFoundException,
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  ListTaskDefinitionsCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterCommand,
  UpdateClusterSettingsCommand,
} from '@aws-sdk/client-ecs';

import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  JOB_IMAGE,
  memoryEngine,
  type MemoryEngine,
} from '../../cli/client/client.test-support.ts';
import { defaultNetworkAt } from '../../engine/engine.test-support.ts';
import { apiRoles, createServiceRoles } from '../../engine/service-roles.test-support.ts';

const TOKYO = 'arn:aws:ecs:ap-northeast-1:000000000000';
/** Terraform's `default_tags` arrive as ordinary tags, merged with the resource's own. */
const TAGS = [
  { key: 'Project', value: 'classic' },
  { key: 'ManagedBy', value: 'terraform' },
  { key: 'Name', value: 'classic-cluster' },
];

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function sdkClient(url: string, region: string): ECSClient {
  return new ECSClient({ endpoint: url, region, credentials });
}

describe('ECS API for Terraform, in ap-northeast-1', () => {
  let fx: MemoryEngine;
  let tokyo: ECSClient;
  let virginia: ECSClient;

  before(async () => {
    fx = await memoryEngine();
    tokyo = sdkClient(fx.url, 'ap-northeast-1');
    virginia = sdkClient(fx.url, 'us-east-1');
  });

  after(async () => {
    tokyo.destroy();
    virginia.destroy();
    await fx[Symbol.asyncDispose]();
  });

  it('creates, updates and describes a cluster with include, tags round-tripping exactly', async () => {
    const created = await tokyo.send(
      new CreateClusterCommand({
        clusterName: 'classic',
        tags: TAGS,
        settings: [{ name: 'containerInsights', value: 'enabled' }],
      }),
    );
    const arn = `${TOKYO}:cluster/classic`;
    assert.equal(created.cluster?.clusterArn, arn);

    await tokyo.send(
      new PutClusterCapacityProvidersCommand({
        cluster: 'classic',
        capacityProviders: ['FARGATE'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }],
      }),
    );
    await tokyo.send(
      new UpdateClusterCommand({
        cluster: 'classic',
        configuration: { executeCommandConfiguration: { logging: 'DEFAULT' } },
      }),
    );
    await tokyo.send(
      new UpdateClusterSettingsCommand({
        cluster: arn,
        settings: [{ name: 'containerInsights', value: 'enhanced' }],
      }),
    );

    const plain = (await tokyo.send(new DescribeClustersCommand({ clusters: [arn] })))
      .clusters?.[0];
    assert.deepEqual(plain?.tags, []);
    assert.equal(plain?.configuration, undefined);
    assert.equal(plain?.attachments, undefined);
    assert.deepEqual(plain?.capacityProviders, ['FARGATE']);
    assert.deepEqual(plain?.defaultCapacityProviderStrategy, [
      { capacityProvider: 'FARGATE', weight: 1, base: 0 },
    ]);

    const full = (
      await tokyo.send(
        new DescribeClustersCommand({
          clusters: ['classic'],
          include: ['TAGS', 'SETTINGS', 'CONFIGURATIONS', 'ATTACHMENTS', 'STATISTICS'],
        }),
      )
    ).clusters?.[0];
    assert.deepEqual(full?.tags, TAGS);
    assert.deepEqual(full?.settings, [{ name: 'containerInsights', value: 'enhanced' }]);
    assert.deepEqual(full?.configuration, {
      executeCommandConfiguration: { logging: 'DEFAULT' },
    });
    assert.deepEqual(full?.attachments, []);
    assert.equal(full?.statistics?.length, 12);

    // Tagging by ARN, as the provider's tags update does.
    await tokyo.send(
      new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'Owner', value: 'ops' }] }),
    );
    await tokyo.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['Name'] }));
    const listed = await tokyo.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(listed.tags, [...TAGS.slice(0, 2), { key: 'Owner', value: 'ops' }]);
  });

  it('tags the FARGATE capacity provider of the region', async () => {
    const provider = `${TOKYO}:capacity-provider/FARGATE`;
    await tokyo.send(
      new TagResourceCommand({ resourceArn: provider, tags: [{ key: 'env', value: 'prod' }] }),
    );
    assert.deepEqual(
      (await tokyo.send(new ListTagsForResourceCommand({ resourceArn: provider }))).tags,
      [{ key: 'env', value: 'prod' }],
    );
    assert.deepEqual(
      (
        await virginia.send(
          new ListTagsForResourceCommand({
            resourceArn: 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE',
          }),
        )
      ).tags,
      [],
    );
  });

  it('returns a task definition’s tags with include TAGS and propagates them to tasks', async () => {
    const registered = await tokyo.send(
      new RegisterTaskDefinitionCommand({
        family: 'classic-job',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: JOB_IMAGE, essential: true }],
        tags: TAGS,
      }),
    );
    assert.deepEqual(registered.tags, TAGS);
    const arn = registered.taskDefinition?.taskDefinitionArn;
    assert.equal(arn, `${TOKYO}:task-definition/classic-job:1`);
    const described = await tokyo.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'classic-job', include: ['TAGS'] }),
    );
    assert.deepEqual(described.tags, TAGS);
    const bare = await tokyo.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn ?? '' }));
    assert.equal(bare.tags, undefined);

    const [subnet] = (await defaultNetworkAt(fx.url, 'ap-northeast-1')).subnets;
    const run = await tokyo.send(
      new RunTaskCommand({
        cluster: 'classic',
        taskDefinition: 'classic-job',
        launchType: 'FARGATE',
        propagateTags: 'TASK_DEFINITION',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: [subnet!], assignPublicIp: 'ENABLED' },
        },
      }),
    );
    const taskArn = run.tasks?.[0]?.taskArn ?? '';
    assert.ok(taskArn.startsWith(`${TOKYO}:task/classic/`));
    const tasks = await tokyo.send(
      new DescribeTasksCommand({ cluster: 'classic', tasks: [taskArn], include: ['TAGS'] }),
    );
    assert.deepEqual(tasks.tasks?.[0]?.tags, TAGS);
    const eni = tasks.tasks?.[0]?.attachments?.[0];
    assert.equal(eni?.type, 'ElasticNetworkInterface');
    assert.deepEqual(eni?.details?.[0], { name: 'subnetId', value: subnet });
  });

  it('shows none of it to a us-east-1 client', async () => {
    assert.deepEqual((await virginia.send(new ListClustersCommand({}))).clusterArns, []);
    assert.deepEqual(
      (await virginia.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns,
      [],
    );
    const described = await virginia.send(
      new DescribeClustersCommand({ clusters: [`${TOKYO}:cluster/classic`] }),
    );
    assert.deepEqual(described.clusters, []);
    assert.equal(described.failures?.[0]?.reason, 'MISSING');
    await assert.rejects(
      virginia.send(new ListTagsForResourceCommand({ resourceArn: `${TOKYO}:cluster/classic` })),
      ClusterNotFoundException,
    );
    assert.deepEqual((await tokyo.send(new ListClustersCommand({}))).clusterArns, [
      `${TOKYO}:cluster/classic`,
    ]);
  });
});

/**
 * The rule's target path: a scheduled rule's ECS target with PropagateTags TASK_DEFINITION
 * starts tasks carrying the definition's tags (Terraform's default_tags among them), in the
 * rule's region.
 */
describe('PropagateTags through a scheduled rule', () => {
  const region = 'ap-northeast-1';
  const prefix = `arn:aws:ecs:${region}:000000000000`;
  let fx: MemoryEngine;
  let ecs: ECSClient;
  let events: EventBridgeClient;

  before(async () => {
    fx = await memoryEngine();
    ecs = sdkClient(fx.url, region);
    events = new EventBridgeClient({ endpoint: fx.url, region, credentials });
    // The rule runs its task as the events role, which must exist and allow it.
    await createServiceRoles(apiRoles(fx.url));
  });

  after(async () => {
    ecs.destroy();
    events.destroy();
    await fx[Symbol.asyncDispose]();
  });

  it('copies the task definition’s tags onto the task the rule starts', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'classic', tags: TAGS }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'tick',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: JOB_IMAGE, essential: true }],
        tags: TAGS,
      }),
    );
    const net = await defaultNetworkAt(fx.url, region);
    await events.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(1 minute)' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'tick',
        Targets: [
          {
            Id: 'ecs',
            Arn: `${prefix}:cluster/classic`,
            RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
            EcsParameters: {
              TaskDefinitionArn: `${prefix}:task-definition/tick`,
              LaunchType: 'FARGATE',
              PropagateTags: 'TASK_DEFINITION',
              NetworkConfiguration: {
                awsvpcConfiguration: { Subnets: net.subnets, AssignPublicIp: 'ENABLED' },
              },
            },
          },
        ],
      }),
    );
    await fx.clock.advance(60_000);
    await fx.engine.invoker.idle();
    const started = await fx.engine.invoker
      .idle()
      .then(() =>
        ecs.send(new DescribeClustersCommand({ clusters: ['classic'], include: ['STATISTICS'] })),
      );
    assert.ok(started.clusters?.[0]);
    const { taskArns } = await ecs.send(
      new ListTasksCommand({ cluster: 'classic', desiredStatus: 'STOPPED' }),
    );
    const running = await ecs.send(new ListTasksCommand({ cluster: 'classic' }));
    const arns = [...(taskArns ?? []), ...(running.taskArns ?? [])];
    assert.equal(arns.length, 1);
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'classic', tasks: arns, include: ['TAGS'] }),
    );
    assert.equal(tasks?.[0]?.startedBy, 'events-rule/tick');
    assert.deepEqual(tasks?.[0]?.tags, TAGS);
  });
});
