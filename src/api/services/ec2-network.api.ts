/**
 * The EC2 operations on traffic: security groups and their rules, route tables and routes,
 * network ACLs and network interfaces (see ec2.api.ts for the module itself).
 */
import type { Ec2Service } from '../../ec2/ec2.service.ts';
import type { SecurityGroupRule } from '../../ec2/ec2.types.ts';
import type { QueryOperation } from '../api.types.ts';
import {
  filters,
  ipPermissions,
  ruleUpdates,
  stringList,
  tagSpecifications,
} from './ec2-params.decode.ts';

const ok = { return: true };

/** A revoked rule as RevokeSecurityGroup* lists it (the referenced group flattened to its id). */
function revokedRule(rule: SecurityGroupRule): object {
  return {
    securityGroupRuleId: rule.securityGroupRuleId,
    groupId: rule.groupId,
    isEgress: rule.isEgress,
    ipProtocol: rule.ipProtocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    cidrIpv4: rule.cidrIpv4,
    cidrIpv6: rule.cidrIpv6,
    prefixListId: rule.prefixListId,
    referencedGroupId: rule.referencedGroupInfo?.groupId,
    description: rule.description,
  };
}

/** Handlers by action name, merged into the EC2 module. */
export function ec2NetworkOperations(ec2: Ec2Service): Record<string, QueryOperation['handler']> {
  const ops: Record<string, QueryOperation['handler']> = {
    CreateSecurityGroup: async (p, ctx) => {
      const sg = await ec2.securityGroups.create(ctx.aws, {
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
      securityGroupInfo: await ec2.securityGroups.describe(ctx.aws, {
        groupIds: stringList(p, 'GroupId'),
        groupNames: stringList(p, 'GroupName'),
        filters: filters(p),
      }),
    }),
    DeleteSecurityGroup: async (p, ctx) => {
      await ec2.securityGroups.delete(ctx.aws, p.GroupId);
      return ok;
    },
    DescribeSecurityGroupRules: async (p, ctx) => ({
      securityGroupRuleSet: await ec2.securityGroupRules.describe(ctx.aws, {
        ruleIds: stringList(p, 'SecurityGroupRuleId'),
        filters: filters(p),
      }),
    }),
    ModifySecurityGroupRules: async (p, ctx) => {
      await ec2.securityGroupRules.modify(ctx.aws, p.GroupId, ruleUpdates(p));
      return ok;
    },
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
      networkAclSet: await ec2.networkAcls.describe(ctx.aws, {
        networkAclIds: stringList(p, 'NetworkAclId'),
        filters: filters(p),
      }),
    }),
    DescribeNetworkInterfaces: async (p) => ({
      networkInterfaceSet: ec2.networkAcls.describeInterfaces({
        networkInterfaceIds: stringList(p, 'NetworkInterfaceId'),
      }),
    }),
  };
  for (const direction of ['ingress', 'egress'] as const) {
    const suffix = direction === 'ingress' ? 'Ingress' : 'Egress';
    ops[`AuthorizeSecurityGroup${suffix}`] = async (p, ctx) => ({
      return: true,
      securityGroupRuleSet: await ec2.securityGroupRules.authorize(ctx.aws, {
        groupId: p.GroupId,
        groupName: p.GroupName,
        direction,
        permissions: ipPermissions(p),
        tagSpecifications: tagSpecifications(p),
      }),
    });
    ops[`RevokeSecurityGroup${suffix}`] = async (p, ctx) => {
      const { revoked, unknown } = await ec2.securityGroupRules.revoke(ctx.aws, {
        groupId: p.GroupId,
        groupName: p.GroupName,
        direction,
        permissions: ipPermissions(p),
        ruleIds: stringList(p, 'SecurityGroupRuleId'),
      });
      return {
        return: true,
        ...(unknown.length > 0 ? { unknownIpPermissionSet: unknown } : {}),
        revokedSecurityGroupRuleSet: revoked.map(revokedRule),
      };
    };
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
  return ops;
}
