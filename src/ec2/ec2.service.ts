/**
 * The EC2 VPC subset: VPCs (with their main route table, default network ACL and default security
 * group), subnets, internet gateways, security groups, tags and availability zones. Every call
 * names its region; the first call for a region creates that region's default VPC
 * (172.31.0.0/16), one default subnet per zone and its default security group, as AWS has.
 */
import type { Clock } from '../platform/clock.ts';
import { randomHex, type AwsContext } from '../platform/ids.ts';
import type { Store } from '../store/store.ts';
import { RouteTables } from './route-tables.service.ts';
import { cidrContains, cidrOverlaps, parseCidr, usableAddresses } from './ec2-cidr.ts';
import { matchesFilters, tagFilterValues } from './ec2-filters.ts';
import { Ec2ResourceStore, ID_PREFIX, kindOfId } from './ec2-resources.store.ts';
import {
  CannotDelete,
  DependencyViolation,
  Gateway_NotAttached,
  InvalidGroup_Duplicate,
  InvalidGroup_NotFound,
  InvalidID,
  InvalidInternetGatewayID_NotFound,
  InvalidParameterValue,
  InvalidSubnet_Conflict,
  InvalidSubnet_Range,
  InvalidSubnetID_NotFound,
  InvalidVpcID_NotFound,
  InvalidVpcRange,
  InvalidPermission_Duplicate,
  InvalidPermission_NotFound,
  MissingParameter,
  Resource_AlreadyAssociated,
} from './ec2.errors.ts';
import type {
  Ec2Kind,
  Filter,
  InternetGateway,
  IpPermission,
  NetworkAcl,
  SecurityGroup,
  Subnet,
  Tag,
  TagSpecification,
  Vpc,
} from './ec2.types.ts';

/** Where a call runs: the partition, account and (request's) region. */
export type Ec2Scope = AwsContext;

/** The zones of every region: `<region>a`, `b`, `c` (ids `<short>-az1`…). */
export const ZONE_SUFFIXES = ['a', 'b', 'c'] as const;

const DEFAULT_VPC_CIDR = '172.31.0.0/16';
const RESOURCE_TYPES: Record<string, Ec2Kind> = {
  vpc: 'vpc',
  subnet: 'subnet',
  'internet-gateway': 'igw',
  'security-group': 'sg',
  'route-table': 'rtb',
  'network-acl': 'acl',
};
const TAG_RESOURCE_TYPE: Record<Ec2Kind, string> = {
  vpc: 'vpc',
  subnet: 'subnet',
  igw: 'internet-gateway',
  sg: 'security-group',
  rtb: 'route-table',
  acl: 'network-acl',
};

/** `<prefix>-` + 17 hex characters, AWS's long id format. */
function newId(kind: Ec2Kind): string {
  return `${ID_PREFIX[kind]}-${randomHex(17)}`;
}

function allowAllEgress(): IpPermission {
  return {
    ipProtocol: '-1',
    ipRanges: [{ cidrIp: '0.0.0.0/0' }],
    groups: [],
    ipv6Ranges: [],
    prefixListIds: [],
  };
}

/** Tags a TagSpecification list gives a resource type being created. */
function tagsFor(specs: readonly TagSpecification[] | undefined, type: string): Tag[] {
  return (specs ?? []).filter((s) => s.resourceType === type).flatMap((s) => s.tags);
}

/** The zone name of one of the region's zones, by index (0 = `a`). */
function zoneId(region: string, index: number): string {
  const short =
    region
      .split('-')
      .map((p) => p[0])
      .join('') + region.replace(/\D/g, '');
  return `${short}-az${index + 1}`;
}

export interface Ec2ServiceDeps {
  readonly store: Store;
  readonly clock: Clock;
}

/** Facade of the EC2 domain; the API module calls only this. */
export class Ec2Service {
  readonly #deps: Ec2ServiceDeps;
  /** Regions whose default VPC is known to exist (a cache: the table is the truth). */
  readonly #ready = new Set<string>();

  /** Route tables, routes and subnet associations. */
  readonly routeTables: RouteTables;

