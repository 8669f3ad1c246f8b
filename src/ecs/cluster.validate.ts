/**
 * Checks of CreateCluster, UpdateClusterSettings and PutClusterCapacityProviders. cronbridge
 * has only the two Fargate capacity providers AWS gives every account. Messages marked ⚠ are
 * ours, not confirmed against ECS.
 */
import { CLUSTER_NAME_PATTERN } from './ecs-arns.ts';
import { InvalidParameterException } from './ecs.errors.ts';
import type { CapacityProviderStrategyItem, ClusterSetting } from './ecs.types.ts';

export const CLUSTER_SETTING_NAMES = ['containerInsights'] as const;
/** `enhanced` is Container Insights with enhanced observability; cronbridge treats it as on. */
export const CONTAINER_INSIGHTS_VALUES = ['enabled', 'disabled', 'enhanced'] as const;
export const BUILTIN_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'] as const;

export function validateClusterName(name: string): void {
  if (!CLUSTER_NAME_PATTERN.test(name)) {
    // ⚠ wording ours
    throw new InvalidParameterException(
      'Cluster name can only contain letters, numbers, hyphens, and underscores, up to 255 characters.',
    );
  }
}

export function validateSettings(settings: unknown): ClusterSetting[] {
  if (settings === undefined) return [];
  if (!Array.isArray(settings)) throw new InvalidParameterException('settings must be a list.');
  for (const s of settings as ClusterSetting[]) {
    if (!(CLUSTER_SETTING_NAMES as readonly unknown[]).includes(s?.name)) {
      // ⚠ wording ours
      throw new InvalidParameterException(
        `Invalid cluster setting name '${String(s?.name)}'. The supported setting is containerInsights.`,
      );
    }
    if (!(CONTAINER_INSIGHTS_VALUES as readonly unknown[]).includes(s.value)) {
      // ⚠ wording ours
      throw new InvalidParameterException(
        `Invalid value '${String(s.value)}' for containerInsights. Valid values are enabled, disabled and enhanced.`,
      );
    }
  }
  return settings as ClusterSetting[];
}

export function validateCapacityProviders(providers: unknown): string[] {
  if (providers === undefined) return [];
  if (!Array.isArray(providers)) {
    throw new InvalidParameterException('capacityProviders must be a list.');
  }
  for (const p of providers) {
    if (!(BUILTIN_CAPACITY_PROVIDERS as readonly unknown[]).includes(p)) {
      // ⚠ wording ours
      throw new InvalidParameterException(
        `The specified capacity provider '${String(p)}' does not exist. Specify a valid capacity provider and try again.`,
      );
    }
  }
  return providers as string[];
}

/**
 * A strategy may only name providers associated with the cluster; weights 0–1000, bases
 * 0–100000, and at most one provider may have a base.
 */
export function validateStrategy(
  strategy: unknown,
  associated: readonly string[],
): CapacityProviderStrategyItem[] {
  if (strategy === undefined) return [];
  if (!Array.isArray(strategy)) {
    throw new InvalidParameterException('capacityProviderStrategy must be a list.');
  }
  if (strategy.length > 20) {
    throw new InvalidParameterException(
      'A capacity provider strategy can contain a maximum of 20 capacity providers.',
    );
  }
  let withBase = 0;
  for (const item of strategy as CapacityProviderStrategyItem[]) {
    if (!associated.includes(item?.capacityProvider)) {
      throw new InvalidParameterException(
        'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
      );
    }
    const weight = item.weight ?? 0;
    const base = item.base ?? 0;
    if (!Number.isInteger(weight) || weight < 0 || weight > 1000) {
      throw new InvalidParameterException(
        'The capacity provider weight must be between 0 and 1000.',
      );
    }
    if (!Number.isInteger(base) || base < 0 || base > 100000) {
      throw new InvalidParameterException(
        'The capacity provider base must be between 0 and 100000.',
      );
    }
    if (base > 0) withBase += 1;
  }
  if (withBase > 1) {
    throw new InvalidParameterException(
      'Only one capacity provider in a capacity provider strategy can have a base defined.',
    );
  }
  return strategy as CapacityProviderStrategyItem[];
}
