/**
 * VPCs: create (with the main route table, default ACL and default group, vpc-defaults.ts),
 * describe, delete under AWS's dependency rules, and the two DNS attributes.
 */
import { parseCidr } from './ec2-cidr.ts';
import { tagFilterValues } from './ec2-filters.ts';
import { select, tagsFor, type Ec2Env, type Ec2Scope } from './ec2-region.ts';
import type { Ec2ResourceStore } from './ec2-resources.store.ts';
import {
  DependencyViolation,
  InvalidParameterValue,
  InvalidVpcID_NotFound,
  InvalidVpcRange,
  MissingParameter,
} from './ec2.errors.ts';
import {
  VPC_ATTRIBUTES,
  type Filter,
  type TagSpecification,
  type Vpc,
  type VpcAttribute,
} from './ec2.types.ts';
import { insertVpc } from './vpc-defaults.ts';

/** A VPC by id, or EC2's errors for a missing or unknown one. */
export async function vpcById(r: Ec2ResourceStore, id: string | undefined): Promise<Vpc> {
  if (!id) throw new MissingParameter('vpcId');
  const vpc = await r.get('vpc', id);
  if (!vpc) throw new InvalidVpcID_NotFound(id);
  return vpc;
}

/** The VPC operations. */
export class Vpcs {
  constructor(private readonly env: Ec2Env) {}

  async create(
    scope: Ec2Scope,
    input: { cidrBlock?: string; instanceTenancy?: string; tagSpecifications?: TagSpecification[] },
  ): Promise<Vpc> {
    const cidrBlock = input.cidrBlock;
    if (!cidrBlock) throw new MissingParameter('cidrBlock');
    const cidr = parseCidr(cidrBlock);
    if (!cidr) {
      throw new InvalidParameterValue(
        `Value (${cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
      );
    }
    if (cidr.prefix < 16 || cidr.prefix > 28) throw new InvalidVpcRange(cidrBlock);
    return this.env.inRegion(scope, (r) =>
      insertVpc(scope, r, this.env.now(), {
        cidrBlock,
        isDefault: false,
        tags: tagsFor(input.tagSpecifications, 'vpc'),
        tenancy: input.instanceTenancy ?? 'default',
      }),
    );
  }

  async describe(
    scope: Ec2Scope,
    input: { vpcIds?: string[]; filters?: Filter[] },
  ): Promise<Vpc[]> {
    return this.env.inRegion(scope, async (r) =>
      select(
        await r.list('vpc'),
        (v) => v.vpcId,
        { ids: input.vpcIds, filters: input.filters },
        (id) => new InvalidVpcID_NotFound(id),
        (v) => (name) => {
          if (name === 'vpc-id') return [v.vpcId];
          if (name === 'cidr' || name === 'cidr-block-association.cidr-block') return [v.cidrBlock];
          if (name === 'isDefault' || name === 'is-default') return [String(v.isDefault)];
          if (name === 'state') return [v.state];
          if (name === 'owner-id') return [v.ownerId];
          if (name === 'dhcp-options-id') return [v.dhcpOptionsId];
          return tagFilterValues(name, v.tagSet);
        },
      ),
    );
  }

  /**
   * Deletes a VPC with what AWS deletes with it (main route table, default ACL, default group);
   * subnets, an attached gateway, other groups or other route tables make it DependencyViolation.
   */
  async delete(scope: Ec2Scope, vpcId: string | undefined): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const vpc = await vpcById(r, vpcId);
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
      for (const t of await r.list('rtb', vpc.vpcId)) await r.remove(t.routeTableId);
      for (const a of await r.list('acl', vpc.vpcId)) await r.remove(a.networkAclId);
      for (const g of await r.list('sg', vpc.vpcId)) await r.remove(g.groupId);
      await r.remove(vpc.vpcId);
    });
  }

  async describeAttribute(
    scope: Ec2Scope,
    vpcId: string | undefined,
    attribute: string | undefined,
  ): Promise<{ vpcId: string; attribute: VpcAttribute; value: boolean }> {
    return this.env.inRegion(scope, async (r) => {
      const vpc = await vpcById(r, vpcId);
      const known = VPC_ATTRIBUTES.find((a) => a === attribute);
      if (!known) {
        throw new InvalidParameterValue(
          `Value (${attribute ?? ''}) for parameter attribute is invalid. Unknown attribute.`,
        );
      }
      // Rows stored before an attribute existed read as AWS's default, false.
      return { vpcId: vpc.vpcId, attribute: known, value: vpc[known] ?? false };
    });
  }

  async modifyAttribute(
    scope: Ec2Scope,
    input: { vpcId?: string } & Partial<Record<VpcAttribute, boolean>>,
  ): Promise<void> {
    await this.env.inRegion(scope, async (r) => {
      const vpc = await vpcById(r, input.vpcId);
      const set = VPC_ATTRIBUTES.filter((a) => input[a] !== undefined);
      const [attribute] = set;
      if (set.length !== 1 || !attribute) {
        // ⚠ wording; EC2 takes exactly one attribute per call.
        throw new InvalidParameterValue('Exactly one attribute must be modified per call.');
      }
      vpc[attribute] = input[attribute] ?? false;
      await r.update('vpc', vpc.vpcId, vpc);
    });
  }
}
