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

export interface GroupPair {
  groupId: string;
  userId?: string;
  description?: string;
}

/** One rule as IpPermission spells it. */
export interface IpPermission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  ipRanges: IpRange[];
  groups: GroupPair[];
  ipv6Ranges: never[];
  prefixListIds: never[];
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  groupDescription: string;
  vpcId: string;
  ownerId: string;
  securityGroupArn: string;
  ipPermissions: IpPermission[];
  ipPermissionsEgress: IpPermission[];
  tagSet: Tag[];
}

export interface RouteTable {
  routeTableId: string;
  vpcId: string;
  ownerId: string;
  routeSet: { destinationCidrBlock: string; gatewayId: string; state: string; origin: string }[];
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
  isDefault: boolean;
  entrySet: never[];
  associationSet: never[];
  tagSet: Tag[];
}

/** Every resource kind the table holds, by its stored `kind`. */
export interface Ec2Resources {
  vpc: Vpc;
  subnet: Subnet;
  igw: InternetGateway;
  sg: SecurityGroup;
  rtb: RouteTable;
  acl: NetworkAcl;
}

export type Ec2Kind = keyof Ec2Resources;
