/**
 * Security groups: create (with the all-traffic egress rule AWS gives every new group),
 * describe (rules grouped into IpPermissions) and delete (not `default`, not while another
 * group's rule references it). Rules themselves: security-group-rules.service.ts.
 */
import { tagFilterValues } from './ec2-filters.ts';
import { newId, select, tagsFor, type Ec2Env, type Ec2Scope } from './ec2-region.ts';
import type { Ec2ResourceStore } from './ec2-resources.store.ts';
import {
  CannotDelete,
  DependencyViolation,
  InvalidGroup_Duplicate,
  InvalidGroup_NotFound,
  InvalidParameterValue,
  InvalidVpcID_NotFound,
  MissingParameter,
} from './ec2.errors.ts';
import type { Filter, SecurityGroup, StoredSecurityGroup, TagSpecification } from './ec2.types.ts';
import { allowAllEgress, newRule, toIpPermissions } from './security-group-rules.ts';
import { vpcById } from './vpcs.service.ts';

/** A group by id, or EC2's errors for a missing or unknown one. */
export async function groupById(
  r: Ec2ResourceStore,
  id: string | undefined,
): Promise<StoredSecurityGroup> {
  if (!id) throw new MissingParameter('groupId');
  const sg = await r.get('sg', id);
  if (!sg) throw new InvalidGroup_NotFound(id);
  return sg;
}

/** A stored group as the wire shows it. */
export function wireGroup(sg: StoredSecurityGroup): SecurityGroup {
  const { rules, ...rest } = sg;
  return {
    ...rest,
    ipPermissions: toIpPermissions(rules, false),
    ipPermissionsEgress: toIpPermissions(rules, true),
  };
}

/** The security-group operations. */
export class SecurityGroups {
  constructor(private readonly env: Ec2Env) {}

  async create(
    scope: Ec2Scope,
    input: {
      groupName?: string;
      description?: string;
      vpcId?: string;
      tagSpecifications?: TagSpecification[];
    },
  ): Promise<SecurityGroup> {
    const { groupName, description } = input;
    if (!groupName) throw new MissingParameter('groupName');
    if (!description) throw new MissingParameter('groupDescription');
    if (groupName.startsWith('sg-')) {
      throw new InvalidParameterValue(
        `Value (${groupName}) for parameter groupName is invalid. Group names may not be in the format sg-*.`,
      );
    }
    return this.env.inRegion(scope, async (r) => {
      const vpc = input.vpcId
        ? await vpcById(r, input.vpcId)
        : (await r.list('vpc')).find((v) => v.isDefault);
      if (!vpc) throw new InvalidVpcID_NotFound(input.vpcId ?? '');
      const groups = await r.list('sg', vpc.vpcId);
      if (groups.some((g) => g.groupName === groupName)) {
        throw new InvalidGroup_Duplicate(groupName, vpc.vpcId);
      }
      const id = newId('sg');
      const sg: StoredSecurityGroup = {
        groupId: id,
        groupName,
        groupDescription: description,
        vpcId: vpc.vpcId,
        ownerId: scope.accountId,
        securityGroupArn: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:security-group/${id}`,
        rules: [newRule(scope, allowAllEgress({ groupId: id, ownerId: scope.accountId }))],
        tagSet: tagsFor(input.tagSpecifications, 'security-group'),
      };
      await r.insert('sg', id, vpc.vpcId, sg, this.env.now());
      return wireGroup(sg);
    });
  }

  async describe(
    scope: Ec2Scope,
    input: { groupIds?: string[]; groupNames?: string[]; filters?: Filter[] },
  ): Promise<SecurityGroup[]> {
    return this.env.inRegion(scope, async (r) => {
      const all = await r.list('sg');
      const defaultVpc = (await r.list('vpc')).find((v) => v.isDefault)?.vpcId;
      // GroupName.N names groups of the default VPC only, as in EC2.
      for (const name of input.groupNames ?? []) {
        if (!all.some((g) => g.groupName === name && g.vpcId === defaultVpc)) {
          throw new InvalidGroup_NotFound(name);
        }
      }
      return select(
        all.filter(
          (g) =>
            !input.groupNames?.length ||
            (g.vpcId === defaultVpc && input.groupNames.includes(g.groupName)),
        ),
        (g) => g.groupId,
        { ids: input.groupIds, filters: input.filters },
        (id) => new InvalidGroup_NotFound(id),
        (g) => (name) => {
          if (name === 'group-id') return [g.groupId];
          if (name === 'group-name') return [g.groupName];
          if (name === 'vpc-id') return [g.vpcId];
          if (name === 'description') return [g.groupDescription];
          if (name === 'owner-id') return [g.ownerId];
          return tagFilterValues(name, g.tagSet);
        },
      ).map(wireGroup);
    });
  }

  async delete(scope: Ec2Scope, groupId: string | undefined): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const sg = await groupById(r, groupId);
      if (sg.groupName === 'default') throw new CannotDelete(sg.groupId);
      const referenced = (await r.list('sg')).some(
        (g) =>
          g.groupId !== sg.groupId &&
          g.rules.some((rule) => rule.referencedGroupInfo?.groupId === sg.groupId),
      );
      if (referenced) throw new DependencyViolation('security-group', sg.groupId);
      await r.remove(sg.groupId);
    });
  }
}
