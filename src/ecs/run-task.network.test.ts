/**
 * RunTask's awsvpc checks against a VPC directory (issue 13 item 3): subnets and security
 * groups must exist in the task's region, with ECS's error otherwise; the subnet gives the task
 * its Availability Zone. A fake directory stands in for the EC2 service.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import type { AwsContext } from '../platform/ids.ts';
import {
  CTX,
  type EcsFixture,
  TOKYO,
  ecsFixture,
  fargateDefinition,
  rejects,
} from './ecs.test-support.ts';
import type { NetworkDescription, NetworkDirectory, NetworkLookup } from './network.ports.ts';

/** One region's subnets (id → vpc, zone) and security groups, as EC2 would hold them. */
class FakeDirectory implements NetworkDirectory {
  readonly asked: string[] = [];
  readonly #subnets = new Map<string, { vpcId: string; availabilityZone: string }>([
    ['ap-northeast-1/subnet-0aaa', { vpcId: 'vpc-1', availabilityZone: 'ap-northeast-1c' }],
    ['ap-northeast-1/subnet-0bbb', { vpcId: 'vpc-1', availabilityZone: 'ap-northeast-1a' }],
    ['ap-northeast-1/subnet-0ccc', { vpcId: 'vpc-2', availabilityZone: 'ap-northeast-1a' }],
    ['us-east-1/subnet-0ddd', { vpcId: 'vpc-9', availabilityZone: 'us-east-1b' }],
  ]);
  readonly #groups = new Set(['ap-northeast-1/sg-0aaa']);

  async describe(ctx: AwsContext, lookup: NetworkLookup): Promise<NetworkDescription> {
    this.asked.push(ctx.region);
    const out: NetworkDescription = { subnets: [], missingSubnets: [], missingSecurityGroups: [] };
    for (const id of lookup.subnets) {
      const found = this.#subnets.get(`${ctx.region}/${id}`);
      if (found) out.subnets.push({ subnetId: id, ...found });
      else out.missingSubnets.push(id);
    }
    for (const id of lookup.securityGroups) {
      if (!this.#groups.has(`${ctx.region}/${id}`)) out.missingSecurityGroups.push(id);
    }
    return out;
  }
}

describe('RunTask awsvpc checks', () => {
  let f: EcsFixture;
  let directory: FakeDirectory;
  const run = (ctx: AwsContext, subnets: string[], securityGroups: string[] = []) =>
    f.ecs.runTask(ctx, {
      taskDefinition: 'nightly',
      networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups } },
    });

  beforeEach(async () => {
    directory = new FakeDirectory();
    f = await ecsFixture({ network: directory });
    for (const ctx of [TOKYO, CTX]) {
      await f.ecs.createCluster(ctx);
      await f.ecs.registerTaskDefinition(ctx, fargateDefinition());
    }
  });
  afterEach(() => f.store.close());

  it('runs in the subnet’s zone when subnets and groups exist in the region', async () => {
    const { tasks } = await run(TOKYO, ['subnet-0aaa', 'subnet-0bbb'], ['sg-0aaa']);
    assert.equal(tasks[0]?.availabilityZone, 'ap-northeast-1c');
    assert.deepEqual(directory.asked, ['ap-northeast-1']);
    assert.equal(f.launched.length, 1);
  });

  it('refuses a subnet that does not exist, or exists only in another region', async () => {
    await rejects(
      run(TOKYO, ['subnet-0ddd']),
      'InvalidParameterException',
      "Error retrieving subnet information for [subnet-0ddd]: The subnet ID 'subnet-0ddd' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
    );
    await rejects(
      run(CTX, ['subnet-0aaa']),
      'InvalidParameterException',
      /The subnet ID 'subnet-0aaa' does not exist/,
    );
    assert.equal(f.launched.length, 0);
    assert.deepEqual(await f.ecs.listTasks(TOKYO), { taskArns: [] });
  });

  it('refuses a security group that does not exist in the region', async () => {
    await rejects(
      run(TOKYO, ['subnet-0aaa'], ['sg-0aaa', 'sg-0zzz']),
      'InvalidParameterException',
      "Error retrieving security group information for [sg-0aaa, sg-0zzz]: The security group 'sg-0zzz' does not exist (ErrorCode: InvalidGroup.NotFound)",
    );
  });

  it('refuses subnets of two VPCs', async () => {
    await rejects(
      run(TOKYO, ['subnet-0aaa', 'subnet-0ccc']),
      'InvalidParameterException',
      'Subnets must all belong to the same VPC.',
    );
  });

  it('reports a missing cluster before the network, as ECS does', async () => {
    await rejects(
      f.ecs.runTask(TOKYO, {
        cluster: 'no-such-cluster',
        taskDefinition: 'nightly',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0zzz'] } },
      }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    assert.deepEqual(directory.asked, []);
  });
});
