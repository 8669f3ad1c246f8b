/**
 * Security group rules as data: a request's IpPermissions become one rule per peer (CIDR, IPv6
 * block, prefix list or group), which is how EC2 identifies them (`sgr-…`), matches them on
 * revoke and reports duplicates; DescribeSecurityGroups groups them back by protocol and ports.
 */
import { parseCidr } from './ec2-cidr.ts';
import { InvalidParameterValue } from './ec2.errors.ts';
import { newId, type Ec2Scope } from './ec2-region.ts';
import type { IpPermission, SecurityGroupRule, Tag } from './ec2.types.ts';

/** A rule before it has an id, ARN and tags. */
export type RuleBody = Omit<
  SecurityGroupRule,
  'securityGroupRuleId' | 'securityGroupRuleArn' | 'tagSet'
>;

const NAMED: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

/** EC2 writes tcp, udp and icmp by name and every other protocol by number. */
export function normalizeProtocol(protocol: string): string {
  const p = protocol.toLowerCase();
  return NAMED[p] ?? p;
}

function invalid(message: string): InvalidParameterValue {
  return new InvalidParameterValue(message);
}

/** The port range EC2 stores: -1/-1 for protocols without ports. */
function ports(p: IpPermission, protocol: string): [number, number] {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (p.fromPort === undefined || p.toPort === undefined) {
      throw invalid(
        `Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange`,
      );
    }
    if (p.fromPort < 0 || p.toPort > 65535 || p.fromPort > p.toPort) {
      throw invalid(`Invalid value '${p.fromPort}-${p.toPort}' for portRange`);
    }
    return [p.fromPort, p.toPort];
  }
  if (protocol === 'icmp' || protocol === 'icmpv6' || protocol === '58') {
    // ICMP carries the type in FromPort and the code in ToPort; -1 is "all".
    return [p.fromPort ?? -1, p.toPort ?? -1];
  }
  if (protocol !== '-1' && !/^\d{1,3}$/.test(protocol)) {
    throw invalid(`Invalid value '${protocol}' for IP protocol. Unknown protocol.`);
  }
  return [-1, -1];
}

function checkCidr(cidr: string): string {
  if (!parseCidr(cidr)) throw invalid(`CIDR block ${cidr} is malformed`);
  return cidr;
}

/** One rule body per peer of each permission, in the order given. */
export function rulesOf(
  permissions: readonly IpPermission[],
  group: { groupId: string; ownerId: string },
  isEgress: boolean,
): RuleBody[] {
  return permissions.flatMap((p) => {
    const ipProtocol = normalizeProtocol(p.ipProtocol);
    const [fromPort, toPort] = ports(p, ipProtocol);
    const base = {
      groupId: group.groupId,
      groupOwnerId: group.ownerId,
      isEgress,
      ipProtocol,
      fromPort,
      toPort,
    };
    const described = (d: string | undefined) => (d === undefined ? {} : { description: d });
    const out: RuleBody[] = [
      ...p.ipRanges.map((r) => ({
        ...base,
        cidrIpv4: checkCidr(r.cidrIp),
        ...described(r.description),
      })),
      ...p.ipv6Ranges.map((r) => ({ ...base, cidrIpv6: r.cidrIpv6, ...described(r.description) })),
      ...p.prefixListIds.map((r) => ({
        ...base,
        prefixListId: r.prefixListId,
        ...described(r.description),
      })),
      ...p.groups.map((g) => ({
        ...base,
        referencedGroupInfo: { groupId: g.groupId, userId: g.userId ?? group.ownerId },
        ...described(g.description),
      })),
    ];
    if (out.length === 0) {
      // ⚠ our wording: EC2 needs a peer for every permission of a VPC group.
      throw invalid('Each IpPermission must name a CIDR block, prefix list or security group.');
    }
    return out;
  });
}

/** The peer a rule names, as EC2's messages print it. */
export function peerOf(r: RuleBody): string {
  return r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? r.referencedGroupInfo?.groupId ?? '';
}

/** Same direction, protocol, ports and peer: what EC2 compares (descriptions do not count). */
export function sameRule(a: RuleBody, b: RuleBody): boolean {
  return (
    a.isEgress === b.isEgress &&
    a.ipProtocol === b.ipProtocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    peerOf(a) === peerOf(b)
  );
}

/** `peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW`, as InvalidPermission.Duplicate says. */
export function describeRule(r: RuleBody): string {
  const peer = peerOf(r);
  if (r.ipProtocol === '-1') return `peer: ${peer}, ALL, ALLOW`;
  return `peer: ${peer}, ${r.ipProtocol.toUpperCase()}, from port: ${r.fromPort}, to port: ${r.toPort}, ALLOW`;
}

/** Rules of one direction grouped back into permissions by protocol and ports, in first-seen order. */
export function toIpPermissions(
  rules: readonly SecurityGroupRule[],
  isEgress: boolean,
): IpPermission[] {
  const out = new Map<string, IpPermission>();
  for (const r of rules.filter((x) => x.isEgress === isEgress)) {
    const key = `${r.ipProtocol}/${r.fromPort}/${r.toPort}`;
    let perm = out.get(key);
    if (!perm) {
      perm = {
        ipProtocol: r.ipProtocol,
        // EC2 leaves the ports off "all protocols" permissions.
        ...(r.ipProtocol === '-1' ? {} : { fromPort: r.fromPort, toPort: r.toPort }),
        ipRanges: [],
        ipv6Ranges: [],
        groups: [],
        prefixListIds: [],
      };
      out.set(key, perm);
    }
    const d = r.description === undefined ? {} : { description: r.description };
    if (r.cidrIpv4 !== undefined) perm.ipRanges.push({ cidrIp: r.cidrIpv4, ...d });
    if (r.cidrIpv6 !== undefined) perm.ipv6Ranges.push({ cidrIpv6: r.cidrIpv6, ...d });
    if (r.prefixListId !== undefined) {
      perm.prefixListIds.push({ prefixListId: r.prefixListId, ...d });
    }
    if (r.referencedGroupInfo) perm.groups.push({ ...r.referencedGroupInfo, ...d });
  }
  return [...out.values()];
}

/** A stored rule: the body with a new `sgr-` id, its ARN and tags. */
export function newRule(scope: Ec2Scope, body: RuleBody, tags: Tag[] = []): SecurityGroupRule {
  const id = newId('sgr');
  return {
    securityGroupRuleId: id,
    ...body,
    tagSet: tags,
    securityGroupRuleArn: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:security-group-rule/${id}`,
  };
}

/** The rule every new group starts with: all traffic out to anywhere. */
export function allowAllEgress(group: { groupId: string; ownerId: string }): RuleBody {
  return {
    groupId: group.groupId,
    groupOwnerId: group.ownerId,
    isEgress: true,
    ipProtocol: '-1',
    fromPort: -1,
    toPort: -1,
    cidrIpv4: '0.0.0.0/0',
  };
}
