/**
 * awsJson1.0/1.1 (Logs, ECS, Events): `X-Amz-Target: <prefix>.<Operation>` picks the module and
 * operation; the body is parsed here (so malformed JSON is AWS's `SerializationException`, not a
 * server-library error), type-checked against the operation's declared members, and handed to
 * the handler. Results are JSON; errors are `{"__type", "message"}` (api-errors.serialize.ts).
 */
import { UnknownOperationException } from './api.errors.ts';
import { CONTENT_TYPES, encodeJsonError } from './api-errors.serialize.ts';
import type { JsonServiceModule, RequestContext } from './api.types.ts';
import type { Authorizer } from './authorizer.ts';
import { failure, runOperation, type DispatchResult, type ProtocolCodec } from './dispatch.ts';
import { checkMembers, parseJsonObject } from './json-shape.check.ts';
import type { ServiceRegistry } from './service-registry.ts';

/** The awsJson codec: JSON bodies in the module's content type. */
export const awsJsonCodec: ProtocolCodec<JsonServiceModule> = {
  internalErrorCode: 'InternalFailure',
  authErrors: 'json',
  success: (module, _operation, output) => ({
    status: 200,
    headers: { 'content-type': CONTENT_TYPES[module.protocol] },
    body: JSON.stringify(output ?? {}),
  }),
  error: (module, error) =>
    encodeJsonError(error, { protocol: module?.protocol, messageKey: module?.errorMessageKey }),
};

/** Splits `Logs_20140328.CreateLogGroup` at the last dot. */
export function parseTarget(target: string): { prefix: string; operation: string } | undefined {
  const dot = target.lastIndexOf('.');
  if (dot <= 0 || dot === target.length - 1) return undefined;
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

/** Handles one awsJson request; never throws. */
export async function dispatchJson(
  env: { registry: ServiceRegistry; authorize: Authorizer },
  target: string | undefined,
  body: string,
  ctx: RequestContext,
): Promise<DispatchResult> {
  const parsed = target ? parseTarget(target.trim()) : undefined;
  const module = parsed ? env.registry.jsonService(parsed.prefix) : undefined;
  const op =
    module && parsed && Object.hasOwn(module.operations, parsed.operation)
      ? module.operations[parsed.operation]
      : undefined;
  if (!module || !parsed || !op) {
    const message = !target
      ? 'Missing X-Amz-Target header: cannot tell which operation to call.'
      : !module
        ? `No service of this server answers X-Amz-Target '${target}'.`
        : `Operation ${parsed?.operation ?? target} is not supported by this server's ${module.signingName} service.`;
    return failure(awsJsonCodec, module, 'unknown', new UnknownOperationException(message), ctx);
  }
  return runOperation({
    codec: awsJsonCodec,
    module,
    operation: parsed.operation,
    ctx,
    authorize: env.authorize,
    decode: () => {
      const input = withoutNullMembers(parseJsonObject(body));
      if (op.input) checkMembers(input, op.input);
      return input;
    },
    handle: (input) => op.handler(input, ctx),
  });
}

/**
 * AWS's JSON deserializer reads a member set to `null` as absent; handlers only ever see absent
 * members (`{"nextToken": null}` reached ECS's paging as a null token and failed as a 500).
 */
function withoutNullMembers(input: Record<string, unknown>): Record<string, unknown> {
  // fromEntries defines own properties, so a `__proto__` member stays a plain member.
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null));
}
