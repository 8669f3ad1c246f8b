/**
 * EC2 (VPC subset) operations → IAM targets (Service Authorization Reference, "Amazon EC2").
 * Resources are `<type>/<id>`; a resource the call creates has no id yet, so it is `<type>/*`,
 * as AWS evaluates creation. Every EC2 action also defines `ec2:Region`.
 */
import type { ContextValue } from '../../iam/policy-evaluation/policy-evaluator.ts';
import {
  arnOf,
  numbered,
  requestTags,
  str,
  type Input,
  type TargetContext,
  type TargetEntry,
  type TargetTable,
} from './target-helpers.ts';

/** Id prefix → EC2 resource type, for the ids CreateTags/DeleteTags name. */
const TYPE_BY_PREFIX: readonly [string, string][] = [
  ['vpc-', 'vpc'],
  ['subnet-', 'subnet'],
  ['sgr-', 'security-group-rule'],
  ['sg-', 'security-group'],
  ['igw-', 'internet-gateway'],
  ['rtb-', 'route-table'],
  ['acl-', 'network-acl'],
  ['eni-', 'network-interface'],
];

function ec2Arn(ctx: TargetContext, type: string, id: string | undefined): string {
  return arnOf(ctx, 'ec2', `${type}/${id ?? '*'}`);
}

function typeOf(id: string): string {
  return TYPE_BY_PREFIX.find(([prefix]) => id.startsWith(prefix))?.[1] ?? 'vpc';
}

/** `TagSpecification.N.Tag.M.Key/Value` (create calls) or `Tag.N.Key/Value` (CreateTags). */
function queryTags(input: Input): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const read = (prefix: string) => {
    for (let i = 1; typeof input[`${prefix}.${i}.Key`] === 'string'; i++) {
      out.push({
        key: input[`${prefix}.${i}.Key`] as string,
        value: (input[`${prefix}.${i}.Value`] as string | undefined) ?? '',
      });
    }
  };
  read('Tag');
  for (
    let n = 1;
    input[`TagSpecification.${n}.ResourceType`] !== undefined ||
    input[`TagSpecification.${n}.Tag.1.Key`] !== undefined;
    n++
  ) {
    read(`TagSpecification.${n}.Tag`);
  }
  return out;
}

/** An entry whose resources are the named members, each of the given type (absent → none). */
function ec2Op(action: string, members: readonly [string, string][], tags = false): TargetEntry {
  return {
    action,
    build: (input, ctx) => {
      const resources = members
        .filter(([member]) => member === '' || str(input, member) !== undefined)
        .map(([member, type]) => ec2Arn(ctx, type, member === '' ? undefined : str(input, member)));
      const context: Record<string, ContextValue> = { 'ec2:Region': ctx.aws.region };
      return {
        resources,
        context: tags ? { ...context, ...requestTags(queryTags(input)) } : context,
      };
    },
  };
}

/** `''` as member: the resource being created (`<type>/*`). */
const NEW = '';

const tagOp = (action: string, withValues: boolean): TargetEntry => ({
  action,
  build: (input, ctx) => {
    const tags = queryTags(input);
    const context: Record<string, ContextValue> = withValues
      ? { 'ec2:Region': ctx.aws.region, ...requestTags(tags) }
      : {
          'ec2:Region': ctx.aws.region,
          ...(tags.length > 0 ? { 'aws:TagKeys': tags.map((t) => t.key) } : {}),
        };
    return {
      resources: numbered(input, 'ResourceId').map((id) => ec2Arn(ctx, typeOf(id), id)),
      context,
    };
  },
});

const describe = (action: string): TargetEntry => ({
  action,
  build: (_input, ctx) => ({ resources: ['*'], context: { 'ec2:Region': ctx.aws.region } }),
});

