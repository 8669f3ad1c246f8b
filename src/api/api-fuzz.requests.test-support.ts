/**
 * The request generators of the API fuzz suite (api.fuzz.test.ts): the served operations found in
 * the registered modules, and fast-check arbitraries for member-built bodies, malformed bodies and
 * encodings, odd headers and targets, and form bodies.
 */
import fc from 'fast-check';

import type { JsonServiceModule, ServiceModule } from './api.types.ts';
import type { MemberShapes, Shape } from './json-shape.check.ts';

/** One generated request, as `inject` takes it, with a label naming its generator. */
export interface FuzzRequest {
  readonly label: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload: string | Buffer;
}

// ---- the served operations -------------------------------------------------------------------

export interface JsonOperationRef {
  readonly module: JsonServiceModule;
  readonly operation: string;
  readonly members: MemberShapes;
}

export function jsonOperations(modules: readonly ServiceModule[]): JsonOperationRef[] {
  return modules.flatMap((module) =>
    module.protocol === 'awsJson1.0' || module.protocol === 'awsJson1.1'
      ? Object.entries(module.operations).map(([operation, op]) => ({
          module,
          operation,
          members: op.input ?? {},
        }))
      : [],
  );
}

export function formActions(
  modules: readonly ServiceModule[],
): { version: string; action: string }[] {
  return modules.flatMap((module) =>
    module.protocol === 'query' || module.protocol === 'ec2'
      ? Object.keys(module.operations).map((action) => ({ version: module.version, action }))
      : [],
  );
}

// ---- generators ------------------------------------------------------------------------------

/** Names of resources the store holds, so random requests sometimes hit something real. */
const SEEDED = [
  '/fuzz/group',
  'fuzz-stream',
  'fuzz-cluster',
  'fuzz-family',
  'fuzz-rule',
  'default',
];

const anyJson = fc.jsonValue({ maxDepth: 4 });
const oddString = fc.oneof(
  fc.constantFrom(...SEEDED),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', 'arn:aws:ecs:us-east-1:000000000000:cluster/x', '*'),
);
const oddNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1e300, -1e-300),
);

/** A value for `shape`: mostly of its type, recursing, and sometimes any JSON at all. */
function valueFor(shape: Shape, depth: number): fc.Arbitrary<unknown> {
  const wrong = depth > 3 ? fc.constant(null) : anyJson;
  let right: fc.Arbitrary<unknown>;
  if (shape === 'string') right = oddString;
  else if (shape === 'boolean') right = fc.boolean();
  else if (typeof shape === 'string') right = oddNumber;
  else if ('list' in shape) right = fc.array(valueFor(shape.list, depth + 1), { maxLength: 3 });
  else if ('map' in shape) {
    right = fc.dictionary(oddString, valueFor(shape.map, depth + 1), { maxKeys: 3 });
  } else right = membersOf(shape.struct, depth + 1);
  return fc.oneof({ arbitrary: right, weight: 3 }, { arbitrary: wrong, weight: 1 });
}

/** An object with a random subset of `members`, each valued by {@link valueFor}. */
function membersOf(members: MemberShapes, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(members);
  if (names.length === 0) {
    return fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 });
  }
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) record[name] = valueFor(members[name] as Shape, depth);
  return fc.record(record, { requiredKeys: [] });
}

function jsonHeaders(module: JsonServiceModule, target: string): Record<string, string> {
  return {
    'content-type':
      module.protocol === 'awsJson1.0'
        ? 'application/x-amz-json-1.0'
        : 'application/x-amz-json-1.1',
    'x-amz-target': target,
  };
}

/** (i) well-formed JSON bodies built from an operation's members. */
export function memberRequests(ops: JsonOperationRef[]): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...ops).chain((ref) =>
    membersOf(ref.members, 0).map((input) => ({
      label: `members ${ref.module.targetPrefix}.${ref.operation}`,
      method: 'POST',
      url: '/',
      headers: jsonHeaders(ref.module, `${ref.module.targetPrefix}.${ref.operation}`),
      payload: JSON.stringify(input),
    })),
  );
}

