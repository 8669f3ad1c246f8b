/**
 * Offset pagination behind opaque tokens, for ECS's list operations. A token stays valid while
 * the list does not change; like ECS, callers should keep their filters constant across pages.
 */
import { InvalidParameterException } from './ecs.errors.ts';

export function pageOf<T>(
  items: readonly T[],
  nextToken: string | undefined,
  maxResults: number | undefined,
  max: number,
): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken !== undefined) {
    // Tokens are `o:<offset>` in base64url; anything else was not issued by us.
    const match = /^o:(\d{1,9})$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!match) throw new InvalidParameterException('Invalid nextToken.'); // ⚠ wording ours
    offset = Number(match[1]);
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
  return end < items.length
    ? { items: page, nextToken: Buffer.from(`o:${end}`).toString('base64url') }
    : { items: page };
}
