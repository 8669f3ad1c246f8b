/**
 * Page tokens for every service's list operations: one scheme instead of one per service.
 *
 * A token is opaque to clients (base64url), tamper-evident (an HMAC over its content with a key
 * the engine injects), bound to the operation that issued it (its `kind`), and expires like
 * AWS's list tokens (24 hours by default), measured on the injected Clock. Services decide what a
 * token carries (an offset, the last key returned, a merge position) and which AWS error a bad
 * token becomes; this module only says whether a token is good and why not.
 *
 * The key lives in memory: unless the caller passes a configured key, tokens issued before a
 * restart are refused after it (as a tampered token would be), so a client restarts its listing.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import type { Clock } from './clock.ts';

/** How long a list token stays valid: AWS documents 24 hours for its list tokens. */
export const PAGE_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** Bytes of HMAC-SHA256 kept in a token: enough that guessing one is hopeless. */
const MAC_BYTES = 16;

/** Why a token was refused (tests and logs tell the cases apart; clients get one AWS error). */
export type PageTokenFault = 'malformed' | 'tampered' | 'wrong-kind' | 'expired';

/** What {@link PageTokens.read} found: the payload, or why there is none. */
export type PageTokenResult = { ok: true; payload: unknown } | { ok: false; fault: PageTokenFault };

export interface PageTokensOptions {
  clock: Clock;
  /** HMAC key; a fresh random one when absent (tokens then end with the process). */
  key?: Uint8Array;
  /** Lifetime of a token. @default PAGE_TOKEN_TTL_MS */
  ttlMs?: number;
}

/** A random key for {@link PageTokens}, made once per engine. */
export function randomPageTokenKey(): Uint8Array {
  return randomBytes(32);
}

/** Issues and checks page tokens with one key and one clock. */
export class PageTokens {
  readonly #clock: Clock;
  readonly #key: Uint8Array;
  readonly #ttlMs: number;

  constructor(options: PageTokensOptions) {
    this.#clock = options.clock;
    this.#key = options.key ?? randomPageTokenKey();
    this.#ttlMs = options.ttlMs ?? PAGE_TOKEN_TTL_MS;
  }

  /**
   * A token of operation `kind` carrying `payload` (any JSON value), valid until the clock has
   * moved on by the lifetime.
   */
  issue(kind: string, payload: unknown): string {
    const body = Buffer.from(JSON.stringify([kind, this.#clock.now() + this.#ttlMs, payload]));
    return Buffer.concat([this.#mac(body), body]).toString('base64url');
  }

  /** Checks a token for operation `kind`: signature first, then kind, then age. */
  read(kind: string, token: string): PageTokenResult {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) return { ok: false, fault: 'malformed' };
    const raw = Buffer.from(token, 'base64url');
    if (raw.length <= MAC_BYTES) return { ok: false, fault: 'malformed' };
    const body = raw.subarray(MAC_BYTES);
    if (!timingSafeEqual(raw.subarray(0, MAC_BYTES), this.#mac(body))) {
      return { ok: false, fault: 'tampered' };
    }
    let content: unknown;
    try {
      content = JSON.parse(body.toString('utf8'));
    } catch {
      return { ok: false, fault: 'malformed' };
    }
    if (!Array.isArray(content) || content.length !== 3) return { ok: false, fault: 'malformed' };
    const [tokenKind, expiresMs, payload] = content as [unknown, unknown, unknown];
    if (tokenKind !== kind) return { ok: false, fault: 'wrong-kind' };
    if (typeof expiresMs !== 'number' || this.#clock.now() >= expiresMs) {
      return { ok: false, fault: 'expired' };
    }
    return { ok: true, payload };
  }

  /**
   * `count` decimal digits (at most 19) authenticating `text`, for tokens whose wire form is fixed
   * by AWS (GetLogEvents' `f/<56 digits>`) and must come out the same for the same position, so
   * they carry no expiry.
   */
  digits(text: string, count: number): string {
    const mac = createHmac('sha256', this.#key).update(text).digest();
    return (mac.readBigUInt64BE(0) % 10n ** BigInt(count)).toString().padStart(count, '0');
  }

  #mac(body: Uint8Array): Buffer {
    return createHmac('sha256', this.#key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
