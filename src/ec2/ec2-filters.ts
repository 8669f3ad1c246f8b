/**
 * Describe* filters: a resource matches when every filter has a value matching one of the
 * resource's values for that name (EC2 ANDs filters and ORs values). Values may use `*` and `?`
 * wildcards as EC2 allows. Unknown filter names match nothing. ⚠ (EC2 answers
 * `InvalidParameterValue` for some; we stay quiet.)
 */
import type { Filter, Tag } from './ec2.types.ts';

/** The values a resource has for a filter name, or undefined when the name is unknown. */
export type FilterValues = (name: string) => readonly string[] | undefined;

function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/** True when the resource passes every filter. */
export function matchesFilters(filters: readonly Filter[], values: FilterValues): boolean {
  return filters.every((f) => {
    const have = values(f.name);
    if (have === undefined) return false;
    const patterns = f.values.map(wildcard);
    return have.some((v) => patterns.some((p) => p.test(v)));
  });
}

/** Values of the tag filters every taggable resource shares: `tag:<key>`, `tag-key`, `tag-value`. */
export function tagFilterValues(name: string, tags: readonly Tag[]): readonly string[] | undefined {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return tags.filter((t) => t.key === key).map((t) => t.value);
  }
  if (name === 'tag-key') return tags.map((t) => t.key);
  if (name === 'tag-value') return tags.map((t) => t.value);
  return undefined;
}
