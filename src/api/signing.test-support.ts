/**
 * The one SigV4 signer of the API tests: signs raw requests for real with the test key, through
 * `@smithy/signature-v4` as the SDKs do. {@link signingServer} wraps a server so that every
 * `inject` is signed at the server clock's time, which keeps the many protocol tests about
 * protocols. A request keeps its own `authorization` unless it is a {@link signedFor} marker,
 * which names the scope to sign for; `unsigned: true` sends it as it is.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { SignatureV4 } from '@smithy/signature-v4';

import { SystemClock, type Clock } from '../platform/clock.ts';
import { Sha256 } from '../platform/sha256-hash.ts';
import type { ServiceModule } from './api.types.ts';
import { parseAuthorizationScope } from './sigv4-scope.parse.ts';

/** The default root key of a server (`credentials` not given). */
export const TEST_KEY = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

const MARKER_SIGNATURE = '0'.repeat(64);

/**
 * An `Authorization` header that only names a scope: {@link signingServer} replaces it with a
 * real signature for that service and region. Sent without the wrapper it fails verification.
 */
export function signedFor(service: string, region = 'us-east-1', accessKeyId = 'test'): string {
  return (
    `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/${service}/aws4_request, ` +
    `SignedHeaders=host;x-amz-date, Signature=${MARKER_SIGNATURE}`
  );
}

/** What {@link signHeaders} signs. */
export interface ToSign {
  method: string;
  /** Path and query as sent, e.g. `/?Action=GetCallerIdentity`. */
  url: string;
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  /** Signing time, epoch ms. */
  at: number;
  key?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Headers to sign although the SDKs leave them out (`user-agent`, `content-length`). */
  alsoSign?: string[];
}

function splitUrl(url: string): { path: string; query: Record<string, string | string[]> } {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(at < 0 ? '' : url.slice(at + 1))) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return { path: path === '' ? '/' : path, query };
}

function signer(input: Pick<ToSign, 'region' | 'service' | 'key'>): SignatureV4 {
  return new SignatureV4({
    credentials: input.key ?? TEST_KEY,
    region: input.region,
    service: input.service,
    sha256: Sha256,
    applyChecksum: false,
  });
}

