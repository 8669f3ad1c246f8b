/**
 * Opaque pagination tokens of the Logs API.
 *
 * GetLogEvents tokens name a *gap* in a stream's (timestamp, seq) order: the gap just before the
 * event key (t, s). Reading forward from a gap returns events with key ≥ (t, s); reading backward
 * returns events with key < (t, s). Because `seq` is an integer, "just after event (t, s)" is the
 * gap (t, s + 1), so one representation serves both directions and a page's tokens are exact.
 * On the wire they look like AWS's: `f/` or `b/` followed by 56 digits (20 timestamp, 20 seq,
 * 16 check digits binding the token to its stream, so tampered or foreign tokens are rejected).
 *
 * The list operations (DescribeLogGroups/Streams, FilterLogEvents) use base64url JSON cursors
 * with a check value; their exact AWS format is irrelevant to clients.
 */
import { createHash } from 'node:crypto';

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

function check(parts: string): string {
  const digest = createHash('sha256').update(parts).digest();
  return (digest.readBigUInt64BE(0) % 10_000_000_000_000_000n).toString().padStart(16, '0');
}

const pad20 = (n: number) => String(n).padStart(20, '0');

/** Encodes a GetLogEvents token for `streamId`. */
export function encodeStreamToken(streamId: string, token: StreamToken): string {
  const body = `${pad20(token.timestamp)}${pad20(token.seq)}`;
  return `${token.direction}/${body}${check(`${token.direction}/${streamId}/${body}`)}`;
}

/** Decodes a GetLogEvents token; anything malformed or minted for another stream is invalid. */
export function decodeStreamToken(streamId: string, token: string): StreamToken {
  const m = /^([fb])\/(\d{20})(\d{20})(\d{16})$/.exec(token);
  if (!m) throw invalidNextToken();
  const [, direction, ts, seq, sum] = m as unknown as [string, Direction, string, string, string];
  if (check(`${direction}/${streamId}/${ts}${seq}`) !== sum) throw invalidNextToken();
  const timestamp = Number(ts);
  const seqNo = Number(seq);
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(seqNo)) throw invalidNextToken();
  return { direction, timestamp, seq: seqNo };
}

/** Encodes a list cursor (any JSON value) with a check value against casual tampering. */
export function encodeCursor(kind: string, value: unknown): string {
  const body = JSON.stringify(value);
  return Buffer.from(JSON.stringify({ k: kind, v: value, c: check(`${kind}|${body}`) })).toString(
    'base64url',
  );
}

/** Decodes a cursor made by {@link encodeCursor}; `validate` narrows the payload or returns null. */
export function decodeCursor<T>(
  kind: string,
  token: string,
  validate: (value: unknown) => T | null,
): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidNextToken();
  }
  if (parsed === null || typeof parsed !== 'object') throw invalidNextToken();
  const { k, v, c } = parsed as { k?: unknown; v?: unknown; c?: unknown };
  if (k !== kind || c !== check(`${kind}|${JSON.stringify(v)}`)) throw invalidNextToken();
  const out = validate(v);
  if (out === null) throw invalidNextToken();
  return out;
}
