/**
 * The network a test on a whole engine gives its awsvpc tasks. Since RunTask checks subnets and
 * security groups against EC2 (they must exist in the task's region), tests use the region's
 * default subnets and `default` security group, found the way an AWS user finds them
 * (DescribeSubnets `default-for-az=true`, DescribeSecurityGroups `group-name=default`) rather than
 * ids made up for the occasion: on the engine's EC2 service, or through the EC2 API at an
 * endpoint with the SDK (tests that only hold a URL, and test/support for integration tests).
 *
 *   const net = await defaultNetwork(fx.engine);               // us-east-1
 *   await fx.engine.ecs.runTask(ctx, { …, networkConfiguration: awsvpc(net) });
 *   const tokyo = await defaultNetworkAt(fx.url, 'ap-northeast-1');
 */
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';

import type { NetworkConfiguration } from '../ecs/ecs.types.ts';
import { type AwsContext, DEFAULT_CONTEXT } from '../platform/ids.ts';
import type { Engine } from './engine.ts';

/** A region's default subnets (one per zone, in zone order) and its default VPC's `default` group. */
export interface DefaultNetwork {
  readonly subnets: string[];
  readonly securityGroups: string[];
}

/** Looks up the default subnets and security group of `ctx`'s region on `engine`'s EC2 service. */
export async function defaultNetwork(
  engine: Pick<Engine, 'ec2'>,
  ctx: AwsContext = DEFAULT_CONTEXT,
): Promise<DefaultNetwork> {
  const subnets = await engine.ec2.subnets.describe(ctx, {
    filters: [{ name: 'default-for-az', values: ['true'] }],
  });
  const defaultVpc = subnets[0]?.vpcId ?? '';
  const groups = await engine.ec2.securityGroups.describe(ctx, {
    filters: [
      { name: 'group-name', values: ['default'] },
      { name: 'vpc-id', values: [defaultVpc] },
    ],
  });
  return {
    subnets: [...subnets]
      .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone))
      .map((s) => s.subnetId),
    securityGroups: groups.map((g) => g.groupId),
  };
}

/** Asks the EC2 API at `endpoint` (SDK v3, test keys) for `region`'s default network. */
export async function defaultNetworkAt(
  endpoint: string,
  region = DEFAULT_CONTEXT.region,
): Promise<DefaultNetwork> {
  const ec2 = new EC2Client({
    endpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  try {
    const vpcs = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
    );
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
    );
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: ['default'] },
          { Name: 'vpc-id', Values: [vpcs.Vpcs?.[0]?.VpcId ?? ''] },
        ],
      }),
    );
    return {
      subnets: [...(subnets.Subnets ?? [])]
        .sort((a, b) => (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? ''))
        .map((s) => s.SubnetId ?? ''),
      securityGroups: (groups.SecurityGroups ?? []).map((g) => g.GroupId ?? ''),
    };
  } finally {
    ec2.destroy();
  }
}

/** An ECS `networkConfiguration` on `net` with a public address, as the ECS tests send it. */
export function awsvpc(net: DefaultNetwork): NetworkConfiguration {
  return {
    awsvpcConfiguration: {
      subnets: [...net.subnets],
      securityGroups: [...net.securityGroups],
      assignPublicIp: 'ENABLED',
    },
  };
}
