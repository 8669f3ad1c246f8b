/**
 * Route tables of the EC2 subset: create, describe, delete, routes (create, replace, delete) and
 * subnet associations. The main table of each VPC is made with the VPC (ec2.service.ts); it
 * carries the `local` route, which cannot be replaced or deleted.
 */
import { randomHex, type AwsContext } from '../platform/ids.ts';
import { parseCidr } from './ec2-cidr.ts';
import { matchesFilters, tagFilterValues } from './ec2-filters.ts';
import type { Ec2ResourceStore } from './ec2-resources.store.ts';
import {
  DependencyViolation,
  InvalidAssociationID_NotFound,
  InvalidInternetGatewayID_NotFound,
  InvalidParameterValue,
  InvalidRoute_NotFound,
  InvalidRouteTableID_NotFound,
  InvalidSubnetID_NotFound,
  InvalidVpcID_NotFound,
  MissingParameter,
  Resource_AlreadyAssociated,
  RouteAlreadyExists,
} from './ec2.errors.ts';
import type { Filter, RouteTable, TagSpecification } from './ec2.types.ts';

/** Runs a step on one region's resources in one transaction (Ec2Service provides it). */
export type InRegion = <T>(
  scope: AwsContext,
  fn: (r: Ec2ResourceStore) => Promise<T>,
) => Promise<T>;

/** A route's target: only internet gateways (and `local`) in this subset. */
export interface RouteInput {
  routeTableId?: string;
  destinationCidrBlock?: string;
  gatewayId?: string;
}

/** Route-table operations over the region runner of `Ec2Service`. */
export class RouteTables {
  constructor(
    private readonly inRegion: InRegion,
    private readonly now: () => number,
  ) {}

