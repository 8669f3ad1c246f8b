import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from './clock.ts';
import { PAGE_TOKEN_TTL_MS, PageTokens } from './page-token.ts';

const KEY = new Uint8Array(32).fill(7);

function tokens(clock = new ManualClock(0), key = KEY): PageTokens {
  return new PageTokens({ clock, key });
}

/** Flips one bit of the decoded token at `index` and encodes it again. */
function flip(token: string, index: number): string {
  const raw = Buffer.from(token, 'base64url');
  raw[index] = raw[index]! ^ 1;
  return raw.toString('base64url');
}

describe('PageTokens', () => {
  it('round-trips a JSON payload as opaque base64url', () => {
    const t = tokens();
    const token = t.issue('ListRules', { after: 'rule-7', n: 3 });
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.doesNotMatch(token, /rule-7/);
    assert.deepEqual(t.read('ListRules', token), { ok: true, payload: { after: 'rule-7', n: 3 } });
  });

  it('refuses a token changed anywhere, in its MAC or its content', () => {
    const t = tokens();
    const token = t.issue('ListRules', 'rule-7');
    const length = Buffer.from(token, 'base64url').length;
    for (const index of [0, 15, 16, length - 1]) {
      assert.deepEqual(t.read('ListRules', flip(token, index)), { ok: false, fault: 'tampered' });
    }
  });

  it('refuses a token signed with another key (another engine, or one before a restart)', () => {
    const clock = new ManualClock(0);
    const token = tokens(clock, new Uint8Array(32).fill(1)).issue('ListRules', 1);
    assert.deepEqual(tokens(clock).read('ListRules', token), { ok: false, fault: 'tampered' });
  });

  it('refuses a token of another operation', () => {
    const t = tokens();
    const token = t.issue('ListClusters', 0);
    assert.deepEqual(t.read('ListTasks', token), { ok: false, fault: 'wrong-kind' });
    assert.equal(t.read('ListClusters', token).ok, true);
  });

  it('expires a token after 24 hours on the injected clock', async () => {
    const clock = new ManualClock(1_000_000);
    const t = tokens(clock);
    const token = t.issue('ListRules', 'a');
    await clock.advance(PAGE_TOKEN_TTL_MS - 1);
    assert.equal(t.read('ListRules', token).ok, true);
    await clock.advance(1);
    assert.deepEqual(t.read('ListRules', token), { ok: false, fault: 'expired' });
  });

  it('honours a shorter lifetime', async () => {
    const clock = new ManualClock(0);
    const t = new PageTokens({ clock, key: KEY, ttlMs: 10 });
    const token = t.issue('k', 1);
    await clock.advance(10);
    assert.deepEqual(t.read('k', token), { ok: false, fault: 'expired' });
  });

  it('calls text that is no token of ours malformed', () => {
    const t = tokens();
    for (const token of ['', '!!', 'garbage', 'a'.repeat(8), 'f/123']) {
      assert.deepEqual(t.read('k', token), { ok: false, fault: 'malformed' }, token);
    }
  });

  it('gives the same digits for the same text and key, other digits otherwise', () => {
    const t = tokens();
    const digits = t.digits('f/stream/0001', 16);
    assert.match(digits, /^\d{16}$/);
    assert.equal(t.digits('f/stream/0001', 16), digits);
    assert.notEqual(t.digits('f/stream/0002', 16), digits);
    assert.notEqual(
      tokens(new ManualClock(0), new Uint8Array(32)).digits('f/stream/0001', 16),
      digits,
    );
  });
});
