/**
 * Query-protocol dispatch (STS now, IAM later): form parameters `Action=<Op>&Version=<v>&…`
 * from the body and the URL, the module chosen by the SigV4 scope's service name or `Version`
 * (see ServiceRegistry.queryService), results as
 * `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata><RequestId/></ResponseMetadata>`.
 */
import { ServiceError } from '../platform/errors.ts';
import { InvalidAction, MissingAction } from './api.errors.ts';
import { CONTENT_TYPES, encodeQueryError, toServiceError } from './api-errors.serialize.ts';
import type { DispatchResult } from './aws-json.protocol.ts';
import type { QueryParams, QueryServiceModule, RequestContext } from './api.types.ts';
import type { ServiceRegistry } from './service-registry.ts';
import { escapeXml, members } from './xml.encode.ts';

/** Decodes `application/x-www-form-urlencoded` text; the first occurrence of a name wins. */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}

/** Handles one query-protocol request; never throws. */
export async function dispatchQuery(
  registry: ServiceRegistry,
  params: QueryParams,
  ctx: RequestContext,
): Promise<DispatchResult> {
  const action = params.Action;
  const module = registry.queryService({
    signingService: ctx.signingService,
    version: params.Version,
    action,
  });
  const service = module?.signingName ?? 'unknown';
  if (!action) return fail(module, service, 'unknown', new MissingAction(), ctx);
  const op =
    module && Object.hasOwn(module.operations, action) ? module.operations[action] : undefined;
  if (!module || !op) return fail(module, service, 'unknown', new InvalidAction(), ctx);
  try {
    const result = await op.handler(params, ctx);
    const xmlns = escapeXml(module.xmlNamespace);
    const body =
      `<${action}Response xmlns="${xmlns}"><${action}Result>${members(result)}</${action}Result>` +
      `<ResponseMetadata><RequestId>${escapeXml(ctx.requestId)}</RequestId></ResponseMetadata>` +
      `</${action}Response>`;
    return {
      service,
      operation: action,
      response: { status: 200, headers: { 'content-type': CONTENT_TYPES.query }, body },
    };
  } catch (error) {
    return fail(module, service, action, error, ctx);
  }
}

function fail(
  module: QueryServiceModule | undefined,
  service: string,
  operation: string,
  error: unknown,
  ctx: RequestContext,
): DispatchResult {
  const serviceError = toServiceError(error, 'InternalFailure');
  const response = encodeQueryError(serviceError, ctx.requestId, module?.xmlNamespace);
  return error instanceof ServiceError
    ? { service, operation, response }
    : { service, operation, response, unexpected: error };
}
