/**
 * DescribeClusters' `include`: ECS shows the optional parts of a cluster only when the caller
 * asks for them. Tags, settings and statistics not asked for read as empty lists (as in the AWS
 * CLI's describe-clusters example output); configuration and attachments are left out.
 */
import { InvalidParameterException } from './ecs.errors.ts';
import type { Cluster } from './ecs.types.ts';

export const CLUSTER_FIELDS = [
  'ATTACHMENTS',
  'CONFIGURATIONS',
  'SETTINGS',
  'STATISTICS',
  'TAGS',
] as const;
export type ClusterField = (typeof CLUSTER_FIELDS)[number];

/** Checks `include` against ECS's enum (the SDK model's validation text). */
export function validateInclude(include: string[] | undefined): Set<ClusterField> {
  for (const field of include ?? []) {
    if (!(CLUSTER_FIELDS as readonly string[]).includes(field)) {
      throw new InvalidParameterException(
        `1 validation error detected: Value '[${(include ?? []).join(', ')}]' at 'include' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${CLUSTER_FIELDS.join(', ')}]]`,
      );
    }
  }
  return new Set(include as ClusterField[] | undefined);
}

/** The cluster as DescribeClusters shows it, given what the caller included. */
export function describedCluster(
  cluster: Cluster,
  include: ReadonlySet<ClusterField>,
  statistics: Cluster['statistics'],
): Cluster {
  const { tags, settings, configuration, statistics: _stored, attachments, ...base } = cluster;
  return {
    ...base,
    tags: include.has('TAGS') ? tags : [],
    settings: include.has('SETTINGS') ? settings : [],
    statistics: include.has('STATISTICS') ? statistics : [],
    ...(include.has('CONFIGURATIONS') && configuration ? { configuration } : {}),
    ...(include.has('ATTACHMENTS') ? { attachments: attachments ?? [] } : {}),
  };
}
