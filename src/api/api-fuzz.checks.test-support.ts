/**
 * The checks of the API fuzz suite (api.fuzz.test.ts): a cheap snapshot of the store, whether an
 * error answer is AWS-shaped.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import type { Store } from '../store/store.ts';

// ---- the checks ------------------------------------------------------------------------------

/** Row count and content hash of every table: cheap enough to take around each request. */
export function snapshot(store: Store): string {
  const sync = store.sync;
  assert.ok(sync, 'the fuzz suite needs the SQLite store');
  const tables = [
    ...sync.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").rows(),
  ];
  return tables
    .map(([name]) => {
      const hash = createHash('sha256');
      let count = 0;
      for (const row of sync.prepare(`SELECT * FROM "${String(name)}"`).rows()) {
        count++;
        hash.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
      }
      return `${String(name)}:${count}:${hash.digest('hex').slice(0, 16)}`;
    })
    .join(' ');
}

/** Why an error response is not AWS-shaped, or undefined when it is. */
export function shapeProblem(
  status: number,
  headers: Record<string, unknown>,
  body: string,
): string | undefined {
  if (!/^[0-9a-f-]{36}$/i.test(String(headers['x-amzn-requestid'] ?? ''))) {
    return 'no x-amzn-RequestId';
  }
  const type = String(headers['content-type'] ?? '');
  if (type.startsWith('text/xml')) {
    return /<Code>[^<]+<\/Code>/.test(body) && /<Message>[^<]*<\/Message>/.test(body)
      ? undefined
      : 'XML error without <Code> and <Message>';
  }
  if (!/^application\/(x-amz-json-1\.[01]|json)$/.test(type)) return `content type '${type}'`;
  if (body === '') return 'empty error body';
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return 'error body is not JSON';
  }
  const code = parsed['__type'] ?? headers['x-amzn-errortype'];
  if (typeof code !== 'string' || code === '') return 'no __type / x-amzn-ErrorType';
  if (typeof (parsed['message'] ?? parsed['Message']) !== 'string') return 'no message';
  return status >= 400 ? undefined : 'error code on a success';
}

/** The headers-only half of {@link shapeProblem}, for bodiless HEAD answers. */
export function shapeHeadersProblem(headers: Record<string, unknown>): string | undefined {
  if (!/^[0-9a-f-]{36}$/i.test(String(headers['x-amzn-requestid'] ?? ''))) {
    return 'no x-amzn-RequestId';
  }
  const type = String(headers['content-type'] ?? '');
  if (type.startsWith('text/xml')) return undefined;
  return typeof headers['x-amzn-errortype'] === 'string' ? undefined : 'no x-amzn-ErrorType';
}
