/**
 * awsJson1.0/1.1 dispatch (Logs, ECS, Events): `X-Amz-Target: <prefix>.<Operation>` picks the
 * module and operation; the body is parsed here (so malformed JSON is AWS's
 * `SerializationException`, not a server-library error), type-checked against the operation's
 * declared members, and handed to the handler.
 */
import { ServiceError } from '../platform/errors.ts';
import { UnknownOperationException } from './api.errors.ts';
import {
  CONTENT_TYPES,
  encodeJsonError,
  toServiceError,
  type WireResponse,
} from './api-errors.serialize.ts';
import type { JsonServiceModule, RequestContext } from './api.types.ts';
import { checkMembers, parseJsonObject } from './json-shape.check.ts';
import type { ServiceRegistry } from './service-registry.ts';

/** Outcome of one API call, with labels for metrics and the failure to log, if unexpected. */
export interface DispatchResult {
  readonly response: WireResponse;
  /** Metrics label: the signing name, or `unknown`. */
  readonly service: string;
  /** Metrics label: the operation, or `unknown` when it did not resolve. */
  readonly operation: string;
  /** Set when something other than a ServiceError was thrown; the server logs it. */
  readonly unexpected?: unknown;
}

/** Splits `Logs_20140328.CreateLogGroup` at the last dot. */
export function parseTarget(target: string): { prefix: string; operation: string } | undefined {
  const dot = target.lastIndexOf('.');
  if (dot <= 0 || dot === target.length - 1) return undefined;
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

/** Handles one awsJson request; never throws. */
export async function dispatchJson(
  registry: ServiceRegistry,
  target: string | undefined,
  body: string,
  ctx: RequestContext,
): Promise<DispatchResult> {
  const parsed = target ? parseTarget(target.trim()) : undefined;
  const module = parsed ? registry.jsonService(parsed.prefix) : undefined;
  const service = module?.signingName ?? 'unknown';
  const op =
    module && parsed && Object.hasOwn(module.operations, parsed.operation)
      ? module.operations[parsed.operation]
      : undefined;
  if (!module || !parsed || !op) {
    const message = !target
      ? 'Missing X-Amz-Target header: cannot tell which operation to call.'
      : !module
        ? `No service of this server answers X-Amz-Target '${target}'.`
        : `Operation ${parsed?.operation ?? target} is not supported by this server's ${service} service.`;
    return fail(module, service, 'unknown', new UnknownOperationException(message));
  }
  const operation = parsed.operation;
  try {
    const input = parseJsonObject(body);
    if (op.input) checkMembers(input, op.input);
    const output = await op.handler(input, ctx);
    return {
      service,
      operation,
      response: {
        status: 200,
        headers: { 'content-type': CONTENT_TYPES[module.protocol] },
        body: JSON.stringify(output ?? {}),
      },
    };
  } catch (error) {
    return fail(module, service, operation, error);
  }
}

function fail(
  module: JsonServiceModule | undefined,
  service: string,
  operation: string,
  error: unknown,
): DispatchResult {
  const serviceError = toServiceError(error, module?.internalErrorCode ?? 'InternalFailure');
  const response = encodeJsonError(serviceError, {
    protocol: module?.protocol,
    messageKey: module?.errorMessageKey,
  });
  return error instanceof ServiceError
    ? { service, operation, response }
    : { service, operation, response, unexpected: error };
}
