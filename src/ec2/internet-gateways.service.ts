/** Internet gateways: create, attach to one VPC, detach, delete (only when detached), describe. */
import { tagFilterValues } from './ec2-filters.ts';
import { newId, select, tagsFor, type Ec2Env, type Ec2Scope } from './ec2-region.ts';
import type { Ec2ResourceStore } from './ec2-resources.store.ts';
import {
  DependencyViolation,
  Gateway_NotAttached,
  InvalidInternetGatewayID_NotFound,
  MissingParameter,
  Resource_AlreadyAssociated,
} from './ec2.errors.ts';
import type { Filter, InternetGateway, TagSpecification } from './ec2.types.ts';
import { vpcById } from './vpcs.service.ts';

/** A gateway by id, or EC2's errors for a missing or unknown one. */
export async function igwById(
  r: Ec2ResourceStore,
  id: string | undefined,
): Promise<InternetGateway> {
  if (!id) throw new MissingParameter('internetGatewayId');
  const igw = await r.get('igw', id);
  if (!igw) throw new InvalidInternetGatewayID_NotFound(id);
  return igw;
}

/** The internet-gateway operations. */
export class InternetGateways {
  constructor(private readonly env: Ec2Env) {}

  async create(
    scope: Ec2Scope,
    input: { tagSpecifications?: TagSpecification[] },
  ): Promise<InternetGateway> {
    return this.env.inRegion(scope, async (r) => {
      const igw: InternetGateway = {
        internetGatewayId: newId('igw'),
        ownerId: scope.accountId,
        attachmentSet: [],
        tagSet: tagsFor(input.tagSpecifications, 'internet-gateway'),
      };
      await r.insert('igw', igw.internetGatewayId, null, igw, this.env.now());
      return igw;
    });
  }

  async attach(
    scope: Ec2Scope,
    igwId: string | undefined,
    vpcId: string | undefined,
  ): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const igw = await igwById(r, igwId);
      const vpc = await vpcById(r, vpcId);
      const current = igw.attachmentSet[0];
      if (current) throw new Resource_AlreadyAssociated(igw.internetGatewayId, current.vpcId);
      igw.attachmentSet = [{ vpcId: vpc.vpcId, state: 'available' }];
      await r.update('igw', igw.internetGatewayId, igw, vpc.vpcId);
    });
  }

  async detach(
    scope: Ec2Scope,
    igwId: string | undefined,
    vpcId: string | undefined,
  ): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const igw = await igwById(r, igwId);
      const vpc = await vpcById(r, vpcId);
      if (igw.attachmentSet[0]?.vpcId !== vpc.vpcId) {
        throw new Gateway_NotAttached(igw.internetGatewayId, vpc.vpcId);
      }
      igw.attachmentSet = [];
      await r.update('igw', igw.internetGatewayId, igw, null);
    });
  }

  async delete(scope: Ec2Scope, igwId: string | undefined): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const igw = await igwById(r, igwId);
      if (igw.attachmentSet.length > 0) {
        throw new DependencyViolation('internetGateway', igw.internetGatewayId);
      }
      await r.remove(igw.internetGatewayId);
    });
  }

  async describe(
    scope: Ec2Scope,
    input: { internetGatewayIds?: string[]; filters?: Filter[] },
  ): Promise<InternetGateway[]> {
    return this.env.inRegion(scope, async (r) =>
      select(
        await r.list('igw'),
        (g) => g.internetGatewayId,
        { ids: input.internetGatewayIds, filters: input.filters },
        (id) => new InvalidInternetGatewayID_NotFound(id),
        (g) => (name) => {
          if (name === 'internet-gateway-id') return [g.internetGatewayId];
          if (name === 'attachment.vpc-id') return g.attachmentSet.map((a) => a.vpcId);
          if (name === 'attachment.state') return g.attachmentSet.map((a) => a.state);
          if (name === 'owner-id') return [g.ownerId];
          return tagFilterValues(name, g.tagSet);
        },
      ),
    );
  }
}