/** The headers to send: the input ones (with `host`) plus `x-amz-date` and `authorization`. */
export async function signHeaders(input: ToSign): Promise<Record<string, string>> {
  const { path, query } = splitUrl(input.url);
  const headers = Object.fromEntries(
    Object.entries(input.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  headers['host'] ??= 'localhost:80';
  const signed = await signer(input).sign(
    {
      method: input.method,
      protocol: 'http:',
      hostname: headers['host'],
      path,
      query,
      headers,
      body: input.body === '' ? undefined : input.body,
    },
    {
      signingDate: new Date(input.at),
      ...(input.alsoSign
        ? { signableHeaders: new Set([...Object.keys(headers), ...input.alsoSign]) }
        : {}),
    },
  );
  return signed.headers as Record<string, string>;
}

/** A presigned path and query (`/?…&X-Amz-Signature=…`) valid for `expiresIn` seconds. */
export async function presignUrl(
  input: Omit<ToSign, 'body' | 'headers'> & { host?: string; expiresIn: number },
): Promise<string> {
  const { path, query } = splitUrl(input.url);
  const host = input.host ?? 'localhost:80';
  const presigned = await signer(input).presign(
    { method: input.method, protocol: 'http:', hostname: host, path, query, headers: { host } },
    { signingDate: new Date(input.at), expiresIn: input.expiresIn },
  );
  return `${path}?${new URLSearchParams(presigned.query as Record<string, string>).toString().replace(/\+/g, '%20')}`;
}

/** The signing name a request is for, guessed as the server's routing would find it. */
export function serviceFor(
  modules: readonly ServiceModule[],
  request: { url: string; headers: Record<string, string>; body: string },
): string {
  const target = request.headers['x-amz-target'];
  if (target !== undefined) {
    const prefix = target.split('.')[0];
    const json = modules.find((m) => 'targetPrefix' in m && m.targetPrefix === prefix);
    return json?.signingName ?? modules[0]?.signingName ?? 'unknown';
  }
  const path = request.url.split('?')[0] ?? '/';
  const form = new URLSearchParams(
    `${request.url.split('?')[1] ?? ''}&${
      (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
        ? request.body
        : ''
    }`,
  );
  if (path === '/' && (form.has('Action') || form.has('Version'))) {
    const version = form.get('Version');
    const byVersion = modules.find((m) => 'version' in m && m.version === version);
    if (byVersion) return byVersion.signingName;
    const ec2 = modules.find((m) => m.protocol === 'ec2');
    return form.has('Version') ? 'unknown' : (ec2?.signingName ?? 'sts');
  }
  if (path !== '/') {
    const rest = modules.find((m) => m.protocol === 'restJson1');
    if (rest) return rest.signingName;
  }
  return modules.find((m) => m.protocol.startsWith('awsJson'))?.signingName ?? 'unknown';
}

/** `inject` options plus `unsigned`, to send a request exactly as given. */
export type SignedInjectOptions = InjectOptions & { unsigned?: boolean };

interface Injectable {
  inject(request: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Signs `request` (see the file comment) for a server serving `modules` at `clock`'s time. */
export async function signInjection(
  request: SignedInjectOptions,
  modules: readonly ServiceModule[],
  clock: Clock,
): Promise<InjectOptions> {
  const { unsigned, ...options } = request;
  if (unsigned) return options;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = String(value);
  }
  const marker = headers['authorization'];
  if (marker !== undefined && !marker.endsWith(`Signature=${MARKER_SIGNATURE}`)) return options;
  let body = '';
  const payload = options.payload ?? options.body;
  if (typeof payload === 'string') body = payload;
  else if (Buffer.isBuffer(payload)) body = payload.toString('utf8');
  else if (payload !== undefined && payload !== null) {
    body = JSON.stringify(payload);
    headers['content-type'] ??= 'application/json';
  }
  const url =
    typeof options.url === 'string'
      ? options.url
      : typeof options.path === 'string'
        ? options.path
        : '/';
  const parsed = parseAuthorizationScope(marker);
  // `infer` (jsonHeaders) leaves the service to the request's routing.
  const scope = parsed?.service === 'infer' ? { ...parsed, service: undefined } : parsed;
  delete headers['authorization'];
  const method = (options.method ?? 'GET').toString().toUpperCase();
  const signed = await signHeaders({
    method,
    url,
    headers,
    body,
    region: scope?.region ?? 'us-east-1',
    service: scope?.service ?? serviceFor(modules, { url, headers, body }),
    at: clock.now(),
    ...(scope !== undefined && scope.accessKeyId !== 'test'
      ? { key: { accessKeyId: scope.accessKeyId, secretAccessKey: 'test' } }
      : {}),
  });
  const { payload: _p, body: _b, ...rest } = options;
  return {
    ...rest,
    method: method as InjectOptions['method'],
    url,
    headers: signed,
    payload: body,
  };
}

/** `server` with an `inject` that signs each request with the test key (see file comment). */
export function signingServer<S extends Injectable>(
  server: S,
  modules: readonly ServiceModule[],
  clock: Clock,
): S & { inject(request: SignedInjectOptions): Promise<LightMyRequestResponse> } {
  const inject = async (request: SignedInjectOptions) =>
    server.inject(await signInjection(request, modules, clock));
  return new Proxy(server, {
    get: (target, name, receiver) =>
      name === 'inject' ? inject : Reflect.get(target, name, receiver),
  }) as S & { inject(request: SignedInjectOptions): Promise<LightMyRequestResponse> };
}

/**
 * `fetch` of a raw request signed with the test key (or `key`) at `at` (default: wall-clock
 * time, as a client signs), for tests that talk to a listening server.
 */
export async function signedFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  scope: { region?: string; service: string; at?: number; key?: ToSign['key'] },
): Promise<Response> {
  const target = new URL(url);
  const method = init.method ?? 'GET';
  const headers = await signHeaders({
    method,
    url: `${target.pathname}${target.search}`,
    headers: { ...init.headers, host: target.host },
    body: init.body ?? '',
    region: scope.region ?? 'us-east-1',
    service: scope.service,
    at: scope.at ?? new SystemClock().now(),
    ...(scope.key ? { key: scope.key } : {}),
  });
  delete headers['host'];
  return fetch(url, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
}
