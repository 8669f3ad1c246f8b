/**
 * Resource tags, the parts every AWS service shares: the limits of the tagging model, the
 * reserved `aws:` prefix, merging (TagResource) and removing (UntagResource) by key, the
 * conversions between the wire shapes (ECS's `{key, value}` lists, EventBridge's `{Key, Value}`
 * lists, CloudWatch Logs' maps), and the read–change–write a tag operation does on one resource.
 *
 * What differs stays with each service: which of these rules it enforces and with which error
 * and message, how it parses a resource ARN, and where it stores the tags.
 */

/** Tags one resource may carry (and one request may name), in every service we serve. */
export const MAX_TAGS = 50;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;

/** Letters, separators, digits and `_.:/=+-@`: the tagging model's key pattern (1+ characters). */
export const TAG_KEY_PATTERN = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$';
/** The same characters for values, which may be empty. */
export const TAG_VALUE_PATTERN = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';

/** Keys beginning with `aws:` (any case) belong to AWS; users may not set them. */
export function isReservedTagKey(key: string): boolean {
  return key.toLowerCase().startsWith('aws:');
}

/** Tags as a key → value map, in the order keys first appeared (how we store and merge them). */
export type TagMap = Record<string, string>;

/** TagResource: adds or replaces tags by key; an existing key keeps its place. */
export function mergeTags(current: Readonly<TagMap>, added: Readonly<TagMap>): TagMap {
  return { ...current, ...added };
}

/** UntagResource: drops the given keys; keys the resource does not have are ignored. */
export function removeTags(current: Readonly<TagMap>, keys: Iterable<string>): TagMap {
  const out = { ...current };
  for (const key of keys) delete out[key];
  return out;
}

/**
 * {@link mergeTags} for services that keep tags as a list of objects (ECS's `{key, value}`),
 * without rebuilding the objects: an added tag replaces the one with its key in place.
 */
export function mergeTagList<T>(
  current: readonly T[],
  added: readonly T[],
  keyOf: (tag: T) => string,
): T[] {
  const byKey = new Map(current.map((t) => [keyOf(t), t]));
  for (const t of added) byKey.set(keyOf(t), t);
  return [...byKey.values()];
}

/** {@link removeTags} for tag lists. */
export function removeTagList<T>(
  current: readonly T[],
  keys: Iterable<string>,
  keyOf: (tag: T) => string,
): T[] {
  const drop = new Set(keys);
  return current.filter((t) => !drop.has(keyOf(t)));
}

/** EventBridge's (and most JSON services') `{Key, Value}` list → map; a later key wins. */
export function tagMapOfKeyValues(tags: readonly { Key: string; Value: string }[] = []): TagMap {
  const out: TagMap = {};
  for (const t of tags) out[t.Key] = t.Value;
  return out;
}

/** Map → EventBridge's `{Key, Value}` list, in the map's order. */
export function keyValuesOfTagMap(tags: Readonly<TagMap>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Where one resource keeps its tags, as a tag operation reaches them inside a transaction. */
export interface TagStorage<Trx, Tags> {
  /** The resource's tags, or undefined when it does not exist. */
  read(trx: Trx): Promise<Tags | undefined>;
  write(trx: Trx, tags: Tags): Promise<void>;
  /** The service's own "no such resource" error. */
  notFound(): Error;
}

/** The part of a store this needs; kept structural so platform depends on no store. */
export interface Transactional<Trx> {
  transaction<R>(fn: (trx: Trx) => Promise<R>): Promise<R>;
}

/**
 * Reads a resource's tags and, given `change`, writes back what it returns, in one transaction
 * so a concurrent change cannot be lost between the read and the write. Returns the tags after.
 */
export function changeTags<Trx, Tags>(
  store: Transactional<Trx>,
  storage: TagStorage<Trx, Tags>,
  change?: (tags: Tags) => Tags,
): Promise<Tags> {
  return store.transaction(async (trx) => {
    const current = await storage.read(trx);
    if (current === undefined) throw storage.notFound();
    if (!change) return current;
    const next = change(current);
    await storage.write(trx, next);
    return next;
  });
}
