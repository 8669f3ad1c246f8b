/**
 * The resources AWS makes along with others: every VPC comes with a main route table (its
 * `local` route), a default network ACL (allow all, then deny all, both ways) and a `default`
 * security group (all traffic from itself, all traffic out); every subnet is associated with its
 * VPC's default ACL; every region has a default VPC 172.31.0.0/16 with one public /20 subnet per
 * zone.
 */
import { randomHex } from '../platform/ids.ts';
import { parseCidr, usableAddresses } from './ec2-cidr.ts';
import { newId, ZONE_SUFFIXES, zoneId, type Ec2Scope } from './ec2-region.ts';
import type { Ec2ResourceStore } from './ec2-resources.store.ts';
import { allowAllEgress, newRule } from './security-group-rules.ts';
import type { NetworkAcl, RouteTable, StoredSecurityGroup, Subnet, Tag, Vpc } from './ec2.types.ts';

const DEFAULT_VPC_CIDR = '172.31.0.0/16';

/** The route every table of a VPC has to the VPC's own block. */
export function localRoute(cidrBlock: string): RouteTable['routeSet'][number] {
  return {
    destinationCidrBlock: cidrBlock,
    gatewayId: 'local',
    state: 'active',
    origin: 'CreateRouteTable',
  };
}

function defaultAclEntries(): NetworkAcl['entrySet'] {
  return [true, false].flatMap((egress) => [
    {
      ruleNumber: 100,
      protocol: '-1',
      ruleAction: 'allow' as const,
      egress,
      cidrBlock: '0.0.0.0/0',
    },
    {
      ruleNumber: 32767,
      protocol: '-1',
      ruleAction: 'deny' as const,
      egress,
      cidrBlock: '0.0.0.0/0',
    },
  ]);
}

/** Stores a VPC and what AWS creates with it. */
export async function insertVpc(
  scope: Ec2Scope,
  r: Ec2ResourceStore,
  now: number,
  input: { cidrBlock: string; isDefault: boolean; tags: Tag[]; tenancy: string },
): Promise<Vpc> {
  const vpc: Vpc = {
    vpcId: newId('vpc'),
    ownerId: scope.accountId,
    state: 'available',
    cidrBlock: input.cidrBlock,
    dhcpOptionsId: 'default',
    instanceTenancy: input.tenancy,
    isDefault: input.isDefault,
    cidrBlockAssociationSet: [
      {
        associationId: `vpc-cidr-assoc-${randomHex(17)}`,
        cidrBlock: input.cidrBlock,
        cidrBlockState: { state: 'associated' },
      },
    ],
    tagSet: input.tags,
    enableDnsSupport: true,
    enableDnsHostnames: input.isDefault,
    enableNetworkAddressUsageMetrics: false,
  };
  await r.insert('vpc', vpc.vpcId, null, vpc, now);
  const rtbId = newId('rtb');
  const rtb: RouteTable = {
    routeTableId: rtbId,
    vpcId: vpc.vpcId,
    ownerId: scope.accountId,
    routeSet: [localRoute(input.cidrBlock)],
    associationSet: [
      {
        routeTableAssociationId: newId('rtbassoc'),
        routeTableId: rtbId,
        main: true,
        associationState: { state: 'associated' },
      },
    ],
    propagatingVgwSet: [],
    tagSet: [],
  };
  await r.insert('rtb', rtbId, vpc.vpcId, rtb, now);
  const aclId = newId('acl');
  const acl: NetworkAcl = {
    networkAclId: aclId,
    vpcId: vpc.vpcId,
    ownerId: scope.accountId,
    default: true,
    entrySet: defaultAclEntries(),
    associationSet: [],
    tagSet: [],
  };
  await r.insert('acl', aclId, vpc.vpcId, acl, now);
  const sgId = newId('sg');
  const group = { groupId: sgId, ownerId: scope.accountId };
  const sg: StoredSecurityGroup = {
    groupId: sgId,
    groupName: 'default',
    groupDescription: 'default VPC security group',
    vpcId: vpc.vpcId,
    ownerId: scope.accountId,
    securityGroupArn: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:security-group/${sgId}`,
    rules: [
      newRule(scope, {
        groupId: sgId,
        groupOwnerId: scope.accountId,
        isEgress: false,
        ipProtocol: '-1',
        fromPort: -1,
        toPort: -1,
        referencedGroupInfo: { groupId: sgId, userId: scope.accountId },
      }),
      newRule(scope, allowAllEgress(group)),
    ],
    tagSet: [],
  };
  await r.insert('sg', sgId, vpc.vpcId, sg, now);
  return vpc;
}

/** Stores a subnet and associates it with its VPC's default network ACL. */
export async function insertSubnet(
  scope: Ec2Scope,
  r: Ec2ResourceStore,
  now: number,
  input: { vpc: Vpc; cidrBlock: string; zone: string; tags: Tag[]; defaultForAz: boolean },
): Promise<Subnet> {
  const cidr = parseCidr(input.cidrBlock);
  const zoneIndex = ZONE_SUFFIXES.findIndex((s) => input.zone === `${scope.region}${s}`);
  const id = newId('subnet');
  const subnet: Subnet = {
    subnetId: id,
    subnetArn: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:subnet/${id}`,
    vpcId: input.vpc.vpcId,
    ownerId: scope.accountId,
    state: 'available',
    cidrBlock: input.cidrBlock,
    availabilityZone: input.zone,
    availabilityZoneId: zoneId(scope.region, zoneIndex),
    availableIpAddressCount: cidr ? usableAddresses(cidr) : 0,
    defaultForAz: input.defaultForAz,
    mapPublicIpOnLaunch: input.defaultForAz,
    assignIpv6AddressOnCreation: false,
    ipv6CidrBlockAssociationSet: [],
    tagSet: input.tags,
  };
  await r.insert('subnet', id, input.vpc.vpcId, subnet, now);
  for (const acl of await r.list('acl', input.vpc.vpcId)) {
    if (!acl.default) continue;
    acl.associationSet.push({
      networkAclAssociationId: newId('aclassoc'),
      networkAclId: acl.networkAclId,
      subnetId: id,
    });
    await r.update('acl', acl.networkAclId, acl);
  }
  return subnet;
}

/** The region's default VPC, its default subnets (one per zone) and their defaults. */
export async function insertDefaultVpc(
  scope: Ec2Scope,
  r: Ec2ResourceStore,
  now: number,
): Promise<void> {
  const vpc = await insertVpc(scope, r, now, {
    cidrBlock: DEFAULT_VPC_CIDR,
    isDefault: true,
    tags: [],
    tenancy: 'default',
  });
  for (const [i, suffix] of ZONE_SUFFIXES.entries()) {
    await insertSubnet(scope, r, now, {
      vpc,
      cidrBlock: `172.31.${i * 16}.0/20`,
      zone: `${scope.region}${suffix}`,
      tags: [],
      defaultForAz: true,
    });
  }
}
