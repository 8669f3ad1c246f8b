/** Offset pagination behind opaque tokens, for ECS's list operations. */
import { InvalidParameterException } from './ecs.errors.ts';

export function pageOf<T>(
  items: readonly T[],
  nextToken: string | undefined,
  maxResults: number | undefined,
  max: number,
): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken !== undefined) {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) {
      throw new InvalidParameterException('Invalid nextToken.');
    }
    offset = decoded;
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
