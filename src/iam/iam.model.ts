/** Shared pieces of the IAM services: dependencies, ids, dates, tags, paging, row → wire. */
import { randomBytes } from 'node:crypto';

import type { Clock } from '../platform/clock.ts';
import type { AwsContext } from '../platform/ids.ts';
import type { Store } from '../store/store.ts';
import type { IamRoleRow } from '../store/tables/iam.tables.ts';
import { ValidationError } from './iam.errors.ts';
import type { IamTag, Page, Role } from './iam.types.ts';

/** What the IAM services need. Only `partition` and `accountId` of the context matter: IAM is global. */
export interface IamDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly context: AwsContext;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A unique id in AWS's form: a 4-letter prefix (`AROA` roles, `ANPA` policies) + 17 characters. */
export function uniqueId(prefix: string): string {
  const bytes = randomBytes(17);
  let out = prefix;
  for (const b of bytes) out += ID_ALPHABET[b % ID_ALPHABET.length];
  return out;
}

/** IAM's timestamps on the wire: ISO-8601 UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** AWS answers documents URL-encoded inside the XML (clients `QueryUnescape` them). */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text);
}

export function parseTags(json: string): IamTag[] {
  return JSON.parse(json) as IamTag[];
}

/** Tag rules of the IAM model: ≤ 50 tags, keys 1–128, values ≤ 256 characters. */
export function checkTags(tags: IamTag[] | undefined): IamTag[] {
  const list = tags ?? [];
  if (list.length > 50) {
    throw new ValidationError(
      `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  }
  for (const tag of list) {
    if (!tag.Key || tag.Key.length > 128) {
      throw new ValidationError(
        `1 validation error detected: Value '${tag.Key ?? ''}' at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128`,
      );
    }
    if ((tag.Value ?? '').length > 256) {
      throw new ValidationError(
        `1 validation error detected: Value at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
      );
    }
  }
  return list.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
}

/** Tags merged by key, later wins, keeping first-seen order. */
export function mergeTags(current: IamTag[], added: IamTag[]): IamTag[] {
  const byKey = new Map(current.map((t) => [t.Key, t.Value]));
  for (const t of added) byKey.set(t.Key, t.Value);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Marker paging over a list sorted by `keyOf`: the marker is the last key returned, so a
 * listing survives inserts and deletes between pages. `MaxItems` 1–1000, default 100.
 */
export function pageOf<T>(
  items: T[],
  keyOf: (item: T) => string,
  marker?: string,
  maxItems?: number,
): Page<T> {
  const max = maxItems ?? 100;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new ValidationError(
      `1 validation error detected: Value '${String(maxItems)}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const sorted = [...items].sort((a, b) =>
    keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0,
  );
  const start = marker === undefined ? sorted : sorted.filter((i) => keyOf(i) > marker);
  const page = start.slice(0, max);
  const truncated = start.length > max;
  const last = page.at(-1);
  return {
    items: page,
    IsTruncated: truncated,
    ...(truncated && last !== undefined ? { Marker: keyOf(last) } : {}),
  };
}

/** A stored role in wire form; ListRoles leaves tags out, as AWS does. */
export function toRole(row: IamRoleRow, withTags: boolean): Role {
  const tags = parseTags(row.tags);
  return {
    Path: row.path,
    RoleName: row.name,
    RoleId: row.role_id,
    Arn: row.arn,
    CreateDate: isoDate(row.create_date),
    AssumeRolePolicyDocument: encodeDocument(row.assume_role_policy),
    ...(row.description === null ? {} : { Description: row.description }),
    MaxSessionDuration: row.max_session_duration,
    ...(withTags && tags.length > 0 ? { Tags: tags } : {}),
  };
}
