/**
 * EC2 shapes as the wire names them (the model's `locationName`s: `vpcId`, `tagSet`, …), so the
 * API module hands them to the ec2 codec as they are.
 */

export interface Tag {
  key: string;
  value: string;
}

/** One `Filter.N` of a Describe call: a name and the values any of which may match. */
export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/** `TagSpecification.N`: tags for a resource type being created. */
export interface TagSpecification {
  readonly resourceType: string;
  readonly tags: readonly Tag[];
}

/** The attributes DescribeVpcAttribute reads and ModifyVpcAttribute sets, one per call. */
export const VPC_ATTRIBUTES = [
  'enableDnsSupport',
  'enableDnsHostnames',
  'enableNetworkAddressUsageMetrics',
] as const;
export type VpcAttribute = (typeof VPC_ATTRIBUTES)[number];

export interface Vpc {
  vpcId: string;
  ownerId: string;
  state: 'available';
  cidrBlock: string;
  dhcpOptionsId: string;
  instanceTenancy: string;
  isDefault: boolean;
  cidrBlockAssociationSet: {
    associationId: string;
    cidrBlock: string;
    cidrBlockState: { state: string };
  }[];
  tagSet: Tag[];
  /** Not on the wire: read through DescribeVpcAttribute. */
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  enableNetworkAddressUsageMetrics: boolean;
}

export interface Subnet {
  subnetId: string;
  subnetArn: string;
  vpcId: string;
  ownerId: string;
  state: 'available';
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  availableIpAddressCount: number;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  assignIpv6AddressOnCreation: boolean;
  ipv6CidrBlockAssociationSet: never[];
  tagSet: Tag[];
}

export interface InternetGateway {
  internetGatewayId: string;
  ownerId: string;
  attachmentSet: { vpcId: string; state: 'available' }[];
  tagSet: Tag[];
}

export interface IpRange {
  cidrIp: string;
  description?: string;
}

export interface Ipv6Range {
  cidrIpv6: string;
  description?: string;
}

export interface PrefixListRef {
  prefixListId: string;
  description?: string;
}

export interface GroupPair {
  groupId: string;
  userId?: string;
  description?: string;
}

/** One permission as IpPermission spells it: a protocol and port range, and its peers. */
export interface IpPermission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  ipRanges: IpRange[];
  ipv6Ranges: Ipv6Range[];
  groups: GroupPair[];
  prefixListIds: PrefixListRef[];
}

/** One rule (one peer) as DescribeSecurityGroupRules shows it; how groups store their rules. */
export interface SecurityGroupRule {
  securityGroupRuleId: string;
  groupId: string;
  groupOwnerId: string;
  isEgress: boolean;
  ipProtocol: string;
  /** -1 for all protocols (and all ICMP types/codes), as EC2 writes it. */
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupInfo?: { groupId: string; userId: string };
  description?: string;
  tagSet: Tag[];
  securityGroupRuleArn: string;
}

/** A security group as stored: its rules one per peer, each with its `sgr-` id. */
export interface StoredSecurityGroup {
  groupId: string;
  groupName: string;
  groupDescription: string;
  vpcId: string;
  ownerId: string;
  securityGroupArn: string;
  rules: SecurityGroupRule[];
  tagSet: Tag[];
}

/** A security group on the wire: rules grouped into permissions by protocol and ports. */
export interface SecurityGroup extends Omit<StoredSecurityGroup, 'rules'> {
  ipPermissions: IpPermission[];
  ipPermissionsEgress: IpPermission[];
}

/** A route: only `local` and internet-gateway targets in this subset. */
export interface Route {
  destinationCidrBlock: string;
  gatewayId: string;
  state: string;
  origin: string;
}

export interface RouteTable {
  routeTableId: string;
  vpcId: string;
  ownerId: string;
  routeSet: Route[];
  associationSet: {
    routeTableAssociationId: string;
    routeTableId: string;
    subnetId?: string;
    main: boolean;
    associationState: { state: string };
  }[];
  propagatingVgwSet: never[];
  tagSet: Tag[];
}

export interface NetworkAcl {
  networkAclId: string;
  vpcId: string;
  ownerId: string;
  /** The VPC's default ACL (the only kind this subset makes). */
  default: boolean;
  entrySet: {
    ruleNumber: number;
    protocol: string;
    ruleAction: 'allow' | 'deny';
    egress: boolean;
    cidrBlock: string;
  }[];
  associationSet: { networkAclAssociationId: string; networkAclId: string; subnetId: string }[];
  tagSet: Tag[];
}

/** Every resource kind the table holds, by its stored `kind`. */
export interface Ec2Resources {
  vpc: Vpc;
  subnet: Subnet;
  igw: InternetGateway;
  sg: StoredSecurityGroup;
  rtb: RouteTable;
  acl: NetworkAcl;
}

export type Ec2Kind = keyof Ec2Resources;
