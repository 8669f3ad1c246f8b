/**
 * The route table of restJson1 operations: method + path template → module and operation.
 *
 * Templates follow the model's `@http` trait: literal segments, `{Label}` for one segment and at
 * most one greedy `{Label+}` for one or more; a literal query part (`/x?tagging`) requires those
 * parameters. Segments are split on the raw path, so `%2F` stays inside a label
 * (`/tags/arn%3Aaws%3A…%2Fbatch` is one ARN), and each is percent-decoded after matching.
 *
 * When several routes match, the more literal one wins (`/a/b` before `/a/{X}` before
 * `/a/{X+}`). Two modules may declare the same route (many AWS services have
 * `/tags/{ResourceArn}`): the one whose signing name the request was signed for wins, else the
 * first registered. The operator endpoints and `POST|GET /` (awsJson, query) are reserved, so a
 * route that would be shadowed by them is refused at start-up.
 */
import type { HttpMethod, RestJsonOperation, RestJsonServiceModule } from './api.types.ts';

type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'label'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

/** One compiled route. */
export interface RestRoute {
  readonly module: RestJsonServiceModule;
  readonly operationName: string;
  readonly operation: RestJsonOperation;
  readonly method: HttpMethod;
  readonly segments: readonly Segment[];
  /** Literal query part of the template: name → required value ('' = any). */
  readonly requiredQuery: Readonly<Record<string, string>>;
}

/** What matching a request found. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: RestRoute; readonly labels: Record<string, string> }
  /** The path is served, but not with this method. */
  | {
      readonly kind: 'wrong-method';
      readonly module: RestJsonServiceModule;
      readonly allowed: string[];
    }
  | { readonly kind: 'none' };

/** A request's method and raw path (no query), as the server saw them. */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Signing name of the credential scope, to tell modules sharing a route apart. */
  readonly signingService?: string;
}

export class RestRouteTable {
  readonly #routes: RestRoute[] = [];

  /** @param reserved method + path pairs served by something else on the port */
  constructor(
    modules: readonly RestJsonServiceModule[],
    reserved: readonly { method: string; path: string }[] = [],
  ) {
    for (const module of modules) {
      for (const [operationName, operation] of Object.entries(module.operations)) {
        const route = compile(module, operationName, operation);
        for (const r of reserved) {
          if (matchRoute(route, r.method, splitPath(r.path), new URLSearchParams())) {
            throw new Error(
              `${module.signingName}.${operationName} (${operation.http.method} ${operation.http.uri}) ` +
                `would be shadowed by ${r.method} ${r.path}`,
            );
          }
        }
        const twin = this.#routes.find(
          (other) => other.module === module && sameShape(other, route),
        );
        if (twin) {
          throw new Error(
            `${module.signingName}.${operationName} and .${twin.operationName} ` +
              `declare the same route ${operation.http.method} ${operation.http.uri}`,
          );
        }
        this.#routes.push(route);
      }
    }
    this.#routes.sort(bySpecificity);
  }

  get size(): number {
    return this.#routes.length;
  }

  /** Finds the operation for a request, or says why none fits. */
  match(request: RouteRequest): RouteMatch {
    const segments = splitPath(request.path);
    const method = request.method.toUpperCase();
    const found: { route: RestRoute; labels: Record<string, string> }[] = [];
    const allowed = new Set<string>();
    let pathModule: RestJsonServiceModule | undefined;
    for (const route of this.#routes) {
      const labels = matchRoute(route, undefined, segments, request.query);
      if (!labels) continue;
      if (route.method === method) found.push({ route, labels });
      else {
        allowed.add(route.method);
        pathModule ??= route.module;
      }
    }
    if (found.length > 0) {
      // The table is sorted by specificity; among equally specific routes prefer the signer's.
      const best = found.filter((f) => bySpecificity(f.route, found[0]!.route) === 0);
      const chosen =
        best.find((f) => f.route.module.signingName === request.signingService) ?? best[0]!;
      return { kind: 'found', ...chosen };
    }
    if (!pathModule) return { kind: 'none' };
    return { kind: 'wrong-method', module: pathModule, allowed: [...allowed].sort() };
  }
}