/** (ii) bodies that are not clean JSON objects: broken syntax, odd encodings, odd numbers. */
export function malformedBodies(ops: JsonOperationRef[]): fc.Arbitrary<FuzzRequest> {
  const body = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.json({ maxDepth: 3 }).map((text) => text.slice(0, Math.max(1, text.length - 1))),
    fc.json({ maxDepth: 3 }).map((text) => `\uFEFF${text}`),
    fc.constantFrom(
      '{"logGroupName":"a","logGroupName":7}',
      '{"a":1e400}',
      '{"limit":123456789012345678901234567890}',
      '{"limit":-0,"nextToken":1e-400}',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '[]',
      'null',
      '"text"',
      '{}{}',
      `${'['.repeat(200)}${']'.repeat(200)}`,
    ),
    fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
    fc.constantFrom(
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"a":"\xff\xfe"}
      Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // UTF-8 BOM + {}
      Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]), // UTF-16 BE
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]), // truncated sequence
    ),
  );
  return fc.tuple(fc.constantFrom(...ops), body).map(([ref, payload]) => ({
    label: `malformed ${ref.module.targetPrefix}.${ref.operation}`,
    method: 'POST',
    url: '/',
    headers: jsonHeaders(ref.module, `${ref.module.targetPrefix}.${ref.operation}`),
    payload,
  }));
}

/** Header values Node accepts on the wire (the raw-socket tests cover the rest). */
const headerValue = fc
  .string({ maxLength: 40 })
  .map((text) => text.replace(/[^\t\x20-\x7e]/g, '').trim());

/** Odd X-Amz-Target values, content types and extra headers on otherwise plain JSON requests. */
export function oddHeaders(ops: JsonOperationRef[]): fc.Arbitrary<FuzzRequest> {
  const target = fc.oneof(
    headerValue,
    fc.constantFrom(...ops).map((ref) => `${ref.module.targetPrefix}.${ref.operation}`),
    fc.constantFrom(...ops).map((ref) => `${ref.module.targetPrefix}.`),
    fc.constantFrom(...ops).map((ref) => `.${ref.operation}`),
    fc
      .constantFrom(...ops)
      .map((ref) => `${ref.module.targetPrefix}.${ref.operation.toLowerCase()}`),
    fc.constantFrom('AWSEvents.__proto__', 'Logs_20140328.constructor', 'Logs_20140328.toString'),
  );
  const contentType = fc.oneof(
    headerValue,
    fc.constantFrom(
      'application/x-amz-json-1.1',
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      ';;;',
    ),
  );
  const extra = fc.dictionary(
    fc.constantFrom(
      'authorization',
      'x-amz-date',
      'content-encoding',
      'x-amz-security-token',
      'accept-encoding',
      'x-amzn-requestid',
      'transfer-encoding',
    ),
    headerValue,
    { maxKeys: 3 },
  );
  return fc
    .record({
      target: fc.option(target, { nil: undefined }),
      contentType: fc.option(contentType, { nil: undefined }),
      extra,
      method: fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      url: fc.constantFrom('/', '/?Action=GetCallerIdentity', '/x', '//', '/%ZZ', '/health?x=%'),
      body: fc.oneof(fc.constant('{}'), fc.json({ maxDepth: 2 })),
    })
    .map(({ target, contentType, extra, method, url, body }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(extra)) {
        // A Transfer-Encoding light-my-request cannot frame is a client-library failure.
        if (name !== 'transfer-encoding' || value.toLowerCase() === 'chunked') {
          headers[name] = value;
        }
      }
      if (target !== undefined) headers['x-amz-target'] = target;
      if (contentType !== undefined) headers['content-type'] = contentType;
      return { label: `headers ${method} ${url}`, method, url, headers, payload: body };
    });
}

/** Form bodies: random actions, versions and parameters, with the form content type. */
export function formRequests(
  actions: { version: string; action: string }[],
): fc.Arbitrary<FuzzRequest> {
  const known = fc.constantFrom(...actions);
  const params = fc.dictionary(
    fc.oneof(
      fc.constantFrom('Action', 'Version', 'Tags.member.1.Key', 'X'),
      fc.string({ maxLength: 10 }),
    ),
    fc.string({ maxLength: 20 }),
    { maxKeys: 4 },
  );
  return fc
    .record({
      base: fc.option(known, { nil: undefined }),
      params,
      raw: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    })
    .map(({ base, params, raw }) => {
      const form = new URLSearchParams(params);
      if (base) {
        form.set('Action', base.action);
        form.set('Version', base.version);
      }
      return {
        label: 'form',
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        payload: raw ?? form.toString(),
      };
    });
}
