/**
 * Offset pagination for ECS's list operations, behind the shared page tokens (signed, bound to
 * the operation, expiring after 24 hours). A token stays valid while the list does not change;
 * like ECS, callers should keep their filters constant across pages.
 */
import type { PageTokens } from '../platform/page-token.ts';
import { InvalidParameterException } from './ecs.errors.ts';

/** One page of `items` after the offset `nextToken` names; `kind` is the operation's name. */
export function pageOf<T>(
  tokens: PageTokens,
  kind: string,
  items: readonly T[],
  nextToken: string | undefined,
  maxResults: number | undefined,
  max: number,
): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken !== undefined) {
    const read = tokens.read(kind, nextToken);
    const at = read.ok ? read.payload : undefined;
    // Expired, forged, another operation's, or no token of ours: ECS has one answer for all.
    if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0) {
      throw new InvalidParameterException('Invalid nextToken.'); // ⚠ wording ours
    }
    offset = at;
  }
  if (
    maxResults !== undefined &&
    (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > max)
  ) {
    throw new InvalidParameterException(`maxResults must be between 1 and ${max}.`);
  }
  const size = maxResults ?? max;
  const page = items.slice(offset, offset + size);
  const end = offset + page.length;
  return end < items.length ? { items: page, nextToken: tokens.issue(kind, end) } : { items: page };
}
