/**
 * Subnets: create inside the VPC's block without overlap, in one of the region's zones;
 * describe; delete (dropping its route table and ACL associations, as AWS does); and
 * MapPublicIpOnLaunch.
 */
import { cidrContains, cidrOverlaps, parseCidr } from './ec2-cidr.ts';
import { tagFilterValues } from './ec2-filters.ts';
import {
  isZoneOf,
  select,
  tagsFor,
  ZONE_SUFFIXES,
  type Ec2Env,
  type Ec2Scope,
} from './ec2-region.ts';
import type { Ec2ResourceStore } from './ec2-resources.store.ts';
import {
  InvalidParameterValue,
  InvalidSubnet_Conflict,
  InvalidSubnet_Range,
  InvalidSubnetID_NotFound,
  MissingParameter,
} from './ec2.errors.ts';
import type { Filter, Subnet, TagSpecification } from './ec2.types.ts';
import { insertSubnet } from './vpc-defaults.ts';
import { vpcById } from './vpcs.service.ts';

async function subnetById(r: Ec2ResourceStore, id: string | undefined): Promise<Subnet> {
  if (!id) throw new MissingParameter('subnetId');
  const subnet = await r.get('subnet', id);
  if (!subnet) throw new InvalidSubnetID_NotFound(id);
  return subnet;
}

/** The subnet operations. */
export class Subnets {
  constructor(private readonly env: Ec2Env) {}

  async create(
    scope: Ec2Scope,
    input: {
      vpcId?: string;
      cidrBlock?: string;
      availabilityZone?: string;
      tagSpecifications?: TagSpecification[];
    },
  ): Promise<Subnet> {
    return this.env.inRegion(scope, async (r) => {
      const vpc = await vpcById(r, input.vpcId);
      const cidrBlock = input.cidrBlock;
      if (!cidrBlock) throw new MissingParameter('cidrBlock');
      const cidr = parseCidr(cidrBlock);
      if (!cidr) {
        throw new InvalidParameterValue(
          `Value (${cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
        );
      }
      const vpcCidr = parseCidr(vpc.cidrBlock);
      if (!vpcCidr || !cidrContains(vpcCidr, cidr) || cidr.prefix > 28) {
        throw new InvalidSubnet_Range(cidrBlock);
      }
      for (const other of await r.list('subnet', vpc.vpcId)) {
        const o = parseCidr(other.cidrBlock);
        if (o && cidrOverlaps(o, cidr)) throw new InvalidSubnet_Conflict(cidrBlock);
      }
      const zone = input.availabilityZone ?? `${scope.region}a`;
      if (!isZoneOf(scope.region, zone)) {
        throw new InvalidParameterValue(
          `Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${ZONE_SUFFIXES.map((s) => scope.region + s).join(', ')}.`,
        );
      }
      return insertSubnet(scope, r, this.env.now(), {
        vpc,
        cidrBlock,
        zone,
        tags: tagsFor(input.tagSpecifications, 'subnet'),
        defaultForAz: false,
      });
    });
  }

  async describe(
    scope: Ec2Scope,
    input: { subnetIds?: string[]; filters?: Filter[] },
  ): Promise<Subnet[]> {
    return this.env.inRegion(scope, async (r) =>
      select(
        await r.list('subnet'),
        (s) => s.subnetId,
        { ids: input.subnetIds, filters: input.filters },
        (id) => new InvalidSubnetID_NotFound(id),
        (s) => (name) => {
          if (name === 'subnet-id') return [s.subnetId];
          if (name === 'vpc-id') return [s.vpcId];
          if (name === 'cidr-block' || name === 'cidr' || name === 'cidrBlock') {
            return [s.cidrBlock];
          }
          if (name === 'availability-zone' || name === 'availabilityZone') {
            return [s.availabilityZone];
          }
          if (name === 'availability-zone-id') return [s.availabilityZoneId];
          if (name === 'default-for-az' || name === 'defaultForAz') return [String(s.defaultForAz)];
          if (name === 'map-public-ip-on-launch') return [String(s.mapPublicIpOnLaunch)];
          if (name === 'state') return [s.state];
          if (name === 'owner-id') return [s.ownerId];
          return tagFilterValues(name, s.tagSet);
        },
      ),
    );
  }

  async delete(scope: Ec2Scope, subnetId: string | undefined): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const subnet = await subnetById(r, subnetId);
      // AWS drops the subnet's explicit route-table association and its ACL association with it.
      for (const t of await r.list('rtb', subnet.vpcId)) {
        const kept = t.associationSet.filter((a) => a.subnetId !== subnet.subnetId);
        if (kept.length !== t.associationSet.length) {
          await r.update('rtb', t.routeTableId, { ...t, associationSet: kept });
        }
      }
      for (const a of await r.list('acl', subnet.vpcId)) {
        const kept = a.associationSet.filter((x) => x.subnetId !== subnet.subnetId);
        if (kept.length !== a.associationSet.length) {
          await r.update('acl', a.networkAclId, { ...a, associationSet: kept });
        }
      }
      await r.remove(subnet.subnetId);
    });
  }

  async modifyAttribute(
    scope: Ec2Scope,
    input: { subnetId?: string; mapPublicIpOnLaunch?: boolean },
  ): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const subnet = await subnetById(r, input.subnetId);
      if (input.mapPublicIpOnLaunch !== undefined) {
        subnet.mapPublicIpOnLaunch = input.mapPublicIpOnLaunch;
      }
      await r.update('subnet', subnet.subnetId, subnet);
    });
  }
}
