/**
 * restJson1 (EventBridge Scheduler): the route table (rest-json.routes.ts) finds the operation by
 * method and path; this file binds the request to one input object — JSON body members, then
 * header, query-string and path-label members on top — runs it, and encodes the result as a JSON
 * body with the operation's success status. Errors carry the code in `x-amzn-ErrorType` and the
 * text in `message` (or the module's `Message`), with the error's own status.
 */
import { SerializationException, UnknownOperationException } from './api.errors.ts';
import { CONTENT_TYPES, encodeRestJsonError } from './api-errors.serialize.ts';
import type {
  QueryBinding,
  RequestContext,
  RestJsonOperation,
  RestJsonServiceModule,
} from './api.types.ts';
import type { Authorizer } from './authorizer.ts';
import { failure, runOperation, type DispatchResult, type ProtocolCodec } from './dispatch.ts';
import { checkMembers, parseJsonObject } from './json-shape.check.ts';
import type { ServiceRegistry } from './service-registry.ts';

export const restJsonCodec: ProtocolCodec<RestJsonServiceModule> = {
  internalErrorCode: 'InternalFailure',
  authErrors: 'rest',
  success: (module, operation, output) => ({
    status: module.operations[operation]?.http.code ?? 200,
    headers: { 'content-type': CONTENT_TYPES.restJson1 },
    body: JSON.stringify(output ?? {}),
  }),
  error: (module, error) => encodeRestJsonError(error, module?.errorMessageKey),
};

/** The parts of an HTTP request a restJson1 operation can bind members from. */
export interface RestRequest {
  readonly method: string;
  /** Raw path, still percent-encoded, without the query string. */
  readonly path: string;
  /** Raw query string without `?` ('' when absent). */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * Handles one request on the restJson1 routes; undefined when no route's path fits (the server
 * then answers its AWS-shaped 404). Never throws.
 */
export async function dispatchRestJson(
  env: { registry: ServiceRegistry; authorize: Authorizer },
  request: RestRequest,
  ctx: RequestContext,
): Promise<DispatchResult | undefined> {
  const query = new URLSearchParams(request.query);
  const match = env.registry.restRoutes.match({
    method: request.method,
    path: request.path,
    query,
    signingService: ctx.caller.signingService,
  });
  if (match.kind === 'none') return undefined;
  if (match.kind === 'wrong-method') {
    // ⚠ AWS's answer to a known path with another method is unconfirmed; like the server's 404
    // for unknown paths, the status (405) says what is wrong, the code stays the edge's.
    const error = new UnknownOperationException(
      `${request.method} is not supported on ${request.path}; use ${match.allowed.join(' or ')}.`,
    );
    const result = failure(restJsonCodec, match.module, 'unknown', error, ctx);
    const headers = { ...result.response.headers, allow: match.allowed.join(', ') };
    return { ...result, response: { ...result.response, status: 405, headers } };
  }
  const { route, labels } = match;
  return runOperation({
    codec: restJsonCodec,
    module: route.module,
    operation: route.operationName,
    ctx,
    authorize: env.authorize,
    decode: () => bindInput(route.operation, request, query, labels),
    handle: (input) => route.operation.handler(input, ctx),
  });
}

/** Body members first, then headers, query parameters and labels, which the path decides. */
export function bindInput(
  operation: RestJsonOperation,
  request: RestRequest,
  query: URLSearchParams,
  labels: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const input: Record<string, unknown> = parseJsonObject(request.body);
  if (operation.body) checkMembers(input, operation.body);
  for (const [name, member] of Object.entries(operation.headers ?? {})) {
    const value = request.headers[name.toLowerCase()];
    const text = Array.isArray(value) ? value.join(',') : value;
    if (text !== undefined) input[member] = text;
  }
  for (const [name, binding] of Object.entries(operation.query ?? {})) {
    const values = query.getAll(name);
    if (values.length === 0) continue;
    const { member, type } =
      typeof binding === 'string' ? { member: binding, type: 'string' as const } : binding;
    input[member] = convertQuery(name, values, type);
  }
  Object.assign(input, labels);
  return input;
}

function convertQuery(name: string, values: string[], type: Exclude<QueryBinding, string>['type']) {
  if (type === 'list') return values;
  const value = values[0] ?? '';
  if (type === 'integer') {
    if (!/^-?\d+$/.test(value)) {
      throw new SerializationException(
        `Query parameter ${name}: '${value}' can not be converted to an Integer`,
      );
    }
    return Number(value);
  }
  if (type === 'boolean') {
    if (value !== 'true' && value !== 'false') {
      throw new SerializationException(
        `Query parameter ${name}: '${value}' can not be converted to a Boolean`,
      );
    }
    return value === 'true';
  }
  return value;
}
