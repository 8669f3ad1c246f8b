/**
 * Route tables of the EC2 subset: create, describe, delete, routes (create, replace, delete) and
 * subnet associations. The main table of each VPC is made with the VPC (ec2.service.ts); it
 * carries the `local` route, which cannot be replaced or deleted.
 */
import { parseCidr } from './ec2-cidr.ts';
import { tagFilterValues } from './ec2-filters.ts';
import { newId, select, tagsFor, type Ec2Env, type Ec2Scope } from './ec2-region.ts';
import type { Ec2ResourceStore } from './ec2-resources.store.ts';
import {
  DependencyViolation,
  InvalidAssociationID_NotFound,
  InvalidInternetGatewayID_NotFound,
  InvalidParameterValue,
  InvalidRoute_NotFound,
  InvalidRouteTableID_NotFound,
  InvalidSubnetID_NotFound,
  MissingParameter,
  Resource_AlreadyAssociated,
  RouteAlreadyExists,
} from './ec2.errors.ts';
import type { Filter, InternetGateway, RouteTable, TagSpecification } from './ec2.types.ts';
import { localRoute } from './vpc-defaults.ts';
import { vpcById } from './vpcs.service.ts';

/**
 * A table as the wire shows it: a route to a gateway that is gone or no longer attached to the
 * table's VPC is a `blackhole`, as in EC2.
 */
function withRouteStates(t: RouteTable, gateways: readonly InternetGateway[]): RouteTable {
  const live = (id: string) =>
    gateways.some(
      (g) => g.internetGatewayId === id && g.attachmentSet.some((a) => a.vpcId === t.vpcId),
    );
  return {
    ...t,
    routeSet: t.routeSet.map((x) =>
      x.gatewayId === 'local' ? x : { ...x, state: live(x.gatewayId) ? 'active' : 'blackhole' },
    ),
  };
}

/** A route's target: only internet gateways (and `local`) in this subset. */
export interface RouteInput {
  routeTableId?: string;
  destinationCidrBlock?: string;
  gatewayId?: string;
}

/** Route-table operations over the region runner of `Ec2Service`. */
export class RouteTables {
  constructor(private readonly env: Ec2Env) {}

  async #table(r: Ec2ResourceStore, id: string | undefined): Promise<RouteTable> {
    if (!id) throw new MissingParameter('routeTableId');
    const rtb = await r.get('rtb', id);
    if (!rtb) throw new InvalidRouteTableID_NotFound(id);
    return rtb;
  }

  async create(
    scope: Ec2Scope,
    input: { vpcId?: string; tagSpecifications?: TagSpecification[] },
  ): Promise<RouteTable> {
    return this.env.inRegion(scope, async (r) => {
      const vpc = await vpcById(r, input.vpcId);
      const id = newId('rtb');
      const rtb: RouteTable = {
        routeTableId: id,
        vpcId: vpc.vpcId,
        ownerId: scope.accountId,
        routeSet: [localRoute(vpc.cidrBlock)],
        associationSet: [],
        propagatingVgwSet: [],
        tagSet: tagsFor(input.tagSpecifications, 'route-table'),
      };
      await r.insert('rtb', id, vpc.vpcId, rtb, this.env.now());
      return rtb;
    });
  }

  async describe(
    scope: Ec2Scope,
    input: { routeTableIds?: string[]; filters?: Filter[] },
  ): Promise<RouteTable[]> {
    return this.env.inRegion(scope, async (r) => {
      const gateways = await r.list('igw');
      return select(
        await r.list('rtb'),
        (t) => t.routeTableId,
        { ids: input.routeTableIds, filters: input.filters },
        (id) => new InvalidRouteTableID_NotFound(id),
        (t) => (name) => {
          if (name === 'route-table-id') return [t.routeTableId];
          if (name === 'vpc-id') return [t.vpcId];
          if (name === 'owner-id') return [t.ownerId];
          if (name === 'association.main') return t.associationSet.map((a) => String(a.main));
          if (name === 'association.subnet-id') {
            return t.associationSet.flatMap((a) => (a.subnetId ? [a.subnetId] : []));
          }
          if (name === 'association.route-table-association-id') {
            return t.associationSet.map((a) => a.routeTableAssociationId);
          }
          if (name === 'association.route-table-id') return [t.routeTableId];
          if (name === 'route.gateway-id') return t.routeSet.map((x) => x.gatewayId);
          if (name === 'route.destination-cidr-block') {
            return t.routeSet.map((x) => x.destinationCidrBlock);
          }
          return tagFilterValues(name, t.tagSet);
        },
      ).map((t) => withRouteStates(t, gateways));
    });
  }

  async delete(scope: Ec2Scope, id: string | undefined): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const rtb = await this.#table(r, id);
      if (rtb.associationSet.length > 0) {
        throw new DependencyViolation('routeTable', rtb.routeTableId);
      }
      await r.remove(rtb.routeTableId);
    });
  }

  /** CreateRoute, ReplaceRoute or DeleteRoute on one destination. */
  async route(
    scope: Ec2Scope,
    action: 'create' | 'replace' | 'delete',
    input: RouteInput,
  ): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
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
        const igw = await r.get('igw', gatewayId);
        if (!igw) throw new InvalidInternetGatewayID_NotFound(gatewayId);
        if (!igw.attachmentSet.some((a) => a.vpcId === rtb.vpcId)) {
          throw new InvalidParameterValue(
            `route table ${rtb.routeTableId} and network gateway ${gatewayId} belong to different networks`,
          );
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
    scope: Ec2Scope,
    routeTableId: string | undefined,
    subnetId: string | undefined,
  ): Promise<{ associationId: string; associationState: { state: string } }> {
    return this.env.inRegion(scope, async (r) => {
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
      const associationId = newId('rtbassoc');
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

  async disassociate(scope: Ec2Scope, associationId: string | undefined): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
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
}
