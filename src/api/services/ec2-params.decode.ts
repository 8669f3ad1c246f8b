/**
 * Decoding of EC2's flattened form lists into structured input: `VpcId.1`, `Filter.1.Name` +
 * `Filter.1.Value.1`, `TagSpecification.1.Tag.1.Key`, `IpPermissions.1.IpRanges.1.CidrIp`.
 * Indices are taken in numeric order; gaps are skipped, as the SDKs never send them.
 */
import type { QueryParams } from '../api.types.ts';
import type { Filter, IpPermission, Tag, TagSpecification } from '../../ec2/ec2.types.ts';
import { InvalidParameterValue } from '../../ec2/ec2.errors.ts';

/** The sorted indices N present under `<prefix>.N…`. */
function indices(params: QueryParams, prefix: string): number[] {
  const seen = new Set<number>();
  const head = `${prefix}.`;
  for (const key of Object.keys(params)) {
    if (!key.startsWith(head)) continue;
    const n = Number(key.slice(head.length).split('.')[0]);
    if (Number.isSafeInteger(n) && n > 0) seen.add(n);
  }
  return [...seen].sort((a, b) => a - b);
}

/** Sub-parameters of each `<prefix>.N` as their own map (`Name`, `Value.1`, …). */
function entries(params: QueryParams, prefix: string): QueryParams[] {
  return indices(params, prefix).map((n) => {
    const head = `${prefix}.${n}.`;
    const sub: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
      if (key.startsWith(head) && value !== undefined) sub[key.slice(head.length)] = value;
    }
    return sub;
  });
}

/** `<prefix>.N` scalar values. */
export function stringList(params: QueryParams, prefix: string): string[] {
  return indices(params, prefix)
    .map((n) => params[`${prefix}.${n}`])
    .filter((v): v is string => v !== undefined);
}

/** `Filter.N.Name` / `Filter.N.Value.M`. */
export function filters(params: QueryParams): Filter[] {
  return entries(params, 'Filter').map((f) => ({
    name: f.Name ?? '',
    values: stringList(f, 'Value'),
  }));
}

/** `<prefix>.N.Key` / `<prefix>.N.Value` (Value may be absent, as DeleteTags allows). */
export function tagList(params: QueryParams, prefix = 'Tag'): { key: string; value?: string }[] {
  return entries(params, prefix).map((t) => ({
    key: t.Key ?? '',
    ...(t.Value === undefined ? {} : { value: t.Value }),
  }));
}

/** Tags to set: a missing value is the empty string, as EC2 stores it. */
export function tagsToSet(params: QueryParams, prefix = 'Tag'): Tag[] {
  return tagList(params, prefix).map((t) => ({ key: t.key, value: t.value ?? '' }));
}

/** `TagSpecification.N.ResourceType` + `.Tag.M.Key/Value`. */
export function tagSpecifications(params: QueryParams): TagSpecification[] {
  return entries(params, 'TagSpecification').map((s) => ({
    resourceType: s.ResourceType ?? '',
    tags: tagsToSet(s),
  }));
}

/** `true`/`false` (any case), or undefined when absent. */
export function bool(params: QueryParams, name: string): boolean | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new InvalidParameterValue(
    `Value (${v}) for parameter ${name} is invalid. Expected: 'true' or 'false'.`,
  );
}

function port(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < -1 || n > 65535) {
    throw new InvalidParameterValue(`Value (${value}) for parameter ${name} is invalid.`);
  }
  return n;
}

/**
 * `IpPermissions.N.*`, or the legacy top-level form (`IpProtocol`, `FromPort`, `ToPort`,
 * `CidrIp`) when no list is given.
 */
export function ipPermissions(params: QueryParams): IpPermission[] {
  const list = entries(params, 'IpPermissions');
  const source = list.length > 0 ? list : params.IpProtocol !== undefined ? [legacy(params)] : [];
  return source.map((p) => {
    const protocol = (p.IpProtocol ?? '').toLowerCase();
    const all = protocol === '-1' || protocol === 'all';
    const fromPort = all ? undefined : port(p.FromPort, 'fromPort');
    const toPort = all ? undefined : port(p.ToPort, 'toPort');
    return {
      ipProtocol: all ? '-1' : protocol,
      ...(fromPort === undefined ? {} : { fromPort }),
      ...(toPort === undefined ? {} : { toPort }),
      ipRanges: entries(p, 'IpRanges').map((r) => ({
        cidrIp: r.CidrIp ?? '',
        ...(r.Description === undefined ? {} : { description: r.Description }),
      })),
      ipv6Ranges: entries(p, 'Ipv6Ranges').map((r) => ({
        cidrIpv6: r.CidrIpv6 ?? '',
        ...(r.Description === undefined ? {} : { description: r.Description }),
      })),
      groups: entries(p, 'Groups').map((g) => ({
        groupId: g.GroupId ?? '',
        ...(g.UserId === undefined ? {} : { userId: g.UserId }),
        ...(g.Description === undefined ? {} : { description: g.Description }),
      })),
      prefixListIds: entries(p, 'PrefixListIds').map((r) => ({
        prefixListId: r.PrefixListId ?? '',
        ...(r.Description === undefined ? {} : { description: r.Description }),
      })),
    };
  });
}

function legacy(params: QueryParams): QueryParams {
  const out: Record<string, string> = {};
  for (const k of ['IpProtocol', 'FromPort', 'ToPort'] as const) {
    const v = params[k];
    if (v !== undefined) out[k] = v;
  }
  if (params.CidrIp !== undefined) out['IpRanges.1.CidrIp'] = params.CidrIp;
  return out;
}

/**
 * ModifySecurityGroupRules' `SecurityGroupRule.N.SecurityGroupRuleId` and
 * `SecurityGroupRule.N.SecurityGroupRule.*` (one peer each), as an IpPermission per rule.
 */
export function ruleUpdates(params: QueryParams): { ruleId: string; permission: IpPermission }[] {
  return entries(params, 'SecurityGroupRule').map((u) => {
    const r = sub(u, 'SecurityGroupRule');
    const d = r.Description === undefined ? {} : { description: r.Description };
    const fromPort = port(r.FromPort, 'fromPort');
    const toPort = port(r.ToPort, 'toPort');
    return {
      ruleId: u.SecurityGroupRuleId ?? '',
      permission: {
        ipProtocol: r.IpProtocol ?? '',
        ...(fromPort === undefined ? {} : { fromPort }),
        ...(toPort === undefined ? {} : { toPort }),
        ipRanges: r.CidrIpv4 === undefined ? [] : [{ cidrIp: r.CidrIpv4, ...d }],
        ipv6Ranges: r.CidrIpv6 === undefined ? [] : [{ cidrIpv6: r.CidrIpv6, ...d }],
        groups: r.ReferencedGroupId === undefined ? [] : [{ groupId: r.ReferencedGroupId, ...d }],
        prefixListIds: r.PrefixListId === undefined ? [] : [{ prefixListId: r.PrefixListId, ...d }],
      },
    };
  });
}

/** The members under `<prefix>.` of a structure (not a list). */
function sub(params: QueryParams, prefix: string): QueryParams {
  const head = `${prefix}.`;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key.startsWith(head) && value !== undefined) out[key.slice(head.length)] = value;
  }
  return out;
}
