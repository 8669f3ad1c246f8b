/**
 * Rules of security groups: Authorize/Revoke SecurityGroup Ingress/Egress and
 * DescribeSecurityGroupRules. Each peer of a permission is one rule with its own `sgr-` id.
 * Revoke matches protocol, ports and peer exactly (Terraform revokes the default egress rule of a
 * new group that way); in a non-default VPC a rule that does not exist fails the whole call with
 * `InvalidPermission.NotFound`, in the default VPC it is reported back as unknown, as EC2 does.
 */
import { tagFilterValues } from './ec2-filters.ts';
import { select, tagsFor, type Ec2Env, type Ec2Scope } from './ec2-region.ts';
import type { Ec2ResourceStore } from './ec2-resources.store.ts';
import {
  InvalidGroup_NotFound,
  InvalidPermission_Duplicate,
  InvalidPermission_NotFound,
  InvalidSecurityGroupRuleId_NotFound,
  MissingParameter,
} from './ec2.errors.ts';
import type {
  Filter,
  IpPermission,
  SecurityGroupRule,
  StoredSecurityGroup,
  TagSpecification,
} from './ec2.types.ts';
import {
  describeRule,
  newRule,
  rulesOf,
  sameRule,
  toIpPermissions,
} from './security-group-rules.ts';
import { groupById } from './security-groups.service.ts';

/** What Authorize/Revoke act on. */
export interface RuleChange {
  groupId?: string;
  /** GroupName names a group of the default VPC when no GroupId is given. */
  groupName?: string;
  direction: 'ingress' | 'egress';
  permissions: IpPermission[];
  /** Revoke only: `SecurityGroupRuleId.N`. */
  ruleIds?: string[];
  tagSpecifications?: TagSpecification[];
}

/** The security-group rule operations. */
export class SecurityGroupRules {
  constructor(private readonly env: Ec2Env) {}

  async #target(r: Ec2ResourceStore, input: RuleChange): Promise<StoredSecurityGroup> {
    if (input.groupId || !input.groupName) return groupById(r, input.groupId);
    const defaultVpc = (await r.list('vpc')).find((v) => v.isDefault);
    const sg = defaultVpc
      ? (await r.list('sg', defaultVpc.vpcId)).find((g) => g.groupName === input.groupName)
      : undefined;
    if (!sg) throw new InvalidGroup_NotFound(input.groupName);
    return sg;
  }

  /** Adds rules; returns them with their new ids (`securityGroupRuleSet`). */
  async authorize(scope: Ec2Scope, input: RuleChange): Promise<SecurityGroupRule[]> {
    return this.env.inRegion(scope, async (r) => {
      const sg = await this.#target(r, input);
      const bodies = rulesOf(input.permissions, sg, input.direction === 'egress');
      if (bodies.length === 0) throw new MissingParameter('ipPermissions');
      const added: SecurityGroupRule[] = [];
      const tags = tagsFor(input.tagSpecifications, 'security-group-rule');
      for (const body of bodies) {
        const peer = body.referencedGroupInfo?.groupId;
        if (peer && peer !== sg.groupId && !(await r.get('sg', peer))) {
          throw new InvalidGroup_NotFound(peer);
        }
        if ([...sg.rules, ...added].some((x) => sameRule(x, body))) {
          throw new InvalidPermission_Duplicate(describeRule(body));
        }
        added.push(newRule(scope, body, tags));
      }
      sg.rules = [...sg.rules, ...added];
      await r.update('sg', sg.groupId, sg);
      return added;
    });
  }

  /** Removes rules; returns those removed and (default VPC only) those that did not exist. */
  async revoke(
    scope: Ec2Scope,
    input: RuleChange,
  ): Promise<{ revoked: SecurityGroupRule[]; unknown: IpPermission[] }> {
    return this.env.inRegion(scope, async (r) => {
      const sg = await this.#target(r, input);
      const isEgress = input.direction === 'egress';
      const inDefaultVpc = (await r.get('vpc', sg.vpcId))?.isDefault === true;
      const revoked: SecurityGroupRule[] = [];
      const unknown: SecurityGroupRule[] = [];
      for (const id of input.ruleIds ?? []) {
        const rule = sg.rules.find((x) => x.securityGroupRuleId === id && x.isEgress === isEgress);
        if (!rule) throw new InvalidSecurityGroupRuleId_NotFound(id);
        revoked.push(rule);
      }
      for (const body of rulesOf(input.permissions, sg, isEgress)) {
        const rule = sg.rules.find((x) => sameRule(x, body));
        if (rule) revoked.push(rule);
        else if (inDefaultVpc) {
          unknown.push({ ...body, securityGroupRuleId: '', tagSet: [], securityGroupRuleArn: '' });
        } else throw new InvalidPermission_NotFound();
      }
      if (revoked.length === 0 && unknown.length === 0) throw new MissingParameter('ipPermissions');
      sg.rules = sg.rules.filter((x) => !revoked.includes(x));
      await r.update('sg', sg.groupId, sg);
      return { revoked, unknown: toIpPermissions(unknown, isEgress) };
    });
  }

  /**
   * ModifySecurityGroupRules: each rule named by id takes a new protocol, ports, peer and
   * description, keeping its id and tags; a result equal to another rule is a duplicate.
   */
  async modify(
    scope: Ec2Scope,
    groupId: string | undefined,
    updates: { ruleId: string; permission: IpPermission }[],
  ): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const sg = await groupById(r, groupId);
      for (const { ruleId, permission } of updates) {
        const index = sg.rules.findIndex((x) => x.securityGroupRuleId === ruleId);
        const old = sg.rules[index];
        if (!old) throw new InvalidSecurityGroupRuleId_NotFound(ruleId);
        const [body] = rulesOf([permission], sg, old.isEgress);
        if (!body) throw new MissingParameter('securityGroupRule');
        if (sg.rules.some((x, i) => i !== index && sameRule(x, body))) {
          throw new InvalidPermission_Duplicate(describeRule(body));
        }
        const { securityGroupRuleId, tagSet, securityGroupRuleArn } = old;
        sg.rules[index] = { securityGroupRuleId, ...body, tagSet, securityGroupRuleArn };
      }
      await r.update('sg', sg.groupId, sg);
    });
  }

  async describe(
    scope: Ec2Scope,
    input: { ruleIds?: string[]; filters?: Filter[] },
  ): Promise<SecurityGroupRule[]> {
    return this.env.inRegion(scope, async (r) =>
      select(
        (await r.list('sg')).flatMap((g) => g.rules),
        (x) => x.securityGroupRuleId,
        { ids: input.ruleIds, filters: input.filters },
        (id) => new InvalidSecurityGroupRuleId_NotFound(id),
        (x) => (name) => {
          if (name === 'group-id') return [x.groupId];
          if (name === 'security-group-rule-id') return [x.securityGroupRuleId];
          return tagFilterValues(name, x.tagSet);
        },
      ),
    );
  }
}
