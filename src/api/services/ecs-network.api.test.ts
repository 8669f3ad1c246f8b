/**
 * RunTask's awsvpc check against EC2 through the API with real SDK v3 clients (issue 13, item 3
 * and its negative case): a subnet made with EC2 CreateVpc/CreateSubnet in us-east-1 does not
 * exist for a RunTask in ap-northeast-1, which ECS answers with InvalidParameterException quoting
 * EC2's error; the same subnet runs a task in its own region.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';

import {
  JOB_IMAGE,
  memoryEngine,
  type MemoryEngine,
} from '../../cli/client/client.test-support.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('ECS RunTask awsvpc subnets are regional (EC2 behind the check)', () => {
  let fx: MemoryEngine;
  let tokyo: ECSClient;
  let virginia: ECSClient;
  /** A subnet created in us-east-1 through EC2. */
  let subnetId = '';

  const setUpRegion = async (ecs: ECSClient) => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'jobs' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'job',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: JOB_IMAGE, essential: true }],
      }),
    );
  };

  const runOn = (ecs: ECSClient, subnet: string) =>
    ecs.send(
      new RunTaskCommand({
        cluster: 'jobs',
        taskDefinition: 'job',
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: [subnet], assignPublicIp: 'ENABLED' },
        },
      }),
    );

  before(async () => {
    fx = await memoryEngine();
    tokyo = new ECSClient({ endpoint: fx.url, region: 'ap-northeast-1', credentials });
    virginia = new ECSClient({ endpoint: fx.url, region: 'us-east-1', credentials });
    const ec2 = new EC2Client({ endpoint: fx.url, region: 'us-east-1', credentials });
    try {
      const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }));
      const { Subnet } = await ec2.send(
        new CreateSubnetCommand({
          VpcId: Vpc?.VpcId ?? '',
          CidrBlock: '10.40.1.0/24',
          AvailabilityZone: 'us-east-1a',
        }),
      );
      subnetId = Subnet?.SubnetId ?? '';
      assert.match(subnetId, /^subnet-[0-9a-f]{17}$/);
    } finally {
      ec2.destroy();
    }
    await setUpRegion(tokyo);
    await setUpRegion(virginia);
  });

  after(async () => {
    tokyo.destroy();
    virginia.destroy();
    await fx[Symbol.asyncDispose]();
  });

  it('ap-northeast-1: a us-east-1 subnet is InvalidParameterException with EC2’s error, no task', async () => {
    await assert.rejects(runOn(tokyo, subnetId), (error: Error) => {
      assert.ok(error instanceof InvalidParameterException, `${error.name}: ${error.message}`);
      assert.equal(
        error.message,
        `Error retrieving subnet information for [${subnetId}]: The subnet ID '${subnetId}' ` +
          'does not exist (ErrorCode: InvalidSubnetID.NotFound)',
      );
      return true;
    });
    const listed = await tokyo.send(new ListTasksCommand({ cluster: 'jobs' }));
    assert.deepEqual(listed.taskArns, []);
  });

  it('us-east-1: the same subnet runs the task, and its ENI attachment names it', async () => {
    const run = await runOn(virginia, subnetId);
    assert.deepEqual(run.failures, []);
    const taskArn = run.tasks?.[0]?.taskArn ?? '';
    assert.match(taskArn, /^arn:aws:ecs:us-east-1:000000000000:task\/jobs\/[0-9a-f]{32}$/);
    const { tasks } = await virginia.send(
      new DescribeTasksCommand({ cluster: 'jobs', tasks: [taskArn] }),
    );
    const eni = tasks?.[0]?.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
    assert.deepEqual(
      eni?.details?.find((d) => d.name === 'subnetId'),
      { name: 'subnetId', value: subnetId },
    );
  });
});
