/**
 * ECS tag rules from the service model: at most 50 per resource, keys 1–128 and values 0–256
 * characters of letters, spaces, digits and `_.:/=+-@`, and the `aws:` prefix reserved.
 * The messages are ours (⚠ ECS's exact wording is not confirmed).
 */
import {
  isReservedTagKey,
  MAX_TAGS,
  mergeTagList,
  TAG_KEY_MAX_LENGTH,
  TAG_VALUE_MAX_LENGTH,
  TAG_VALUE_PATTERN,
} from '../platform/tags.ts';
import { InvalidParameterException } from './ecs.errors.ts';
import type { Tag } from './ecs.types.ts';

export { MAX_TAGS };

/** The tagging model's characters; ECS checks key length separately, so empty passes here. */
const TAG_TEXT = new RegExp(TAG_VALUE_PATTERN, 'u');

/** Checks tags a request carries; `aws:`-prefixed keys are refused unless ECS adds them itself. */
export function validateTags(tags: unknown, member = 'tags'): Tag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw new InvalidParameterException(`${member} must be a list.`);
  if (tags.length > MAX_TAGS) {
    throw new InvalidParameterException(`${member}: a resource can have at most ${MAX_TAGS} tags.`);
  }
  const seen = new Set<string>();
  for (const tag of tags as Tag[]) {
    const key = tag?.key;
    const value = tag?.value ?? '';
    if (
      typeof key !== 'string' ||
      key.length < 1 ||
      key.length > TAG_KEY_MAX_LENGTH ||
      !TAG_TEXT.test(key)
    ) {
      throw new InvalidParameterException(
        `Invalid tag key '${String(key)}': keys are 1 to 128 letters, numbers, spaces and _.:/=+-@.`,
      );
    }
    if (typeof value !== 'string' || value.length > TAG_VALUE_MAX_LENGTH || !TAG_TEXT.test(value)) {
      throw new InvalidParameterException(
        `Invalid value for tag '${key}': values are up to 256 letters, numbers, spaces and _.:/=+-@.`,
      );
    }
    if (isReservedTagKey(key)) {
      throw new InvalidParameterException(
        `Tag keys beginning with 'aws:' are reserved for AWS use: ${key}`,
      );
    }
    if (seen.has(key)) throw new InvalidParameterException(`Duplicate tag key: ${key}`);
    seen.add(key);
  }
  return tags as Tag[];
}

/** Adds or replaces tags by key, keeping the order in which keys first appeared. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  return mergeTagList(existing, added, (t) => t.key ?? '');
}