export const EC2_TARGETS: TargetTable = {
  CreateVpc: ec2Op('ec2:CreateVpc', [[NEW, 'vpc']], true),
  DeleteVpc: ec2Op('ec2:DeleteVpc', [['VpcId', 'vpc']]),
  ModifyVpcAttribute: ec2Op('ec2:ModifyVpcAttribute', [['VpcId', 'vpc']]),
  DescribeVpcAttribute: ec2Op('ec2:DescribeVpcAttribute', [['VpcId', 'vpc']]),
  CreateSubnet: ec2Op(
    'ec2:CreateSubnet',
    [
      [NEW, 'subnet'],
      ['VpcId', 'vpc'],
    ],
    true,
  ),
  DeleteSubnet: ec2Op('ec2:DeleteSubnet', [['SubnetId', 'subnet']]),
  ModifySubnetAttribute: ec2Op('ec2:ModifySubnetAttribute', [['SubnetId', 'subnet']]),
  CreateInternetGateway: ec2Op('ec2:CreateInternetGateway', [[NEW, 'internet-gateway']], true),
  DeleteInternetGateway: ec2Op('ec2:DeleteInternetGateway', [
    ['InternetGatewayId', 'internet-gateway'],
  ]),
  AttachInternetGateway: ec2Op('ec2:AttachInternetGateway', [
    ['InternetGatewayId', 'internet-gateway'],
    ['VpcId', 'vpc'],
  ]),
  DetachInternetGateway: ec2Op('ec2:DetachInternetGateway', [
    ['InternetGatewayId', 'internet-gateway'],
    ['VpcId', 'vpc'],
  ]),
  CreateRouteTable: ec2Op(
    'ec2:CreateRouteTable',
    [
      [NEW, 'route-table'],
      ['VpcId', 'vpc'],
    ],
    true,
  ),
  DeleteRouteTable: ec2Op('ec2:DeleteRouteTable', [['RouteTableId', 'route-table']]),
  AssociateRouteTable: ec2Op('ec2:AssociateRouteTable', [
    ['RouteTableId', 'route-table'],
    ['SubnetId', 'subnet'],
    ['GatewayId', 'internet-gateway'],
  ]),
  // Only the association id is given; the route table is not known without a look-up.
  DisassociateRouteTable: describe('ec2:DisassociateRouteTable'),
  ReplaceRouteTableAssociation: ec2Op('ec2:ReplaceRouteTableAssociation', [
    ['RouteTableId', 'route-table'],
  ]),
  CreateRoute: ec2Op('ec2:CreateRoute', [['RouteTableId', 'route-table']]),
  ReplaceRoute: ec2Op('ec2:ReplaceRoute', [['RouteTableId', 'route-table']]),
  DeleteRoute: ec2Op('ec2:DeleteRoute', [['RouteTableId', 'route-table']]),
  CreateSecurityGroup: ec2Op(
    'ec2:CreateSecurityGroup',
    [
      [NEW, 'security-group'],
      ['VpcId', 'vpc'],
    ],
    true,
  ),
  DeleteSecurityGroup: ec2Op('ec2:DeleteSecurityGroup', [['GroupId', 'security-group']]),
  AuthorizeSecurityGroupIngress: ec2Op(
    'ec2:AuthorizeSecurityGroupIngress',
    [['GroupId', 'security-group']],
    true,
  ),
  AuthorizeSecurityGroupEgress: ec2Op(
    'ec2:AuthorizeSecurityGroupEgress',
    [['GroupId', 'security-group']],
    true,
  ),
  RevokeSecurityGroupIngress: ec2Op('ec2:RevokeSecurityGroupIngress', [
    ['GroupId', 'security-group'],
  ]),
  RevokeSecurityGroupEgress: ec2Op('ec2:RevokeSecurityGroupEgress', [
    ['GroupId', 'security-group'],
  ]),
  ModifySecurityGroupRules: {
    action: 'ec2:ModifySecurityGroupRules',
    build: (input, ctx) => {
      const rules: string[] = [];
      for (
        let i = 1;
        typeof input[`SecurityGroupRule.${i}.SecurityGroupRuleId`] === 'string';
        i++
      ) {
        rules.push(
          ec2Arn(
            ctx,
            'security-group-rule',
            input[`SecurityGroupRule.${i}.SecurityGroupRuleId`] as string,
          ),
        );
      }
      return {
        resources: [ec2Arn(ctx, 'security-group', str(input, 'GroupId')), ...rules],
        context: { 'ec2:Region': ctx.aws.region },
      };
    },
  },
  CreateTags: tagOp('ec2:CreateTags', true),
  DeleteTags: tagOp('ec2:DeleteTags', false),
  DescribeAvailabilityZones: describe('ec2:DescribeAvailabilityZones'),
  DescribeInternetGateways: describe('ec2:DescribeInternetGateways'),
  DescribeNetworkAcls: describe('ec2:DescribeNetworkAcls'),
  DescribeNetworkInterfaces: describe('ec2:DescribeNetworkInterfaces'),
  DescribeRouteTables: describe('ec2:DescribeRouteTables'),
  DescribeSecurityGroupRules: describe('ec2:DescribeSecurityGroupRules'),
  DescribeSecurityGroups: describe('ec2:DescribeSecurityGroups'),
  DescribeSubnets: describe('ec2:DescribeSubnets'),
  DescribeTags: describe('ec2:DescribeTags'),
  DescribeVpcs: describe('ec2:DescribeVpcs'),
};
