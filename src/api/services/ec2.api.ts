/**
 * EC2 on the wire (EC2's query dialect, `Version=2016-11-15`, signing name `ec2`): the VPC subset
 * over `Ec2Service`. Handlers decode the flattened form lists (ec2-params.decode.ts), call the
 * service in the request's region and return members under the model's `locationName`s
 * (`vpc`, `vpcSet`, `subnetSet`, …); the ec2 codec writes the XML. VPCs, subnets, gateways, tags
 * and zones are here; groups, rules, route tables and ACLs in ec2-network.api.ts.
 */
import type { Ec2Service } from '../../ec2/ec2.service.ts';
import type { Vpc, VpcAttribute } from '../../ec2/ec2.types.ts';
import type { Ec2ServiceModule, QueryOperation } from '../api.types.ts';
import { ec2NetworkOperations } from './ec2-network.api.ts';
import {
  bool,
  filters,
  stringList,
  tagList,
  tagSpecifications,
  tagsToSet,
} from './ec2-params.decode.ts';

/** A VPC as the wire shows it: its attributes are read through DescribeVpcAttribute only. */
function wireVpc(vpc: Vpc): Omit<Vpc, VpcAttribute> {
  const {
    enableDnsSupport: _s,
    enableDnsHostnames: _h,
    enableNetworkAddressUsageMetrics: _m,
    ...rest
  } = vpc;
  return rest;
}

/** The `<return>true</return>` of EC2's actions that return nothing else. */
const ok = { return: true };

/** The EC2 module for `createApiServer`. */
export function ec2Api(ec2: Ec2Service): Ec2ServiceModule {
  const ops: Record<string, QueryOperation['handler']> = {
    CreateVpc: async (p, ctx) => ({
      vpc: wireVpc(
        await ec2.vpcs.create(ctx.aws, {
          cidrBlock: p.CidrBlock,
          instanceTenancy: p.InstanceTenancy,
          tagSpecifications: tagSpecifications(p),
        }),
      ),
    }),
    DescribeVpcs: async (p, ctx) => ({
      vpcSet: (
        await ec2.vpcs.describe(ctx.aws, { vpcIds: stringList(p, 'VpcId'), filters: filters(p) })
      ).map(wireVpc),
    }),
    DeleteVpc: async (p, ctx) => {
      await ec2.vpcs.delete(ctx.aws, p.VpcId);
      return ok;
    },
    DescribeVpcAttribute: async (p, ctx) => {
      const a = await ec2.vpcs.describeAttribute(ctx.aws, p.VpcId, p.Attribute);
      return { vpcId: a.vpcId, [a.attribute]: { value: a.value } };
    },
    ModifyVpcAttribute: async (p, ctx) => {
      await ec2.vpcs.modifyAttribute(ctx.aws, {
        vpcId: p.VpcId,
        enableDnsSupport: bool(p, 'EnableDnsSupport.Value'),
        enableDnsHostnames: bool(p, 'EnableDnsHostnames.Value'),
        enableNetworkAddressUsageMetrics: bool(p, 'EnableNetworkAddressUsageMetrics.Value'),
      });
      return ok;
    },
    CreateSubnet: async (p, ctx) => ({
      subnet: await ec2.subnets.create(ctx.aws, {
        vpcId: p.VpcId,
        cidrBlock: p.CidrBlock,
        availabilityZone: p.AvailabilityZone,
        tagSpecifications: tagSpecifications(p),
      }),
    }),
    DescribeSubnets: async (p, ctx) => ({
      subnetSet: await ec2.subnets.describe(ctx.aws, {
        subnetIds: stringList(p, 'SubnetId'),
        filters: filters(p),
      }),
    }),
    DeleteSubnet: async (p, ctx) => {
      await ec2.subnets.delete(ctx.aws, p.SubnetId);
      return ok;
    },
    ModifySubnetAttribute: async (p, ctx) => {
      await ec2.subnets.modifyAttribute(ctx.aws, {
        subnetId: p.SubnetId,
        mapPublicIpOnLaunch: bool(p, 'MapPublicIpOnLaunch.Value'),
      });
      return ok;
    },
    CreateInternetGateway: async (p, ctx) => ({
      internetGateway: await ec2.internetGateways.create(ctx.aws, {
        tagSpecifications: tagSpecifications(p),
      }),
    }),
    AttachInternetGateway: async (p, ctx) => {
      await ec2.internetGateways.attach(ctx.aws, p.InternetGatewayId, p.VpcId);
      return ok;
    },
    DetachInternetGateway: async (p, ctx) => {
      await ec2.internetGateways.detach(ctx.aws, p.InternetGatewayId, p.VpcId);
      return ok;
    },
    DeleteInternetGateway: async (p, ctx) => {
      await ec2.internetGateways.delete(ctx.aws, p.InternetGatewayId);
      return ok;
    },
    DescribeInternetGateways: async (p, ctx) => ({
      internetGatewaySet: await ec2.internetGateways.describe(ctx.aws, {
        internetGatewayIds: stringList(p, 'InternetGatewayId'),
        filters: filters(p),
      }),
    }),
    CreateTags: async (p, ctx) => {
      await ec2.tags.create(ctx.aws, stringList(p, 'ResourceId'), tagsToSet(p));
      return ok;
    },
    DeleteTags: async (p, ctx) => {
      await ec2.tags.delete(ctx.aws, stringList(p, 'ResourceId'), tagList(p));
      return ok;
    },
    DescribeTags: async (p, ctx) => ({ tagSet: await ec2.tags.describe(ctx.aws, filters(p)) }),
    DescribeAvailabilityZones: async (p, ctx) => ({
      availabilityZoneInfo: ec2.describeAvailabilityZones(ctx.aws, filters(p)),
    }),
    ...ec2NetworkOperations(ec2),
  };
  return {
    protocol: 'ec2',
    signingName: 'ec2',
    version: '2016-11-15',
    xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    operations: Object.fromEntries(Object.entries(ops).map(([k, handler]) => [k, { handler }])),
  };
}
