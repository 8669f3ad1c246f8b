/**
 * EC2's traffic operations through the AWS SDK v3 client, mostly in ap-northeast-1: the calls
 * Terraform's AWS provider makes for a self-referencing security group (revoke the default egress
 * rule, authorize its own), DescribeSecurityGroupRules, routes to an internet gateway, the main
 * route table, the default network ACL, DescribeNetworkInterfaces, and the dependency rules.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DetachInternetGatewayCommand,
  EC2Client,
  ModifySecurityGroupRulesCommand,
  ReplaceRouteCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';

import { Ec2Service } from '../../ec2/ec2.service.ts';
import { ManualClock } from '../../platform/clock.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { apiFixture, type ApiFixture } from '../api.test-support.ts';
import { ec2Api } from './ec2.api.ts';

function client(url: string, region: string): EC2Client {
  return new EC2Client({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** The rejection's `name` and message, for errors the SDK parsed from EC2's envelope. */
async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string };
    return { name: err.name, message: err.message };
  }
  assert.fail('expected a rejection');
}

describe('EC2 groups, rules, routes and ACLs through the SDK', () => {
  let fx: ApiFixture;
  let store: Store;
  let tokyo: EC2Client;
  let virginia: EC2Client;

  before(async () => {
    store = await openStore({ dataDir: ':memory:' });
    const ec2 = new Ec2Service({ store, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
    fx = await apiFixture({ extra: [ec2Api(ec2)] });
    const { url } = await fx.server.start({ host: '127.0.0.1', port: 0 });
    tokyo = client(url, 'ap-northeast-1');
    virginia = client(url, 'us-east-1');
  });

  after(async () => {
    tokyo.destroy();
    virginia.destroy();
    await fx[Symbol.asyncDispose]();
    await store.close();
  });

  it("replaces a new group's default egress rule and references the group from itself", async () => {
    const vpcId =
      (await tokyo.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId ?? '';
    const { GroupId = '' } = await tokyo.send(
      new CreateSecurityGroupCommand({ GroupName: 'tasks', Description: 'tasks', VpcId: vpcId }),
    );
    const byGroup = { Filters: [{ Name: 'group-id', Values: [GroupId] }] };
    const initial = await tokyo.send(new DescribeSecurityGroupRulesCommand(byGroup));
    assert.equal(initial.SecurityGroupRules?.length, 1);
    const [egress] = initial.SecurityGroupRules ?? [];
    assert.match(egress?.SecurityGroupRuleId ?? '', /^sgr-[0-9a-f]{17}$/);
    assert.deepEqual(
      [egress?.IsEgress, egress?.IpProtocol, egress?.FromPort, egress?.ToPort, egress?.CidrIpv4],
      [true, '-1', -1, -1, '0.0.0.0/0'],
    );

    // Terraform revokes the default rule as it wrote it: all protocols, ports 0, 0.0.0.0/0.
    const revoked = await tokyo.send(
      new RevokeSecurityGroupEgressCommand({
        GroupId,
        IpPermissions: [
          { IpProtocol: '-1', FromPort: 0, ToPort: 0, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    assert.equal(revoked.Return, true);
    assert.deepEqual(
      revoked.RevokedSecurityGroupRules?.map((r) => r.SecurityGroupRuleId),
      [egress?.SecurityGroupRuleId],
    );

    const ingress = await tokyo.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          { IpProtocol: '-1', FromPort: 0, ToPort: 0, UserIdGroupPairs: [{ GroupId }] },
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'https inside' }],
          },
        ],
      }),
    );
    assert.equal(ingress.Return, true);
    assert.deepEqual(
      ingress.SecurityGroupRules?.map((r) => [
        r.IsEgress,
        r.ReferencedGroupInfo?.GroupId,
        r.CidrIpv4,
        r.Description,
      ]),
      [
        [false, GroupId, undefined, undefined],
        [false, undefined, '10.0.0.0/16', 'https inside'],
      ],
    );
    await tokyo.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId,
        IpPermissions: [
          {
            IpProtocol: '-1',
            FromPort: 0,
            ToPort: 0,
            IpRanges: [{ CidrIp: '0.0.0.0/0' }],
            Ipv6Ranges: [{ CidrIpv6: '::/0' }],
          },
        ],
      }),
    );
    const duplicate = await rejection(
      tokyo.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 443,
              ToPort: 443,
              IpRanges: [{ CidrIp: '10.0.0.0/16' }],
            },
          ],
        }),
      ),
    );
    assert.deepEqual(duplicate, {
      name: 'InvalidPermission.Duplicate',
      message:
        'the specified rule "peer: 10.0.0.0/16, TCP, from port: 443, to port: 443, ALLOW" already exists',
    });

    const [sg] =
      (await tokyo.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId] })))
        .SecurityGroups ?? [];
    assert.deepEqual(sg?.IpPermissions, [
      {
        IpProtocol: '-1',
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [{ GroupId, UserId: '000000000000' }],
      },
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'https inside' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);
    assert.deepEqual(sg?.IpPermissionsEgress, [
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);

    const all = await tokyo.send(new DescribeSecurityGroupRulesCommand(byGroup));
    assert.equal(all.SecurityGroupRules?.length, 4);
    const someId = all.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
    const one = await tokyo.send(
      new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [someId] }),
    );
    assert.equal(one.SecurityGroupRules?.[0]?.GroupId, GroupId);
    assert.equal(
      (
        await rejection(
          tokyo.send(
            new DescribeSecurityGroupRulesCommand({
              SecurityGroupRuleIds: ['sgr-00000000000000000'],
            }),
          ),
        )
      ).name,
      'InvalidSecurityGroupRuleId.NotFound',
    );
    // Regional: the group and its rules are not visible from us-east-1.
    assert.deepEqual(
      (await virginia.send(new DescribeSecurityGroupRulesCommand(byGroup))).SecurityGroupRules,
      [],
    );

    assert.deepEqual(
      await rejection(
        tokyo.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId,
            IpPermissions: [
              { IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
            ],
          }),
        ),
      ),
      {
        name: 'InvalidPermission.NotFound',
        message: 'The specified rule does not exist in this security group.',
      },
    );
    const eni = await tokyo.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId] }] }),
    );
    assert.deepEqual(eni.NetworkInterfaces, []);
  });

  it('refuses to delete a group another group references, not one that references itself', async () => {
    const vpcId =
      (await tokyo.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc?.VpcId ?? '';
    const create = async (name: string) =>
      (
        await tokyo.send(
          new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }),
        )
      ).GroupId ?? '';
    const db = await create('db');
    const app = await create('app');
    for (const [target, source] of [
      [db, db],
      [db, app],
    ] as const) {
      await tokyo.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: target,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 5432,
              ToPort: 5432,
              UserIdGroupPairs: [{ GroupId: source }],
            },
          ],
        }),
      );
    }
    assert.deepEqual(
      await rejection(tokyo.send(new DeleteSecurityGroupCommand({ GroupId: app }))),
      {
        name: 'DependencyViolation',
        message: `resource ${app} has a dependent object`,
      },
    );
    await tokyo.send(new DeleteSecurityGroupCommand({ GroupId: db }));
    await tokyo.send(new DeleteSecurityGroupCommand({ GroupId: app }));
    await tokyo.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });

  it('keeps the main route table and default ACL of a VPC, and routes through a gateway', async () => {
    const vpcId =
      (await tokyo.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc?.VpcId ?? '';
    const inVpc = [{ Name: 'vpc-id', Values: [vpcId] }];
    const [main] =
      (await tokyo.send(new DescribeRouteTablesCommand({ Filters: inVpc }))).RouteTables ?? [];
    const mainId = main?.RouteTableId ?? '';
    assert.equal(main?.Associations?.length, 1);
    const [mainAssoc] = main?.Associations ?? [];
    assert.equal(mainAssoc?.Main, true);
    assert.match(mainAssoc?.RouteTableAssociationId ?? '', /^rtbassoc-[0-9a-f]{17}$/);
    assert.deepEqual(mainAssoc?.AssociationState, { State: 'associated' });
    assert.deepEqual(main?.Routes, [
      {
        DestinationCidrBlock: '10.2.0.0/16',
        GatewayId: 'local',
        State: 'active',
        Origin: 'CreateRouteTable',
      },
    ]);
    assert.equal(
      (await rejection(tokyo.send(new DeleteRouteTableCommand({ RouteTableId: mainId })))).message,
      `The routeTable '${mainId}' has dependencies and cannot be deleted.`,
    );

    const subnets: string[] = [];
    for (const [i, zone] of ['ap-northeast-1a', 'ap-northeast-1c'].entries()) {
      const { Subnet } = await tokyo.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: `10.2.${i}.0/24`,
          AvailabilityZone: zone,
        }),
      );
      subnets.push(Subnet?.SubnetId ?? '');
    }
    const [acl] =
      (await tokyo.send(new DescribeNetworkAclsCommand({ Filters: inVpc }))).NetworkAcls ?? [];
    assert.equal(acl?.IsDefault, true);
    assert.deepEqual(
      acl?.Entries?.map((e) => [e.Egress, e.RuleNumber, e.Protocol, e.RuleAction, e.CidrBlock]),
      [
        [true, 100, '-1', 'allow', '0.0.0.0/0'],
        [true, 32767, '-1', 'deny', '0.0.0.0/0'],
        [false, 100, '-1', 'allow', '0.0.0.0/0'],
        [false, 32767, '-1', 'deny', '0.0.0.0/0'],
      ],
    );
    assert.deepEqual(
      acl?.Associations?.map((a) => a.SubnetId),
      subnets,
    );

    const igwId =
      (await tokyo.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId ??
      '';
    const rtbId =
      (await tokyo.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable?.RouteTableId ??
      '';
    const route = { RouteTableId: rtbId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId };
    assert.equal(
      (await rejection(tokyo.send(new CreateRouteCommand(route)))).name,
      'InvalidParameterValue',
      'a gateway not attached to the VPC',
    );
    await tokyo.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    await tokyo.send(new CreateRouteCommand(route));
    await tokyo.send(new ReplaceRouteCommand(route));
    for (const SubnetId of subnets) {
      await tokyo.send(new AssociateRouteTableCommand({ RouteTableId: rtbId, SubnetId }));
    }
    const routesOf = async () =>
      (await tokyo.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtbId] })))
        .RouteTables?.[0];
    const table = await routesOf();
    assert.deepEqual(table?.Routes?.[1], {
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: igwId,
      State: 'active',
      Origin: 'CreateRoute',
    });
    assert.deepEqual(
      table?.Associations?.map((a) => [a.Main, a.SubnetId, a.AssociationState?.State]),
      subnets.map((s) => [false, s, 'associated']),
    );
    assert.equal(
      (await rejection(tokyo.send(new DeleteVpcCommand({ VpcId: vpcId })))).name,
      'DependencyViolation',
    );

    await tokyo.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    assert.equal((await routesOf())?.Routes?.[1]?.State, 'blackhole');
    await tokyo.send(
      new DeleteRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: '0.0.0.0/0' }),
    );
    assert.equal(
      (
        await rejection(
          tokyo.send(
            new DeleteRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: '0.0.0.0/0' }),
          ),
        )
      ).name,
      'InvalidRoute.NotFound',
    );
    // Deleting the subnets drops their associations; the table then goes, then the VPC.
    for (const SubnetId of subnets) await tokyo.send(new DeleteSubnetCommand({ SubnetId }));
    assert.deepEqual((await routesOf())?.Associations, []);
    await tokyo.send(new DeleteRouteTableCommand({ RouteTableId: rtbId }));
    await tokyo.send(new DeleteVpcCommand({ VpcId: vpcId }));
    assert.equal(
      (await rejection(tokyo.send(new DescribeRouteTablesCommand({ RouteTableIds: [mainId] }))))
        .name,
      'InvalidRouteTableID.NotFound',
    );
  });

  it('modifies a rule in place: new port and description, same id', async () => {
    const vpcId =
      (await tokyo.send(new CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))).Vpc?.VpcId ?? '';
    const { GroupId = '' } = await tokyo.send(
      new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }),
    );
    const http = {
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
      IpRanges: [{ CidrIp: '10.3.0.0/16' }],
    };
    const added = await tokyo.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [http] }),
    );
    const ruleId = added.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
    const change = (id: string, port: number) =>
      new ModifySecurityGroupRulesCommand({
        GroupId,
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: id,
            SecurityGroupRule: {
              IpProtocol: 'tcp',
              FromPort: port,
              ToPort: port,
              CidrIpv4: '10.3.0.0/16',
              Description: 'alt http',
            },
          },
        ],
      });
    assert.equal((await tokyo.send(change(ruleId, 8080))).Return, true);
    const [rule] =
      (await tokyo.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] })))
        .SecurityGroupRules ?? [];
    assert.deepEqual(
      [rule?.IsEgress, rule?.FromPort, rule?.ToPort, rule?.CidrIpv4, rule?.Description],
      [false, 8080, 8080, '10.3.0.0/16', 'alt http'],
    );
    // The old rule is gone: authorizing it again is no duplicate.
    await tokyo.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [http] }));
    assert.equal(
      (await rejection(tokyo.send(change('sgr-00000000000000000', 443)))).name,
      'InvalidSecurityGroupRuleId.NotFound',
    );
  });
});
