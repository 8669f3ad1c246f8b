/** Tags on any resource of the subset by id: CreateTags, DeleteTags, DescribeTags. */
import { matchesFilters } from './ec2-filters.ts';
import type { Ec2Env, Ec2Scope } from './ec2-region.ts';
import { ID_PREFIX, kindOfId, type Ec2ResourceStore } from './ec2-resources.store.ts';
import {
  InvalidGroup_NotFound,
  InvalidID,
  InvalidInternetGatewayID_NotFound,
  InvalidNetworkAclID_NotFound,
  InvalidRouteTableID_NotFound,
  InvalidSecurityGroupRuleId_NotFound,
  InvalidSubnetID_NotFound,
  InvalidVpcID_NotFound,
} from './ec2.errors.ts';
import type { Ec2Kind, Filter, StoredSecurityGroup, Tag } from './ec2.types.ts';

/** DescribeTags' `resourceType` of each kind. */
const TAG_RESOURCE_TYPE: Record<Ec2Kind, string> = {
  vpc: 'vpc',
  subnet: 'subnet',
  igw: 'internet-gateway',
  sg: 'security-group',
  rtb: 'route-table',
  acl: 'network-acl',
};

/** The id member of each kind's document. */
const ID_KEY: Record<Ec2Kind, string> = {
  vpc: 'vpcId',
  subnet: 'subnetId',
  igw: 'internetGatewayId',
  sg: 'groupId',
  rtb: 'routeTableId',
  acl: 'networkAclId',
};

const NOT_FOUND: Record<Ec2Kind, new (id: string) => Error> = {
  vpc: InvalidVpcID_NotFound,
  subnet: InvalidSubnetID_NotFound,
  igw: InvalidInternetGatewayID_NotFound,
  sg: InvalidGroup_NotFound,
  rtb: InvalidRouteTableID_NotFound,
  acl: InvalidNetworkAclID_NotFound,
};

export interface TagDescription {
  resourceId: string;
  resourceType: string;
  key: string;
  value: string;
}

/**
 * Replaces the tags of the resource `id` names with `change(tags)`. Rules (`sgr-…`) live inside
 * their group's document, so their tags are changed there.
 */
async function retag(
  r: Ec2ResourceStore,
  id: string,
  change: (tags: Tag[]) => Tag[],
): Promise<void> {
  if (id.startsWith('sgr-')) {
    for (const sg of await r.list('sg')) {
      const rule = sg.rules.find((x) => x.securityGroupRuleId === id);
      if (!rule) continue;
      rule.tagSet = change(rule.tagSet);
      await r.update('sg', sg.groupId, sg);
      return;
    }
    throw new InvalidSecurityGroupRuleId_NotFound(id);
  }
  const kind = kindOfId(id);
  if (!kind) throw new InvalidID(id);
  const res = await r.get(kind, id);
  if (!res) throw new NOT_FOUND[kind](id);
  res.tagSet = change(res.tagSet);
  await r.update(kind, id, res as never);
}

/** The tag operations. */
export class Tags {
  constructor(private readonly env: Ec2Env) {}

  /** Sets tags; a key already there gets the new value. */
  async create(scope: Ec2Scope, resourceIds: string[], tags: Tag[]): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      for (const id of resourceIds) {
        await retag(r, id, (have) => [
          ...have.filter((t) => !tags.some((n) => n.key === t.key)),
          ...tags,
        ]);
      }
    });
  }

  /** Removes tags by key (and value, when given); no tags named removes them all. */
  async delete(
    scope: Ec2Scope,
    resourceIds: string[],
    tags: { key: string; value?: string }[],
  ): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      for (const id of resourceIds) {
        await retag(r, id, (have) =>
          tags.length === 0
            ? []
            : have.filter(
                (t) =>
                  !tags.some(
                    (d) => d.key === t.key && (d.value === undefined || d.value === t.value),
                  ),
              ),
        );
      }
    });
  }

  async describe(scope: Ec2Scope, filters: Filter[]): Promise<TagDescription[]> {
    return this.env.inRegion(scope, async (r) => {
      const out: TagDescription[] = [];
      // Rules are tagged resources of their own, kept inside their group's document.
      const tagged: { resourceId: string; resourceType: string; tagSet: Tag[] }[] = [];
      for (const kind of Object.keys(ID_PREFIX) as Ec2Kind[]) {
        for (const res of await r.list(kind)) {
          const resourceId = String((res as unknown as Record<string, unknown>)[ID_KEY[kind]]);
          tagged.push({ resourceId, resourceType: TAG_RESOURCE_TYPE[kind], tagSet: res.tagSet });
          if (kind !== 'sg') continue;
          for (const rule of (res as StoredSecurityGroup).rules) {
            tagged.push({
              resourceId: rule.securityGroupRuleId,
              resourceType: 'security-group-rule',
              tagSet: rule.tagSet,
            });
          }
        }
      }
      for (const { resourceId, resourceType, tagSet } of tagged) {
        for (const tag of tagSet) {
          const item = { resourceId, resourceType, ...tag };
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
      return out;
    });
  }
}