function compile(
  module: RestJsonServiceModule,
  operationName: string,
  operation: RestJsonOperation,
): RestRoute {
  const { uri, method } = operation.http;
  const at = uri.indexOf('?');
  const path = at < 0 ? uri : uri.slice(0, at);
  const where = `${module.signingName}.${operationName}: path template '${uri}'`;
  if (!path.startsWith('/')) throw new Error(`${where} must start with '/'`);
  const segments = splitPath(path).map((text): Segment => {
    const label = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/.exec(text);
    if (label) return { kind: label[2] ? 'greedy' : 'label', name: label[1]! };
    if (/[{}]/.test(text)) throw new Error(`${where}: a label must be a whole segment`);
    return { kind: 'literal', text };
  });
  if (segments.filter((s) => s.kind === 'greedy').length > 1) {
    throw new Error(`${where}: at most one greedy label`);
  }
  const requiredQuery: Record<string, string> = {};
  if (at >= 0) {
    for (const [name, value] of new URLSearchParams(uri.slice(at + 1))) requiredQuery[name] = value;
  }
  return { module, operationName, operation, method, segments, requiredQuery };
}

/** `/a/b%2Fc/` → `['a', 'b%2Fc', '']`; `/` → `[]`. Still percent-encoded. */
function splitPath(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  return trimmed === '' ? [] : trimmed.split('/');
}

/**
 * The decoded label values if `route` matches (and `method`, unless undefined), else undefined.
 * A malformed percent escape in a label makes the route not match.
 */
function matchRoute(
  route: RestRoute,
  method: string | undefined,
  parts: readonly string[],
  query: URLSearchParams,
): Record<string, string> | undefined {
  if (method !== undefined && method.toUpperCase() !== route.method) return undefined;
  for (const [name, value] of Object.entries(route.requiredQuery)) {
    if (!query.has(name) || (value !== '' && query.get(name) !== value)) return undefined;
  }
  const greedyAt = route.segments.findIndex((s) => s.kind === 'greedy');
  const before = greedyAt < 0 ? route.segments : route.segments.slice(0, greedyAt);
  const after = greedyAt < 0 ? [] : route.segments.slice(greedyAt + 1);
  if (
    greedyAt < 0 ? parts.length !== before.length : parts.length <= before.length + after.length
  ) {
    return undefined;
  }
  const labels: Record<string, string> = {};
  const take = (segment: Segment, raw: string): boolean => {
    if (segment.kind === 'literal') return segment.text === raw;
    const value = decode(raw);
    if (value === undefined || value === '') return false;
    labels[segment.name] = value;
    return true;
  };
  for (let i = 0; i < before.length; i++) if (!take(before[i]!, parts[i]!)) return undefined;
  for (let i = 0; i < after.length; i++) {
    if (!take(after[i]!, parts[parts.length - after.length + i]!)) return undefined;
  }
  if (greedyAt >= 0) {
    const middle = parts.slice(before.length, parts.length - after.length);
    const decoded = middle.map(decode);
    if (decoded.some((d) => d === undefined)) return undefined;
    const value = decoded.join('/');
    if (value === '') return undefined;
    labels[(route.segments[greedyAt] as { name: string }).name] = value;
  }
  return labels;
}

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

const RANK = { literal: 2, label: 1, greedy: 0 } as const;

/** Negative when `a` is more specific: literal before label before greedy, segment by segment. */
function bySpecificity(a: RestRoute, b: RestRoute): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (!x || !y) return (y ? 1 : 0) - (x ? 1 : 0);
    const diff = RANK[y.kind] - RANK[x.kind];
    if (diff !== 0) return diff;
  }
  return Object.keys(b.requiredQuery).length - Object.keys(a.requiredQuery).length;
}

function sameShape(a: RestRoute, b: RestRoute): boolean {
  const key = (r: RestRoute) =>
    r.method +
    ' ' +
    r.segments.map((s) => (s.kind === 'literal' ? `/${s.text}` : `/{${s.kind}}`)).join('') +
    '?' +
    JSON.stringify(Object.entries(r.requiredQuery).sort());
  return key(a) === key(b);
}
