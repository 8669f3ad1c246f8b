/**
 * The tags of a resource by ARN, for `aws:ResourceTag/<key>` conditions: each service answers for
 * its own ARNs through its ListTagsForResource (IAM through the user's or role's tags). A
 * resource that does not exist, or a kind we keep no tags for (EC2 here), has none: the
 * operation itself then reports what is missing.
 */
import { contextFromArn } from '../platform/ids.ts';
import { ServiceError } from '../platform/errors.ts';
import type { Engine } from './engine.ts';

/** The services that keep tags, as the engine holds them. */
export type TaggingServices = Pick<Engine, 'ecs' | 'events' | 'logs' | 'iam'>;

type Tags = Readonly<Record<string, string>>;

export async function resourceTags(engine: TaggingServices, arn: string): Promise<Tags> {
  const ctx = contextFromArn(arn);
  const service = arn.split(':')[2];
  try {
    switch (service) {
      case 'ecs': {
        if (!ctx) return {};
        const { tags = [] } = await engine.ecs.listTagsForResource(ctx, { resourceArn: arn });
        return Object.fromEntries(tags.map((t) => [t.key ?? '', t.value ?? '']));
      }
      case 'events': {
        if (!ctx) return {};
        const { Tags = [] } = await engine.events.listTagsForResource(ctx, { ResourceARN: arn });
        return Object.fromEntries(Tags.map((t) => [t.Key, t.Value]));
      }
      case 'logs': {
        if (!ctx) return {};
        // Log group ARNs in policies end in `:*`; tagging takes the ARN without it.
        const resourceArn = arn.endsWith(':*') ? arn.slice(0, -2) : arn;
        const { tags = {} } = await engine.logs.listTagsForResource(ctx, { resourceArn });
        return tags;
      }
      case 'iam':
        return await engine.iam.principalTags(arn);
      default:
        return {};
    }
  } catch (error) {
    // Not found (a client error) means no tags; anything else must not loosen the check.
    if (error instanceof ServiceError && error.fault === 'client') return {};
    throw error;
  }
}