  constructor(deps: Ec2ServiceDeps) {
    this.#deps = deps;
    this.routeTables = new RouteTables(
      (scope, fn) => this.#inRegion(scope, fn),
      () => deps.clock.now(),
    );
  }

  /** Runs `fn` on one region's resources in one transaction, after making its default VPC. */
  async #inRegion<T>(scope: Ec2Scope, fn: (r: Ec2ResourceStore) => Promise<T>): Promise<T> {
    const result = await this.#deps.store.transaction(async (trx) => {
      const r = new Ec2ResourceStore(trx, scope.region);
      if (!this.#ready.has(scope.region)) {
        const vpcs = await r.list('vpc');
        if (!vpcs.some((v) => v.isDefault)) await this.#createDefaultVpc(scope, r);
      }
      return fn(r);
    });
    // Only once committed: a failing first call rolls the default VPC back with it.
    this.#ready.add(scope.region);
    return result;
  }

  async #createDefaultVpc(scope: Ec2Scope, r: Ec2ResourceStore): Promise<void> {
    const vpc = await this.#insertVpc(scope, r, DEFAULT_VPC_CIDR, true, [], 'default');
    for (const [i, suffix] of ZONE_SUFFIXES.entries()) {
      await this.#insertSubnet(
        scope,
        r,
        vpc,
        `172.31.${i * 16}.0/20`,
        `${scope.region}${suffix}`,
        [],
        true,
      );
    }
  }

  async #insertVpc(
    scope: Ec2Scope,
    r: Ec2ResourceStore,
    cidrBlock: string,
    isDefault: boolean,
    tags: Tag[],
    tenancy: string,
  ): Promise<Vpc> {
    const now = this.#deps.clock.now();
    const vpc: Vpc = {
      vpcId: newId('vpc'),
      ownerId: scope.accountId,
      state: 'available',
      cidrBlock,
      dhcpOptionsId: 'default',
      instanceTenancy: tenancy,
      isDefault,
      cidrBlockAssociationSet: [
        {
          associationId: `vpc-cidr-assoc-${randomHex(17)}`,
          cidrBlock,
          cidrBlockState: { state: 'associated' },
        },
      ],
      tagSet: tags,
      enableDnsSupport: true,
      enableDnsHostnames: isDefault,
    };
    await r.insert('vpc', vpc.vpcId, null, vpc, now);
    // AWS creates these with every VPC; Terraform reads them back (main_route_table_id, …).
    const rtbId = newId('rtb');
    await r.insert(
      'rtb',
      rtbId,
      vpc.vpcId,
      {
        routeTableId: rtbId,
        vpcId: vpc.vpcId,
        ownerId: scope.accountId,
        routeSet: [
          {
            destinationCidrBlock: cidrBlock,
            gatewayId: 'local',
            state: 'active',
            origin: 'CreateRouteTable',
          },
        ],
        associationSet: [
          {
            routeTableAssociationId: `rtbassoc-${randomHex(17)}`,
            routeTableId: rtbId,
            main: true,
            associationState: { state: 'associated' },
          },
        ],
        propagatingVgwSet: [],
        tagSet: [],
      },
      now,
    );
    const aclId = newId('acl');
    await r.insert(
      'acl',
      aclId,
      vpc.vpcId,
      {
        networkAclId: aclId,
        vpcId: vpc.vpcId,
        ownerId: scope.accountId,
        isDefault: true,
        entrySet: [],
        associationSet: [],
        tagSet: [],
      },
      now,
    );
    const sgId = newId('sg');
    await r.insert(
      'sg',
      sgId,
      vpc.vpcId,
      {
        groupId: sgId,
        groupName: 'default',
        groupDescription: 'default VPC security group',
        vpcId: vpc.vpcId,
        ownerId: scope.accountId,
        securityGroupArn: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:security-group/${sgId}`,
        ipPermissions: [
          {
            ipProtocol: '-1',
            ipRanges: [],
            groups: [{ groupId: sgId, userId: scope.accountId }],
            ipv6Ranges: [],
            prefixListIds: [],
          },
        ],
        ipPermissionsEgress: [allowAllEgress()],
        tagSet: [],
      },
      now,
    );
    return vpc;
  }

  async #insertSubnet(
    scope: Ec2Scope,
    r: Ec2ResourceStore,
    vpc: Vpc,
    cidrBlock: string,
    zone: string,
    tags: Tag[],
    defaultForAz: boolean,
  ): Promise<Subnet> {
    const cidr = parseCidr(cidrBlock);
    const zoneIndex = ZONE_SUFFIXES.findIndex((s) => zone === `${scope.region}${s}`);
    const id = newId('subnet');
    const subnet: Subnet = {
      subnetId: id,
      subnetArn: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:subnet/${id}`,
      vpcId: vpc.vpcId,
      ownerId: scope.accountId,
      state: 'available',
      cidrBlock,
      availabilityZone: zone,
      availabilityZoneId: zoneId(scope.region, zoneIndex),
      availableIpAddressCount: cidr ? usableAddresses(cidr) : 0,
      defaultForAz,
      mapPublicIpOnLaunch: defaultForAz,
      assignIpv6AddressOnCreation: false,
      ipv6CidrBlockAssociationSet: [],
      tagSet: tags,
    };
    await r.insert('subnet', id, vpc.vpcId, subnet, this.#deps.clock.now());
    return subnet;
  }

  async #vpc(r: Ec2ResourceStore, id: string | undefined): Promise<Vpc> {
    if (!id) throw new MissingParameter('vpcId');
    const vpc = await r.get('vpc', id);
    if (!vpc) throw new InvalidVpcID_NotFound(id);
    return vpc;
  }

  // ---- VPCs ----

  async createVpc(
    scope: Ec2Scope,
    input: { cidrBlock?: string; instanceTenancy?: string; tagSpecifications?: TagSpecification[] },
  ): Promise<Vpc> {
    if (!input.cidrBlock) throw new MissingParameter('cidrBlock');
    const cidr = parseCidr(input.cidrBlock);
    if (!cidr) {
      throw new InvalidParameterValue(
        `Value (${input.cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
      );
    }
    if (cidr.prefix < 16 || cidr.prefix > 28) throw new InvalidVpcRange(input.cidrBlock);
    return this.#inRegion(scope, (r) =>
      this.#insertVpc(
        scope,
        r,
        input.cidrBlock as string,
        false,
        tagsFor(input.tagSpecifications, 'vpc'),
        input.instanceTenancy ?? 'default',
      ),
    );
  }

  async describeVpcs(
    scope: Ec2Scope,
    input: { vpcIds?: string[]; filters?: Filter[] },
  ): Promise<Vpc[]> {
    return this.#inRegion(scope, async (r) => {
      const all = await r.list('vpc');
      for (const id of input.vpcIds ?? []) {
        if (!all.some((v) => v.vpcId === id)) throw new InvalidVpcID_NotFound(id);
      }
      return all
        .filter((v) => !input.vpcIds?.length || input.vpcIds.includes(v.vpcId))
        .filter((v) =>
          matchesFilters(input.filters ?? [], (name) => {
            if (name === 'vpc-id') return [v.vpcId];
            if (name === 'cidr' || name === 'cidr-block-association.cidr-block') {
              return [v.cidrBlock];
            }
            if (name === 'isDefault' || name === 'is-default') return [String(v.isDefault)];
            if (name === 'state') return [v.state];
            if (name === 'owner-id') return [v.ownerId];
            return tagFilterValues(name, v.tagSet);
          }),
        );
    });
  }

  async deleteVpc(scope: Ec2Scope, vpcId: string | undefined): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      const vpc = await this.#vpc(r, vpcId);
      const subnets = await r.list('subnet', vpc.vpcId);
      const groups = (await r.list('sg', vpc.vpcId)).filter((g) => g.groupName !== 'default');
      const gateways = (await r.list('igw')).filter((g) =>
        g.attachmentSet.some((a) => a.vpcId === vpc.vpcId),
      );
      const tables = (await r.list('rtb', vpc.vpcId)).filter(
        (t) => !t.associationSet.some((a) => a.main),
      );
      if (subnets.length + groups.length + gateways.length + tables.length > 0) {
        throw new DependencyViolation('vpc', vpc.vpcId);
      }
      for (const kind of ['rtb', 'acl', 'sg'] as const) {
        for (const res of await r.list(kind, vpc.vpcId)) await r.remove(idOf(kind, res));
      }
      await r.remove(vpc.vpcId);
    });
  }

  async describeVpcAttribute(
    scope: Ec2Scope,
    vpcId: string | undefined,
    attribute: string | undefined,
  ): Promise<{
    vpcId: string;
    attribute: 'enableDnsSupport' | 'enableDnsHostnames';
    value: boolean;
  }> {
    return this.#inRegion(scope, async (r) => {
      const vpc = await this.#vpc(r, vpcId);
      if (attribute !== 'enableDnsSupport' && attribute !== 'enableDnsHostnames') {
        throw new InvalidParameterValue(
          `Value (${attribute ?? ''}) for parameter attribute is invalid. Unknown attribute.`,
        );
      }
      return { vpcId: vpc.vpcId, attribute, value: vpc[attribute] };
    });
  }

  async modifyVpcAttribute(
    scope: Ec2Scope,
    input: { vpcId?: string; enableDnsSupport?: boolean; enableDnsHostnames?: boolean },
  ): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      const vpc = await this.#vpc(r, input.vpcId);
      const set = [input.enableDnsSupport, input.enableDnsHostnames].filter((v) => v !== undefined);
      if (set.length !== 1) {
        // ⚠ wording; EC2 takes exactly one attribute per call.
        throw new InvalidParameterValue('Exactly one attribute must be modified per call.');
      }
      if (input.enableDnsSupport !== undefined) vpc.enableDnsSupport = input.enableDnsSupport;
      if (input.enableDnsHostnames !== undefined) vpc.enableDnsHostnames = input.enableDnsHostnames;
      await r.update('vpc', vpc.vpcId, vpc);
    });
  }

  // ---- subnets ----

  async createSubnet(
    scope: Ec2Scope,
    input: {
      vpcId?: string;
      cidrBlock?: string;
      availabilityZone?: string;
      tagSpecifications?: TagSpecification[];
    },
  ): Promise<Subnet> {
    return this.#inRegion(scope, async (r) => {
      const vpc = await this.#vpc(r, input.vpcId);
      if (!input.cidrBlock) throw new MissingParameter('cidrBlock');
      const cidr = parseCidr(input.cidrBlock);
      if (!cidr) {
        throw new InvalidParameterValue(
          `Value (${input.cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
        );
      }
      const vpcCidr = parseCidr(vpc.cidrBlock);
      if (!vpcCidr || !cidrContains(vpcCidr, cidr) || cidr.prefix > 28) {
        throw new InvalidSubnet_Range(input.cidrBlock);
      }
      for (const other of await r.list('subnet', vpc.vpcId)) {
        const o = parseCidr(other.cidrBlock);
        if (o && cidrOverlaps(o, cidr)) throw new InvalidSubnet_Conflict(input.cidrBlock);
      }
      const zone = input.availabilityZone ?? `${scope.region}a`;
      if (!ZONE_SUFFIXES.some((s) => zone === `${scope.region}${s}`)) {
        throw new InvalidParameterValue(
          `Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${ZONE_SUFFIXES.map((s) => scope.region + s).join(', ')}.`,
        );
      }
      return this.#insertSubnet(
        scope,
        r,
        vpc,
        input.cidrBlock,
        zone,
        tagsFor(input.tagSpecifications, 'subnet'),
        false,
      );
    });
  }

  async describeSubnets(
    scope: Ec2Scope,
    input: { subnetIds?: string[]; filters?: Filter[] },
  ): Promise<Subnet[]> {
    return this.#inRegion(scope, async (r) => {
      const all = await r.list('subnet');
      for (const id of input.subnetIds ?? []) {
        if (!all.some((s) => s.subnetId === id)) throw new InvalidSubnetID_NotFound(id);
      }
      return all
        .filter((s) => !input.subnetIds?.length || input.subnetIds.includes(s.subnetId))
        .filter((s) =>
          matchesFilters(input.filters ?? [], (name) => {
            if (name === 'subnet-id') return [s.subnetId];
            if (name === 'vpc-id') return [s.vpcId];
            if (name === 'cidr-block' || name === 'cidr' || name === 'cidrBlock') {
              return [s.cidrBlock];
            }
            if (name === 'availability-zone' || name === 'availabilityZone') {
              return [s.availabilityZone];
            }
            if (name === 'default-for-az' || name === 'defaultForAz') {
              return [String(s.defaultForAz)];
            }
            if (name === 'map-public-ip-on-launch') return [String(s.mapPublicIpOnLaunch)];
            if (name === 'state') return [s.state];
            return tagFilterValues(name, s.tagSet);
          }),
        );
    });
  }

  async deleteSubnet(scope: Ec2Scope, subnetId: string | undefined): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      if (!subnetId) throw new MissingParameter('subnetId');
      const subnet = await r.get('subnet', subnetId);
      if (!subnet) throw new InvalidSubnetID_NotFound(subnetId);
      await RouteTables.forgetSubnet(r, subnet.vpcId, subnetId);
      await r.remove(subnetId);
    });
  }

  /** Network ACLs: only each VPC's default one exists in this subset. */
  async describeNetworkAcls(
    scope: Ec2Scope,
    input: { networkAclIds?: string[]; filters?: Filter[] },
  ): Promise<NetworkAcl[]> {
    return this.#inRegion(scope, async (r) => {
      const all = await r.list('acl');
      return all
        .filter((a) => !input.networkAclIds?.length || input.networkAclIds.includes(a.networkAclId))
        .filter((a) =>
          matchesFilters(input.filters ?? [], (name) => {
            if (name === 'network-acl-id') return [a.networkAclId];
            if (name === 'vpc-id') return [a.vpcId];
            if (name === 'default') return [String(a.isDefault)];
            return tagFilterValues(name, a.tagSet);
          }),
        );
    });
  }

  async modifySubnetAttribute(
    scope: Ec2Scope,
    input: { subnetId?: string; mapPublicIpOnLaunch?: boolean },
  ): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      if (!input.subnetId) throw new MissingParameter('subnetId');
      const subnet = await r.get('subnet', input.subnetId);
      if (!subnet) throw new InvalidSubnetID_NotFound(input.subnetId);
      if (input.mapPublicIpOnLaunch !== undefined) {
        subnet.mapPublicIpOnLaunch = input.mapPublicIpOnLaunch;
      }
      await r.update('subnet', subnet.subnetId, subnet);
    });
  }

  // ---- internet gateways ----

  async createInternetGateway(
    scope: Ec2Scope,
    input: { tagSpecifications?: TagSpecification[] },
  ): Promise<InternetGateway> {
    return this.#inRegion(scope, async (r) => {
      const igw: InternetGateway = {
        internetGatewayId: newId('igw'),
        ownerId: scope.accountId,
        attachmentSet: [],
        tagSet: tagsFor(input.tagSpecifications, 'internet-gateway'),
      };
      await r.insert('igw', igw.internetGatewayId, null, igw, this.#deps.clock.now());
      return igw;
    });
  }

  async #igw(r: Ec2ResourceStore, id: string | undefined): Promise<InternetGateway> {
    if (!id) throw new MissingParameter('internetGatewayId');
    const igw = await r.get('igw', id);
    if (!igw) throw new InvalidInternetGatewayID_NotFound(id);
    return igw;
  }

  async attachInternetGateway(
    scope: Ec2Scope,
    igwId: string | undefined,
    vpcId: string | undefined,
  ): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      const igw = await this.#igw(r, igwId);
      const vpc = await this.#vpc(r, vpcId);
      const current = igw.attachmentSet[0];
      if (current) throw new Resource_AlreadyAssociated(igw.internetGatewayId, current.vpcId);
      igw.attachmentSet = [{ vpcId: vpc.vpcId, state: 'available' }];
      await r.update('igw', igw.internetGatewayId, igw, vpc.vpcId);
    });
  }

  async detachInternetGateway(
    scope: Ec2Scope,
    igwId: string | undefined,
    vpcId: string | undefined,
  ): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      const igw = await this.#igw(r, igwId);
      const vpc = await this.#vpc(r, vpcId);
      if (igw.attachmentSet[0]?.vpcId !== vpc.vpcId) {
        throw new Gateway_NotAttached(igw.internetGatewayId, vpc.vpcId);
      }
      igw.attachmentSet = [];
      await r.update('igw', igw.internetGatewayId, igw, null);
    });
  }

  async deleteInternetGateway(scope: Ec2Scope, igwId: string | undefined): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      const igw = await this.#igw(r, igwId);
      if (igw.attachmentSet.length > 0) {
        throw new DependencyViolation('internetGateway', igw.internetGatewayId);
      }
      await r.remove(igw.internetGatewayId);
    });
  }

  async describeInternetGateways(
    scope: Ec2Scope,
    input: { internetGatewayIds?: string[]; filters?: Filter[] },
  ): Promise<InternetGateway[]> {
    return this.#inRegion(scope, async (r) => {
      const all = await r.list('igw');
      for (const id of input.internetGatewayIds ?? []) {
        if (!all.some((g) => g.internetGatewayId === id)) {
          throw new InvalidInternetGatewayID_NotFound(id);
        }
      }
      return all
        .filter(
          (g) =>
            !input.internetGatewayIds?.length ||
            input.internetGatewayIds.includes(g.internetGatewayId),
        )
        .filter((g) =>
          matchesFilters(input.filters ?? [], (name) => {
            if (name === 'internet-gateway-id') return [g.internetGatewayId];
            if (name === 'attachment.vpc-id') return g.attachmentSet.map((a) => a.vpcId);
            if (name === 'attachment.state') return g.attachmentSet.map((a) => a.state);
            return tagFilterValues(name, g.tagSet);
          }),
        );
    });
  }

  // ---- security groups ----

  async createSecurityGroup(
    scope: Ec2Scope,
    input: {
      groupName?: string;
      description?: string;
      vpcId?: string;
      tagSpecifications?: TagSpecification[];
    },
  ): Promise<SecurityGroup> {
    if (!input.groupName) throw new MissingParameter('groupName');
    if (!input.description) throw new MissingParameter('groupDescription');
    if (input.groupName.startsWith('sg-')) {
      throw new InvalidParameterValue(
        `Value (${input.groupName}) for parameter groupName is invalid. Group names may not be in the format sg-*.`,
      );
    }
    const groupName = input.groupName;
    const description = input.description;
    return this.#inRegion(scope, async (r) => {
      const vpc = input.vpcId
        ? await this.#vpc(r, input.vpcId)
        : (await r.list('vpc')).find((v) => v.isDefault);
      if (!vpc) throw new InvalidVpcID_NotFound(input.vpcId ?? '');
      const groups = await r.list('sg', vpc.vpcId);
      if (groups.some((g) => g.groupName === groupName)) {
        throw new InvalidGroup_Duplicate(groupName, vpc.vpcId);
      }
      const id = newId('sg');
      const sg: SecurityGroup = {
        groupId: id,
        groupName,
        groupDescription: description,
        vpcId: vpc.vpcId,
        ownerId: scope.accountId,
        securityGroupArn: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:security-group/${id}`,
        ipPermissions: [],
        ipPermissionsEgress: [allowAllEgress()],
        tagSet: tagsFor(input.tagSpecifications, 'security-group'),
      };
      await r.insert('sg', id, vpc.vpcId, sg, this.#deps.clock.now());
      return sg;
    });
  }

  async #group(r: Ec2ResourceStore, id: string | undefined): Promise<SecurityGroup> {
    if (!id) throw new MissingParameter('groupId');
    const sg = await r.get('sg', id);
    if (!sg) throw new InvalidGroup_NotFound(id);
    return sg;
  }

  async describeSecurityGroups(
    scope: Ec2Scope,
    input: { groupIds?: string[]; filters?: Filter[] },
  ): Promise<SecurityGroup[]> {
    return this.#inRegion(scope, async (r) => {
      const all = await r.list('sg');
      for (const id of input.groupIds ?? []) {
        if (!all.some((g) => g.groupId === id)) throw new InvalidGroup_NotFound(id);
      }
      return all
        .filter((g) => !input.groupIds?.length || input.groupIds.includes(g.groupId))
        .filter((g) =>
          matchesFilters(input.filters ?? [], (name) => {
            if (name === 'group-id') return [g.groupId];
            if (name === 'group-name') return [g.groupName];
            if (name === 'vpc-id') return [g.vpcId];
            if (name === 'description') return [g.groupDescription];
            return tagFilterValues(name, g.tagSet);
          }),
        );
    });
  }

  async deleteSecurityGroup(scope: Ec2Scope, groupId: string | undefined): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      const sg = await this.#group(r, groupId);
      if (sg.groupName === 'default') throw new CannotDelete(sg.groupId);
      const others = (await r.list('sg')).filter((g) => g.groupId !== sg.groupId);
      const referenced = others.some((g) =>
        [...g.ipPermissions, ...g.ipPermissionsEgress].some((p) =>
          p.groups.some((p2) => p2.groupId === sg.groupId),
        ),
      );
      if (referenced) throw new DependencyViolation('security group', sg.groupId);
      await r.remove(sg.groupId);
    });
  }

  /** Adds (`authorize`) or removes rules of one direction; each rule is split per range/pair. */
  async changeRules(
    scope: Ec2Scope,
    input: {
      groupId?: string;
      direction: 'ingress' | 'egress';
      action: 'authorize' | 'revoke';
      permissions: IpPermission[];
    },
  ): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      const sg = await this.#group(r, input.groupId);
      const key = input.direction === 'ingress' ? 'ipPermissions' : 'ipPermissionsEgress';
      let rules = sg[key];
      for (const p of input.permissions) {
        for (const one of splitPermission(p)) {
          const existing = rules.findIndex((x) => sameRule(x, one));
          if (input.action === 'authorize') {
            if (existing >= 0) throw new InvalidPermission_Duplicate(describeRule(one));
            rules = [...rules, one];
          } else {
            if (existing < 0) throw new InvalidPermission_NotFound();
            rules = rules.filter((_, i) => i !== existing);
          }
        }
      }
      sg[key] = rules;
      await r.update('sg', sg.groupId, sg);
    });
  }

  // ---- tags ----

  async createTags(scope: Ec2Scope, resourceIds: string[], tags: Tag[]): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      for (const id of resourceIds) {
        const [kind, res] = await this.#taggable(r, id);
        const merged = res.tagSet.filter((t) => !tags.some((n) => n.key === t.key));
        res.tagSet = [...merged, ...tags];
        await r.update(kind, id, res as never);
      }
    });
  }

  async deleteTags(
    scope: Ec2Scope,
    resourceIds: string[],
    tags: { key: string; value?: string }[],
  ): Promise<void> {
    await this.#inRegion(scope, async (r) => {
      for (const id of resourceIds) {
        const [kind, res] = await this.#taggable(r, id);
        res.tagSet =
          tags.length === 0
            ? []
            : res.tagSet.filter(
                (t) =>
                  !tags.some(
                    (d) => d.key === t.key && (d.value === undefined || d.value === t.value),
                  ),
              );
        await r.update(kind, id, res as never);
      }
    });
  }

  async describeTags(
    scope: Ec2Scope,
    filters: Filter[],
  ): Promise<{ resourceId: string; resourceType: string; key: string; value: string }[]> {
    return this.#inRegion(scope, async (r) => {
      const out: { resourceId: string; resourceType: string; key: string; value: string }[] = [];
      for (const kind of Object.keys(ID_PREFIX) as Ec2Kind[]) {
        for (const res of await r.list(kind)) {
          for (const tag of res.tagSet) {
            const item = {
              resourceId: idOf(kind, res),
              resourceType: TAG_RESOURCE_TYPE[kind],
              key: tag.key,
              value: tag.value,
            };
            const ok = matchesFilters(filters, (name) => {
              if (name === 'resource-id') return [item.resourceId];
              if (name === 'resource-type') return [item.resourceType];
              if (name === 'key') return [item.key];
              if (name === 'value') return [item.value];
              return undefined;
            });
            if (ok) out.push(item);
          }
        }
      }
      return out;
    });
  }

  async #taggable(r: Ec2ResourceStore, id: string): Promise<[Ec2Kind, { tagSet: Tag[] }]> {
    const kind = kindOfId(id);
    if (!kind) throw new InvalidID(id);
    const res = await r.get(kind, id);
    if (!res) throw notFound(kind, id);
    return [kind, res];
  }

  // ---- zones ----

  /** The region's three zones, as DescribeAvailabilityZones lists them. */
  describeAvailabilityZones(scope: Ec2Scope, filters: Filter[]): object[] {
    return ZONE_SUFFIXES.map((s, i) => ({
      zoneName: `${scope.region}${s}`,
      zoneId: zoneId(scope.region, i),
      zoneState: 'available',
      regionName: scope.region,
      groupName: scope.region,
      networkBorderGroup: scope.region,
      optInStatus: 'opt-in-not-required',
      zoneType: 'availability-zone',
      messageSet: [],
    })).filter((z) =>
      matchesFilters(filters, (name) => {
        if (name === 'zone-name') return [z.zoneName];
        if (name === 'zone-id') return [z.zoneId];
        if (name === 'state') return [z.zoneState];
        if (name === 'region-name') return [z.regionName];
        return undefined;
      }),
    );
  }

  /** Resource types TagSpecification accepts (for the API module's checks). */
  static readonly taggableTypes = Object.keys(RESOURCE_TYPES);
}

/** The id member of each kind's document. */
const ID_KEY: Record<Ec2Kind, string> = {
  vpc: 'vpcId',
  subnet: 'subnetId',
  igw: 'internetGatewayId',
  sg: 'groupId',
  rtb: 'routeTableId',
  acl: 'networkAclId',
};

function idOf(kind: Ec2Kind, res: object): string {
  return String((res as Record<string, unknown>)[ID_KEY[kind]]);
}

function notFound(kind: Ec2Kind, id: string): Error {
  switch (kind) {
    case 'vpc':
      return new InvalidVpcID_NotFound(id);
    case 'subnet':
      return new InvalidSubnetID_NotFound(id);
    case 'igw':
      return new InvalidInternetGatewayID_NotFound(id);
    case 'sg':
      return new InvalidGroup_NotFound(id);
    default:
      return new InvalidID(id);
  }
}

/** One stored rule per CIDR or group pair, so revoke can remove any one of them. */
function splitPermission(p: IpPermission): IpPermission[] {
  const base = {
    ipProtocol: p.ipProtocol,
    ...(p.fromPort === undefined ? {} : { fromPort: p.fromPort }),
    ...(p.toPort === undefined ? {} : { toPort: p.toPort }),
  };
  return [
    ...p.ipRanges.map((ip) => ({
      ...base,
      ipRanges: [ip],
      groups: [],
      ipv6Ranges: [] as never[],
      prefixListIds: [] as never[],
    })),
    ...p.groups.map((g) => ({
      ...base,
      ipRanges: [],
      groups: [g],
      ipv6Ranges: [] as never[],
      prefixListIds: [] as never[],
    })),
  ];
}

function sameRule(a: IpPermission, b: IpPermission): boolean {
  return (
    a.ipProtocol === b.ipProtocol &&
    (a.fromPort ?? -1) === (b.fromPort ?? -1) &&
    (a.toPort ?? -1) === (b.toPort ?? -1) &&
    a.ipRanges.length === b.ipRanges.length &&
    a.ipRanges.every((x, i) => x.cidrIp === b.ipRanges[i]?.cidrIp) &&
    a.groups.length === b.groups.length &&
    a.groups.every((x, i) => x.groupId === b.groups[i]?.groupId)
  );
}

function describeRule(p: IpPermission): string {
  const peer = p.ipRanges[0]?.cidrIp ?? p.groups[0]?.groupId ?? '';
  return `peer: ${peer}, ${p.ipProtocol.toUpperCase()}, from port: ${p.fromPort ?? 0}, to port: ${p.toPort ?? 0}, ALLOW`;
}