  async #table(r: Ec2ResourceStore, id: string | undefined): Promise<RouteTable> {
    if (!id) throw new MissingParameter('routeTableId');
    const rtb = await r.get('rtb', id);
    if (!rtb) throw new InvalidRouteTableID_NotFound(id);
    return rtb;
  }

  async create(
    scope: AwsContext,
    input: { vpcId?: string; tagSpecifications?: TagSpecification[] },
  ): Promise<RouteTable> {
    return this.inRegion(scope, async (r) => {
      if (!input.vpcId) throw new MissingParameter('vpcId');
      const vpc = await r.get('vpc', input.vpcId);
      if (!vpc) throw new InvalidVpcID_NotFound(input.vpcId);
      const id = `rtb-${randomHex(17)}`;
      const rtb: RouteTable = {
        routeTableId: id,
        vpcId: vpc.vpcId,
        ownerId: scope.accountId,
        routeSet: [
          {
            destinationCidrBlock: vpc.cidrBlock,
            gatewayId: 'local',
            state: 'active',
            origin: 'CreateRouteTable',
          },
        ],
        associationSet: [],
        propagatingVgwSet: [],
        tagSet: (input.tagSpecifications ?? [])
          .filter((s) => s.resourceType === 'route-table')
          .flatMap((s) => s.tags),
      };
      await r.insert('rtb', id, vpc.vpcId, rtb, this.now());
      return rtb;
    });
  }

  async describe(
    scope: AwsContext,
    input: { routeTableIds?: string[]; filters?: Filter[] },
  ): Promise<RouteTable[]> {
    return this.inRegion(scope, async (r) => {
      const all = await r.list('rtb');
      for (const id of input.routeTableIds ?? []) {
        if (!all.some((t) => t.routeTableId === id)) throw new InvalidRouteTableID_NotFound(id);
      }
      return all
        .filter((t) => !input.routeTableIds?.length || input.routeTableIds.includes(t.routeTableId))
        .filter((t) =>
          matchesFilters(input.filters ?? [], (name) => {
            if (name === 'route-table-id') return [t.routeTableId];
            if (name === 'vpc-id') return [t.vpcId];
            if (name === 'association.main') return t.associationSet.map((a) => String(a.main));
            if (name === 'association.subnet-id') {
              return t.associationSet.flatMap((a) => (a.subnetId ? [a.subnetId] : []));
            }
            if (name === 'association.route-table-association-id') {
              return t.associationSet.map((a) => a.routeTableAssociationId);
            }
            if (name === 'route.gateway-id') return t.routeSet.map((x) => x.gatewayId);
            return tagFilterValues(name, t.tagSet);
          }),
        );
    });
  }

  async delete(scope: AwsContext, id: string | undefined): Promise<void> {
    await this.inRegion(scope, async (r) => {
      const rtb = await this.#table(r, id);
      if (rtb.associationSet.length > 0) {
        throw new DependencyViolation('routeTable', rtb.routeTableId);
      }
      await r.remove(rtb.routeTableId);
    });
  }

  /** CreateRoute, ReplaceRoute or DeleteRoute on one destination. */
  async route(
    scope: AwsContext,
    action: 'create' | 'replace' | 'delete',
    input: RouteInput,
  ): Promise<void> {
    await this.inRegion(scope, async (r) => {
      const rtb = await this.#table(r, input.routeTableId);
      const destination = input.destinationCidrBlock;
      if (!destination) throw new MissingParameter('destinationCidrBlock');
      if (!parseCidr(destination)) {
        throw new InvalidParameterValue(
          `Value (${destination}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`,
        );
      }
      const index = rtb.routeSet.findIndex((x) => x.destinationCidrBlock === destination);
      const existing = rtb.routeSet[index];
      if (action === 'create' && existing) throw new RouteAlreadyExists(destination);
      if (action !== 'create' && (!existing || existing.gatewayId === 'local')) {
        // ⚠ EC2 answers InvalidParameterValue for the local route; we say not found.
        throw new InvalidRoute_NotFound(destination, rtb.routeTableId);
      }
      if (action === 'delete') {
        rtb.routeSet = rtb.routeSet.filter((_, i) => i !== index);
      } else {
        const gatewayId = input.gatewayId;
        if (!gatewayId) throw new MissingParameter('gatewayId');
        if (!(await r.get('igw', gatewayId))) {
          throw new InvalidInternetGatewayID_NotFound(gatewayId);
        }
        const route = {
          destinationCidrBlock: destination,
          gatewayId,
          state: 'active',
          origin: 'CreateRoute',
        };
        rtb.routeSet =
          action === 'create'
            ? [...rtb.routeSet, route]
            : rtb.routeSet.map((x, i) => (i === index ? route : x));
      }
      await r.update('rtb', rtb.routeTableId, rtb);
    });
  }

  async associate(
    scope: AwsContext,
    routeTableId: string | undefined,
    subnetId: string | undefined,
  ): Promise<{ associationId: string; associationState: { state: string } }> {
    return this.inRegion(scope, async (r) => {
      const rtb = await this.#table(r, routeTableId);
      if (!subnetId) throw new MissingParameter('subnetId');
      const subnet = await r.get('subnet', subnetId);
      if (!subnet) throw new InvalidSubnetID_NotFound(subnetId);
      if (subnet.vpcId !== rtb.vpcId) {
        throw new InvalidParameterValue(
          `Route table ${rtb.routeTableId} and subnet ${subnetId} belong to different networks`,
        );
      }
      const tables = await r.list('rtb', rtb.vpcId);
      if (tables.some((t) => t.associationSet.some((a) => a.subnetId === subnetId))) {
        throw new Resource_AlreadyAssociated(rtb.routeTableId, subnetId);
      }
      const associationId = `rtbassoc-${randomHex(17)}`;
      rtb.associationSet.push({
        routeTableAssociationId: associationId,
        routeTableId: rtb.routeTableId,
        subnetId,
        main: false,
        associationState: { state: 'associated' },
      });
      await r.update('rtb', rtb.routeTableId, rtb);
      return { associationId, associationState: { state: 'associated' } };
    });
  }

  async disassociate(scope: AwsContext, associationId: string | undefined): Promise<void> {
    await this.inRegion(scope, async (r) => {
      if (!associationId) throw new MissingParameter('associationId');
      const tables = await r.list('rtb');
      const rtb = tables.find((t) =>
        t.associationSet.some((a) => a.routeTableAssociationId === associationId && !a.main),
      );
      if (!rtb) throw new InvalidAssociationID_NotFound(associationId);
      rtb.associationSet = rtb.associationSet.filter(
        (a) => a.routeTableAssociationId !== associationId,
      );
      await r.update('rtb', rtb.routeTableId, rtb);
    });
  }

  /** Drops a deleted subnet's association, as EC2 does implicitly. */
  static async forgetSubnet(r: Ec2ResourceStore, vpcId: string, subnetId: string): Promise<void> {
    for (const t of await r.list('rtb', vpcId)) {
      const kept = t.associationSet.filter((a) => a.subnetId !== subnetId);
      if (kept.length !== t.associationSet.length) {
        await r.update('rtb', t.routeTableId, { ...t, associationSet: kept });
      }
    }
  }
}
