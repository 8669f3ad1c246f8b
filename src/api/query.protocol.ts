/**
 * Form-encoded requests: the query protocol (STS now, IAM later) and EC2's dialect of it. Both
 * send `Action=<Op>&Version=<v>&…` in the body (or the URL); the module is chosen by the SigV4
 * scope's service name, else `Version`, else the only module having the action
 * (ServiceRegistry.formService), and the module's protocol picks the codec: query XML here
 * (`<OpResponse><OpResult>…</OpResult><ResponseMetadata/>`), ec2 XML in ec2-query.protocol.ts.
 */
import { InvalidAction, MissingAction } from './api.errors.ts';
import { CONTENT_TYPES, encodeQueryError } from './api-errors.serialize.ts';
import type {
  FormServiceModule,
  QueryParams,
  QueryServiceModule,
  RequestContext,
} from './api.types.ts';
import type { Authorizer } from './authorizer.ts';
import { failure, runOperation, type DispatchResult, type ProtocolCodec } from './dispatch.ts';
import { ec2Codec } from './ec2-query.protocol.ts';
import type { ServiceRegistry } from './service-registry.ts';
import { escapeXml, members } from './xml.encode.ts';

/** The query codec: `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata/>` and `<ErrorResponse>`. */
export const queryCodec: ProtocolCodec<QueryServiceModule> = {
  internalErrorCode: 'InternalFailure',
  authErrors: 'query',
  success: (module, action, output, ctx) => {
    const xmlns = escapeXml(module.xmlNamespace);
    const result = output !== null && typeof output === 'object' ? members(output) : '';
    const body =
      `<${action}Response xmlns="${xmlns}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${escapeXml(ctx.requestId)}</RequestId></ResponseMetadata>` +
      `</${action}Response>`;
    return { status: 200, headers: { 'content-type': CONTENT_TYPES.query }, body };
  },
  error: (module, error, ctx) => encodeQueryError(error, ctx.requestId, module?.xmlNamespace),
};

/** Decodes `application/x-www-form-urlencoded` text; the first occurrence of a name wins. */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}

/** Handles one form-encoded request (query or ec2); never throws. */
export async function dispatchForm(
  env: { registry: ServiceRegistry; authorize: Authorizer },
  params: QueryParams,
  ctx: RequestContext,
): Promise<DispatchResult> {
  const action = params.Action;
  const module = env.registry.formService({
    signingService: ctx.caller.signingService,
    version: params.Version,
    action,
  });
  if (!action) return fail(module, 'unknown', new MissingAction(), ctx);
  const op =
    module && Object.hasOwn(module.operations, action) ? module.operations[action] : undefined;
  if (!module || !op) return fail(module, 'unknown', new InvalidAction(), ctx);
  const common = {
    operation: action,
    ctx,
    authorize: env.authorize,
    decode: () => params,
    handle: (input: QueryParams) => op.handler(input, ctx),
  };
  return module.protocol === 'ec2'
    ? runOperation({ codec: ec2Codec, module, ...common })
    : runOperation({ codec: queryCodec, module, ...common });
}

function fail(
  module: FormServiceModule | undefined,
  operation: string,
  error: unknown,
  ctx: RequestContext,
): DispatchResult {
  return module?.protocol === 'ec2'
    ? failure(ec2Codec, module, operation, error, ctx)
    : failure(queryCodec, module, operation, error, ctx);
}
