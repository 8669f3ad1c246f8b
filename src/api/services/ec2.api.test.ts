/**
 * EC2 over HTTP through the AWS SDK v3 client, on an engine with an in-memory runtime: VPCs,
 * subnets, internet gateways and security groups with filters and tags, the dependency rules on
 * delete, and EC2's error envelope as the SDK parses it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  DeleteRouteTableCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DisassociateRouteTableCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInternetGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';

import { memoryEngine, type MemoryEngine } from '../../cli/client/client.test-support.ts';

function client(url: string, region = 'us-east-1'): EC2Client {
  return new EC2Client({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** The rejection's `name` and message, for errors the SDK parsed from EC2's envelope. */
async function rejection(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  assert.fail('expected a rejection');
}

describe('EC2 API through the SDK', () => {
  let fx: MemoryEngine;
  let ec2: EC2Client;

  before(async () => {
    fx = await memoryEngine();
    ec2 = client(fx.url);
  });

  after(async () => {
    ec2.destroy();
    await fx[Symbol.asyncDispose]();
  });

  it('creates, filters, tags and deletes a VPC; the default VPC is there already', async () => {
    const { Vpc } = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.0.0.0/16',
        TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'main' }] }],
      }),
    );
    assert.match(Vpc?.VpcId ?? '', /^vpc-[0-9a-f]{17}$/);
    assert.equal(Vpc?.State, 'available');
    assert.deepEqual(Vpc?.Tags, [{ Key: 'Name', Value: 'main' }]);
    const vpcId = Vpc?.VpcId ?? '';

    const all = await ec2.send(new DescribeVpcsCommand({}));
    const defaults = all.Vpcs?.filter((v) => v.IsDefault) ?? [];
    assert.equal(defaults.length, 1);
    assert.equal(defaults[0]?.CidrBlock, '172.31.0.0/16');

    const byTag = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['main'] }] }),
    );
    assert.deepEqual(
      byTag.Vpcs?.map((v) => v.VpcId),
      [vpcId],
    );
    const byCidr = await ec2.send(
      new DescribeVpcsCommand({
        Filters: [
          { Name: 'cidr', Values: ['10.0.0.0/16'] },
          { Name: 'isDefault', Values: ['false'] },
        ],
      }),
    );
    assert.deepEqual(
      byCidr.Vpcs?.map((v) => v.VpcId),
      [vpcId],
    );

    await ec2.send(
      new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }),
    );
    const attr = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }),
    );
    assert.equal(attr.EnableDnsHostnames?.Value, true);

    await ec2.send(
      new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'env', Value: 'test' }] }),
    );
    const tags = await ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [vpcId] }] }),
    );
    assert.deepEqual(
      tags.Tags?.map((t) => [t.Key, t.Value, t.ResourceType]),
      [
        ['Name', 'main', 'vpc'],
        ['env', 'test', 'vpc'],
      ],
    );

    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: ['default'] },
        ],
      }),
    );
    assert.equal(groups.SecurityGroups?.length, 1);

    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    assert.deepEqual(await rejection(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))), {
      name: 'InvalidVpcID.NotFound',
      message: `The vpc ID '${vpcId}' does not exist`,
      status: 400,
    });
  });

  it('refuses to delete a VPC with a subnet (DependencyViolation), then deletes it', async () => {
    const vpcId =
      (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc?.VpcId ?? '';
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: '10.1.1.0/24',
        AvailabilityZone: 'us-east-1b',
      }),
    );
    assert.match(Subnet?.SubnetId ?? '', /^subnet-[0-9a-f]{17}$/);
    assert.equal(Subnet?.AvailableIpAddressCount, 251);
    assert.deepEqual(await rejection(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))), {
      name: 'DependencyViolation',
      message: `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
      status: 400,
    });
    const overlap = await rejection(
      ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.1.128/25' })),
    );
    assert.equal(overlap.name, 'InvalidSubnet.Conflict');
    const outside = await rejection(
      ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.0.0/24' })),
    );
    assert.deepEqual(outside, {
      name: 'InvalidSubnet.Range',
      message: "The CIDR '10.2.0.0/24' is invalid.",
      status: 400,
    });
    const found = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    assert.deepEqual(
      found.Subnets?.map((s) => s.AvailabilityZone),
      ['us-east-1b'],
    );
    await ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet?.SubnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });

  it('attaches, detaches and deletes an internet gateway', async () => {
    const vpcId =
      (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))).Vpc?.VpcId ?? '';
    const igwId =
      (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId ??
      '';
    assert.match(igwId, /^igw-[0-9a-f]{17}$/);
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const seen = await ec2.send(
      new DescribeInternetGatewaysCommand({
        Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }],
      }),
    );
    assert.deepEqual(seen.InternetGateways?.[0]?.Attachments, [
      { VpcId: vpcId, State: 'available' },
    ]);
    assert.equal(
      (await rejection(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })))).name,
      'DependencyViolation',
    );
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });

  it('creates a security group with the default egress rule and a self-referencing rule', async () => {
    const vpcId =
      (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.4.0.0/16' }))).Vpc?.VpcId ?? '';
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'tasks', Description: 'tasks', VpcId: vpcId }),
    );
    assert.match(GroupId ?? '', /^sg-[0-9a-f]{17}$/);
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId }] }],
      }),
    );
    const [sg] =
      (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId ?? ''] })))
        .SecurityGroups ?? [];
    assert.equal(sg?.IpPermissionsEgress?.[0]?.IpRanges?.[0]?.CidrIp, '0.0.0.0/0');
    assert.equal(sg?.IpPermissions?.[0]?.UserIdGroupPairs?.[0]?.GroupId, GroupId);
    assert.equal(
      (
        await rejection(
          ec2.send(
            new CreateSecurityGroupCommand({ GroupName: 'tasks', Description: 'x', VpcId: vpcId }),
          ),
        )
      ).name,
      'InvalidGroup.Duplicate',
    );
    assert.equal(
      (await rejection(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })))).name,
      'DependencyViolation',
    );
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    assert.equal(
      (await rejection(ec2.send(new DeleteSecurityGroupCommand({ GroupId })))).name,
      'InvalidGroup.NotFound',
    );
  });

  it('keeps regions apart: a VPC of ap-northeast-1 is unknown in us-east-1', async () => {
    const tokyo = client(fx.url, 'ap-northeast-1');
    try {
      const vpcId =
        (await tokyo.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc?.VpcId ?? '';
      assert.equal(
        (await rejection(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })))).name,
        'InvalidVpcID.NotFound',
      );
      const zones = await tokyo.send(new DescribeAvailabilityZonesCommand({}));
      assert.deepEqual(
        zones.AvailabilityZones?.map((z) => z.ZoneName),
        ['ap-northeast-1a', 'ap-northeast-1b', 'ap-northeast-1c'],
      );
      const defaults = await tokyo.send(
        new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
      );
      assert.equal(defaults.Subnets?.length, 3);
    } finally {
      tokyo.destroy();
    }
  });

  it('routes a subnet to an internet gateway through its own route table', async () => {
    const vpcId =
      (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }))).Vpc?.VpcId ?? '';
    const main = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'association.main', Values: ['true'] },
        ],
      }),
    );
    assert.deepEqual(
      main.RouteTables?.[0]?.Routes?.map((r) => [r.DestinationCidrBlock, r.GatewayId]),
      [['10.5.0.0/16', 'local']],
    );
    const acls = await ec2.send(
      new DescribeNetworkAclsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'default', Values: ['true'] },
        ],
      }),
    );
    assert.match(acls.NetworkAcls?.[0]?.NetworkAclId ?? '', /^acl-[0-9a-f]{17}$/);

    const igwId =
      (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId ??
      '';
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const subnetId =
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.5.0.0/24' }))).Subnet
        ?.SubnetId ?? '';
    const rtbId =
      (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable?.RouteTableId ??
      '';
    assert.match(rtbId, /^rtb-[0-9a-f]{17}$/);
    await ec2.send(
      new CreateRouteCommand({
        RouteTableId: rtbId,
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: igwId,
      }),
    );
    assert.equal(
      (
        await rejection(
          ec2.send(
            new CreateRouteCommand({
              RouteTableId: rtbId,
              DestinationCidrBlock: '0.0.0.0/0',
              GatewayId: igwId,
            }),
          ),
        )
      ).name,
      'RouteAlreadyExists',
    );
    const { AssociationId } = await ec2.send(
      new AssociateRouteTableCommand({ RouteTableId: rtbId, SubnetId: subnetId }),
    );
    assert.match(AssociationId ?? '', /^rtbassoc-[0-9a-f]{17}$/);
    const bySubnet = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }],
      }),
    );
    assert.deepEqual(
      bySubnet.RouteTables?.map((t) => t.RouteTableId),
      [rtbId],
    );
    assert.equal(
      (await rejection(ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtbId })))).name,
      'DependencyViolation',
    );
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtbId }));
    assert.equal(
      (await rejection(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtbId] })))).name,
      'InvalidRouteTableID.NotFound',
    );
  });
});
