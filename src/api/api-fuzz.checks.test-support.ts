/**
 * The checks of the API fuzz suite (api.fuzz.test.ts): a cheap snapshot of the store, whether an
 * error answer is AWS-shaped, and the class of 5xx set aside until issue 12's item 3 merges.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import type { Store } from '../store/store.ts';
import type { FuzzRequest, JsonOperationRef } from './api-fuzz.requests.test-support.ts';
import type { Shape } from './json-shape.check.ts';

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

/**
 * Item 3 of issue 12 (model-derived type checks of every nested member) is being built on another
 * branch; until it merges, a wrong JSON type (or a `null`) *below the top level* of an ECS request
 * may still reach the service and fail as a 500. Exactly that class is set aside here: an ECS
 * request built from the operation's members, answered with `ServerException`, whose body holds a
 * nested value that does not fit its declared shape. Any other 5xx still fails the suite. Remove
 * at the merge of item 3.
 */
export function awaitingItem3(
  request: FuzzRequest,
  ops: JsonOperationRef[],
  body: string,
): boolean {
  const prefix = 'members AmazonEC2ContainerServiceV20141113.';
  if (!request.label.startsWith(prefix) || !body.includes('"__type":"ServerException"')) {
    return false;
  }
  const operation = request.label.slice(prefix.length);
  const ref = ops.find((o) => o.module.signingName === 'ecs' && o.operation === operation);
  const input = JSON.parse(String(request.payload)) as Record<string, unknown>;
  return (
    ref !== undefined &&
    Object.entries(ref.members).some(([name, shape]) => nestedMisfit(input[name], shape, 0))
  );
}

/** Whether a value below the top level is null or not of its shape's JSON type. */
function nestedMisfit(value: unknown, shape: Shape, depth: number): boolean {
  if (value === null || value === undefined) return depth > 0 && value === null;
  if (typeof shape === 'string') {
    const fits =
      shape === 'string'
        ? typeof value === 'string'
        : shape === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'number';
    return depth > 0 && !fits;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return depth > 0;
    return value.some((item) => nestedMisfit(item, shape.list, depth + 1));
  }
  if (typeof value !== 'object' || Array.isArray(value)) return depth > 0;
  const members = value as Record<string, unknown>;
  if ('map' in shape) {
    return Object.values(members).some((item) => nestedMisfit(item, shape.map, depth + 1));
  }
  return Object.entries(shape.struct).some(([name, member]) =>
    nestedMisfit(members[name], member, depth + 1),
  );
}
