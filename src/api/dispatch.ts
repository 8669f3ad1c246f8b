/**
 * The steps every protocol shares once a request has found its module and operation: decode the
 * input, ask the authorizer (which needs the input: resources and condition keys come from it),
 * run the handler, then encode the output or the error with the protocol's codec. Keeping them
 * here means a new protocol only writes its routing and its codec, and cannot forget the
 * authorizer or leak an internal error.
 */
import { ServiceError } from '../platform/errors.ts';
import type { WireResponse } from './api-errors.serialize.ts';
import { toServiceError } from './api-errors.serialize.ts';
import type { RequestContext, ServiceModule } from './api.types.ts';
import type { Authorizer } from './authorizer.ts';
import { authenticationError, type AuthErrorFamily } from './sigv4.errors.ts';

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

/** How one protocol puts results and errors on the wire. */
export interface ProtocolCodec<M extends ServiceModule> {
  /** Code of unexpected failures when the module names none. */
  readonly internalErrorCode: string;
  /** Which spelling of the authentication errors the protocol's services use. */
  readonly authErrors: AuthErrorFamily;
  success(module: M, operation: string, output: unknown, ctx: RequestContext): WireResponse;
  /** `module` is undefined when the request found no module at all. */
  error(module: M | undefined, error: ServiceError, ctx: RequestContext): WireResponse;
}

/**
 * Decodes, authorizes, runs the handler and encodes; never throws. A body that does not decode
 * is refused before the authorizer sees it (the authorizer only ever judges a well-formed input).
 */
export async function runOperation<
  M extends ServiceModule,
  I extends Readonly<Record<string, unknown>>,
>(call: {
  codec: ProtocolCodec<M>;
  module: M;
  operation: string;
  ctx: RequestContext;
  authorize: Authorizer;
  /** Wire → input members (parse and type-check); throws the protocol's serialization error. */
  decode: () => I;
  handle: (input: I) => Promise<unknown>;
}): Promise<DispatchResult> {
  const { codec, module, operation, ctx } = call;
  try {
    if (ctx.authFailure) throw authenticationError(codec.authErrors, ctx.authFailure);
    if (ctx.caller.verified && ctx.caller.signingService !== module.signingName) {
      // The signature is right, but for another service: AWS refuses it as a wrong signature.
      throw authenticationError(codec.authErrors, {
        kind: 'badSignature',
        message: `Credential should be scoped to correct service: '${module.signingName}'. `,
      });
    }
    const input = call.decode();
    await call.authorize({
      requestId: ctx.requestId,
      caller: ctx.caller,
      aws: ctx.aws,
      service: module.signingName,
      module,
      operation,
      input,
    });
    const output = await call.handle(input);
    return {
      service: module.signingName,
      operation,
      response: codec.success(module, operation, output, ctx),
    };
  } catch (error) {
    return failure(codec, module, operation, error, ctx);
  }
}

/** Encodes a failure with the module's codec, keeping non-ServiceErrors for the log. */
export function failure<M extends ServiceModule>(
  codec: ProtocolCodec<M>,
  module: M | undefined,
  operation: string,
  error: unknown,
  ctx: RequestContext,
): DispatchResult {
  // An unauthenticated request learns nothing about operations: its failure is the auth error.
  const serviceError = ctx.authFailure
    ? authenticationError(codec.authErrors, ctx.authFailure)
    : toServiceError(error, module?.internalErrorCode ?? codec.internalErrorCode);
  const response = codec.error(module, serviceError, ctx);
  const service = module?.signingName ?? 'unknown';
  return error instanceof ServiceError
    ? { service, operation, response }
    : { service, operation, response, unexpected: error };
}
