/**
 * Network ACLs and network interfaces, read-only: each VPC's default ACL (made with the VPC,
 * associated with each of its subnets) and the interfaces, of which this subset has none (ECS
 * tasks' interfaces belong to ECS; the provider only asks whether any block a delete).
 */
import { tagFilterValues } from './ec2-filters.ts';
import { select, type Ec2Env, type Ec2Scope } from './ec2-region.ts';
import { InvalidNetworkAclID_NotFound, InvalidNetworkInterfaceID_NotFound } from './ec2.errors.ts';
import type { Filter, NetworkAcl } from './ec2.types.ts';

/** The network ACL and network interface reads. */
export class NetworkAcls {
  constructor(private readonly env: Ec2Env) {}

  async describe(
    scope: Ec2Scope,
    input: { networkAclIds?: string[]; filters?: Filter[] },
  ): Promise<NetworkAcl[]> {
    return this.env.inRegion(scope, async (r) =>
      select(
        await r.list('acl'),
        (a) => a.networkAclId,
        { ids: input.networkAclIds, filters: input.filters },
        (id) => new InvalidNetworkAclID_NotFound(id),
        (a) => (name) => {
          if (name === 'network-acl-id') return [a.networkAclId];
          if (name === 'vpc-id') return [a.vpcId];
          if (name === 'default') return [String(a.default)];
          if (name === 'owner-id') return [a.ownerId];
          if (name === 'association.subnet-id') return a.associationSet.map((x) => x.subnetId);
          if (name === 'association.association-id') {
            return a.associationSet.map((x) => x.networkAclAssociationId);
          }
          if (name === 'association.network-acl-id') return [a.networkAclId];
          return tagFilterValues(name, a.tagSet);
        },
      ),
    );
  }

  /** No interfaces exist here: asked by id, EC2's not-found; asked by filter, an empty set. */
  describeInterfaces(input: { networkInterfaceIds?: string[] }): never[] {
    const [id] = input.networkInterfaceIds ?? [];
    if (id !== undefined) throw new InvalidNetworkInterfaceID_NotFound(id);
    return [];
  }
}
