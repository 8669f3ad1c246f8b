/**
 * Pagination tokens of the Logs API, on the shared page-token helper.
 *
 * GetLogEvents tokens name a *gap* in a stream's (timestamp, seq) order: the gap just before the
 * event key (t, s). Reading forward from a gap returns events with key ≥ (t, s); reading backward
 * returns events with key < (t, s). Because `seq` is an integer, "just after event (t, s)" is the
 * gap (t, s + 1), so one representation serves both directions and a page's tokens are exact.
 * On the wire they look like AWS's: `f/` or `b/` followed by 56 digits (20 timestamp, 20 seq,
 * 16 digits of the helper's keyed MAC binding the token to its stream, so tampered or foreign
 * tokens are rejected). They carry no expiry: the same position must give the same token, since
 * clients stop paging when the forward token comes back unchanged.
 *
 * The list operations (DescribeLogGroups/Streams, FilterLogEvents) use the helper's signed,
 * expiring list tokens; their exact AWS format is irrelevant to clients.
 */
import type { PageTokens } from '../platform/page-token.ts';
import { invalidNextToken } from './logs.errors.ts';

export type Direction = 'f' | 'b';

/** A gap in a stream: just before the event key (timestamp, seq). */
export interface StreamGap {
  timestamp: number;
  seq: number;
}

export interface StreamToken extends StreamGap {
  direction: Direction;
}

const pad20 = (n: number) => String(n).padStart(20, '0');

/** Encodes a GetLogEvents token for `streamId`. */
export function encodeStreamToken(
  tokens: PageTokens,
  streamId: string,
  token: StreamToken,
): string {
  const body = `${pad20(token.timestamp)}${pad20(token.seq)}`;
  return `${token.direction}/${body}${tokens.digits(`${token.direction}/${streamId}/${body}`, 16)}`;
}

/** Decodes a GetLogEvents token; anything malformed or minted for another stream is invalid. */
export function decodeStreamToken(
  tokens: PageTokens,
  streamId: string,
  token: string,
): StreamToken {
  const m = /^([fb])\/(\d{20})(\d{20})(\d{16})$/.exec(token);
  if (!m) throw invalidNextToken();
  const [, direction, ts, seq, sum] = m as unknown as [string, Direction, string, string, string];
  if (tokens.digits(`${direction}/${streamId}/${ts}${seq}`, 16) !== sum) throw invalidNextToken();
  const timestamp = Number(ts);
  const seqNo = Number(seq);
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(seqNo)) throw invalidNextToken();
  return { direction, timestamp, seq: seqNo };
}

/** A list token of operation `kind` carrying `value` (any JSON value). */
export function encodeCursor(tokens: PageTokens, kind: string, value: unknown): string {
  return tokens.issue(kind, value);
}

/**
 * Decodes a cursor made by {@link encodeCursor}; `validate` narrows the payload or returns null.
 * Forged, expired and other operations' tokens all get CloudWatch Logs' one message.
 */
export function decodeCursor<T>(
  tokens: PageTokens,
  kind: string,
  token: string,
  validate: (value: unknown) => T | null,
): T {
  const read = tokens.read(kind, token);
  if (!read.ok) throw invalidNextToken();
  const out = validate(read.payload);
  if (out === null) throw invalidNextToken();
  return out;
}
