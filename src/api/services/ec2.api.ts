/**
 * EC2 on the wire (EC2's query dialect, `Version=2016-11-15`, signing name `ec2`): the VPC subset
 * over `Ec2Service`. Handlers decode the flattened form lists (ec2-params.decode.ts), call the
 * service in the request's region and return members under the model's `locationName`s
 * (`vpc`, `vpcSet`, `subnetSet`, …); the ec2 codec writes the XML.
 */
import type { Ec2Service } from '../../ec2/ec2.service.ts';
import type { Vpc } from '../../ec2/ec2.types.ts';
import type { Ec2ServiceModule, QueryOperation } from '../api.types.ts';
import {
  bool,
  filters,
  ipPermissions,
  stringList,
  tagList,
  tagSpecifications,
  tagsToSet,
} from './ec2-params.decode.ts';

/** A VPC as the wire shows it: the DNS attributes are read through DescribeVpcAttribute only. */
function wireVpc(vpc: Vpc): Omit<Vpc, 'enableDnsSupport' | 'enableDnsHostnames'> {
  const { enableDnsSupport: _s, enableDnsHostnames: _h, ...rest } = vpc;
  return rest;
}

const ok = { return: true };

/** The EC2 module for `createApiServer`. */
export function ec2Api(ec2: Ec2Service): Ec2ServiceModule {
  const ops: Record<string, QueryOperation['handler']> = {
    CreateVpc: async (p, ctx) => ({
      vpc: wireVpc(
        await ec2.createVpc(ctx.aws, {
          cidrBlock: p.CidrBlock,
          instanceTenancy: p.InstanceTenancy,
          tagSpecifications: tagSpecifications(p),
        }),
      ),
    }),
    DescribeVpcs: async (p, ctx) => ({
      vpcSet: (
        await ec2.describeVpcs(ctx.aws, { vpcIds: stringList(p, 'VpcId'), filters: filters(p) })
      ).map(wireVpc),
    }),
    DeleteVpc: async (p, ctx) => {
      await ec2.deleteVpc(ctx.aws, p.VpcId);
      return ok;
    },
    DescribeVpcAttribute: async (p, ctx) => {
      const a = await ec2.describeVpcAttribute(ctx.aws, p.VpcId, p.Attribute);
      return { vpcId: a.vpcId, [a.attribute]: { value: a.value } };
    },
    ModifyVpcAttribute: async (p, ctx) => {
      await ec2.modifyVpcAttribute(ctx.aws, {
        vpcId: p.VpcId,
        enableDnsSupport: bool(p, 'EnableDnsSupport.Value'),
        enableDnsHostnames: bool(p, 'EnableDnsHostnames.Value'),
      });
      return ok;
    },
    CreateSubnet: async (p, ctx) => ({
      subnet: await ec2.createSubnet(ctx.aws, {
        vpcId: p.VpcId,
        cidrBlock: p.CidrBlock,
        availabilityZone: p.AvailabilityZone,
        tagSpecifications: tagSpecifications(p),
      }),
    }),
    DescribeSubnets: async (p, ctx) => ({
      subnetSet: await ec2.describeSubnets(ctx.aws, {
        subnetIds: stringList(p, 'SubnetId'),
        filters: filters(p),
      }),
    }),
    DeleteSubnet: async (p, ctx) => {
      await ec2.deleteSubnet(ctx.aws, p.SubnetId);
      return ok;
    },
    ModifySubnetAttribute: async (p, ctx) => {
      await ec2.modifySubnetAttribute(ctx.aws, {
        subnetId: p.SubnetId,
        mapPublicIpOnLaunch: bool(p, 'MapPublicIpOnLaunch.Value'),
      });
      return ok;
    },
    CreateInternetGateway: async (p, ctx) => ({
      internetGateway: await ec2.createInternetGateway(ctx.aws, {
        tagSpecifications: tagSpecifications(p),
      }),
    }),
    AttachInternetGateway: async (p, ctx) => {
      await ec2.attachInternetGateway(ctx.aws, p.InternetGatewayId, p.VpcId);
      return ok;
    },
    DetachInternetGateway: async (p, ctx) => {
      await ec2.detachInternetGateway(ctx.aws, p.InternetGatewayId, p.VpcId);
      return ok;
    },
    DeleteInternetGateway: async (p, ctx) => {
      await ec2.deleteInternetGateway(ctx.aws, p.InternetGatewayId);
      return ok;
    },
    DescribeInternetGateways: async (p, ctx) => ({
      internetGatewaySet: await ec2.describeInternetGateways(ctx.aws, {
        internetGatewayIds: stringList(p, 'InternetGatewayId'),
        filters: filters(p),
      }),
    }),
    CreateSecurityGroup: async (p, ctx) => {
      const sg = await ec2.createSecurityGroup(ctx.aws, {
        groupName: p.GroupName,
        description: p.GroupDescription,
        vpcId: p.VpcId,
        tagSpecifications: tagSpecifications(p),
      });
      return {
        return: true,
        groupId: sg.groupId,
        tagSet: sg.tagSet,
        securityGroupArn: sg.securityGroupArn,
      };
    },
    DescribeSecurityGroups: async (p, ctx) => ({
      securityGroupInfo: await ec2.describeSecurityGroups(ctx.aws, {
        groupIds: stringList(p, 'GroupId'),
        filters: filters(p),
      }),
    }),
    DeleteSecurityGroup: async (p, ctx) => {
      await ec2.deleteSecurityGroup(ctx.aws, p.GroupId);
      return ok;
    },
    CreateTags: async (p, ctx) => {
      await ec2.createTags(ctx.aws, stringList(p, 'ResourceId'), tagsToSet(p));
      return ok;
    },
    DeleteTags: async (p, ctx) => {
      await ec2.deleteTags(ctx.aws, stringList(p, 'ResourceId'), tagList(p));
      return ok;
    },
    DescribeTags: async (p, ctx) => ({ tagSet: await ec2.describeTags(ctx.aws, filters(p)) }),
    CreateRouteTable: async (p, ctx) => ({
      routeTable: await ec2.routeTables.create(ctx.aws, {
        vpcId: p.VpcId,
        tagSpecifications: tagSpecifications(p),
      }),
    }),
    DescribeRouteTables: async (p, ctx) => ({
      routeTableSet: await ec2.routeTables.describe(ctx.aws, {
        routeTableIds: stringList(p, 'RouteTableId'),
        filters: filters(p),
      }),
    }),
    DeleteRouteTable: async (p, ctx) => {
      await ec2.routeTables.delete(ctx.aws, p.RouteTableId);
      return ok;
    },
    AssociateRouteTable: async (p, ctx) =>
      ec2.routeTables.associate(ctx.aws, p.RouteTableId, p.SubnetId),
    DisassociateRouteTable: async (p, ctx) => {
      await ec2.routeTables.disassociate(ctx.aws, p.AssociationId);
      return ok;
    },
    DescribeNetworkAcls: async (p, ctx) => ({
      networkAclSet: await ec2.describeNetworkAcls(ctx.aws, {
        networkAclIds: stringList(p, 'NetworkAclId'),
        filters: filters(p),
      }),
    }),
    DescribeAvailabilityZones: async (p, ctx) => ({
      availabilityZoneInfo: ec2.describeAvailabilityZones(ctx.aws, filters(p)),
    }),
  };
  for (const direction of ['ingress', 'egress'] as const) {
    for (const action of ['authorize', 'revoke'] as const) {
      const name = `${action === 'authorize' ? 'Authorize' : 'Revoke'}SecurityGroup${direction === 'ingress' ? 'Ingress' : 'Egress'}`;
      ops[name] = async (p, ctx) => {
        await ec2.changeRules(ctx.aws, {
          groupId: p.GroupId,
          direction,
          action,
          permissions: ipPermissions(p),
        });
        return ok;
      };
    }
  }
  for (const action of ['create', 'replace', 'delete'] as const) {
    const name = `${action[0]?.toUpperCase()}${action.slice(1)}Route`;
    ops[name] = async (p, ctx) => {
      await ec2.routeTables.route(ctx.aws, action, {
        routeTableId: p.RouteTableId,
        destinationCidrBlock: p.DestinationCidrBlock,
        gatewayId: p.GatewayId,
      });
      return ok;
    };
  }
  return {
    protocol: 'ec2',
    signingName: 'ec2',
    version: '2016-11-15',
    xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    operations: Object.fromEntries(Object.entries(ops).map(([k, handler]) => [k, { handler }])),
  };
}
