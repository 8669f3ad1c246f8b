/**
 * What every per-resource service of the EC2 subset shares: the region runner `Ec2Service`
 * provides, AWS's id format, the zones of a region and the id-or-filter selection every
 * Describe call makes.
 */
import { randomHex, type AwsContext } from '../platform/ids.ts';
import { matchesFilters, type FilterValues } from './ec2-filters.ts';
import { ID_PREFIX, type Ec2ResourceStore } from './ec2-resources.store.ts';
import type { Ec2Kind, Filter, Tag, TagSpecification } from './ec2.types.ts';

/** Where a call runs: the partition, account and (request's) region. */
export type Ec2Scope = AwsContext;

/** Runs a step on one region's resources in one transaction, the region's default VPC made. */
export type InRegion = <T>(scope: Ec2Scope, fn: (r: Ec2ResourceStore) => Promise<T>) => Promise<T>;

/** What `Ec2Service` hands each per-resource service. */
export interface Ec2Env {
  readonly inRegion: InRegion;
  /** Epoch milliseconds from the injected clock (row order). */
  readonly now: () => number;
}

/** The zones of every region: `<region>a`, `b`, `c`. */
export const ZONE_SUFFIXES = ['a', 'b', 'c'] as const;

/** `<prefix>-` + 17 hex characters, AWS's long id format. */
export function newId(kind: Ec2Kind | 'sgr' | 'rtbassoc' | 'aclassoc'): string {
  const prefix = kind in ID_PREFIX ? ID_PREFIX[kind as Ec2Kind] : kind;
  return `${prefix}-${randomHex(17)}`;
}

/** Tags a TagSpecification list gives a resource type being created. */
export function tagsFor(specs: readonly TagSpecification[] | undefined, type: string): Tag[] {
  return (specs ?? []).filter((s) => s.resourceType === type).flatMap((s) => s.tags);
}

/** The zone id of one of the region's zones, by index (0 = `a`): `use1-az1`, `apne1-az2`. */
export function zoneId(region: string, index: number): string {
  const short =
    region
      .split('-')
      .map((p) => p[0])
      .join('') + region.replace(/\D/g, '');
  return `${short}-az${index + 1}`;
}

/** True when `zone` is one of the region's zones. */
export function isZoneOf(region: string, zone: string): boolean {
  return ZONE_SUFFIXES.some((s) => zone === `${region}${s}`);
}

/**
 * A Describe call's selection: every id asked for must exist (else `notFound`, as EC2 fails the
 * whole call), then the filters apply.
 */
export function select<T>(
  all: readonly T[],
  idOf: (item: T) => string,
  input: { ids?: readonly string[] | undefined; filters?: readonly Filter[] | undefined },
  notFound: (id: string) => Error,
  values: (item: T) => FilterValues,
): T[] {
  const ids = input.ids ?? [];
  for (const id of ids) if (!all.some((x) => idOf(x) === id)) throw notFound(id);
  return all
    .filter((x) => ids.length === 0 || ids.includes(idOf(x)))
    .filter((x) => matchesFilters(input.filters ?? [], values(x)));
}
