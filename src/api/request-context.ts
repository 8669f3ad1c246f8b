/**
 * Builds the context of one request: its id, the AWS context it runs in and its {@link Caller}.
 * The caller comes from the SigV4 credential scope (the `Authorization` header, or
 * `X-Amz-Credential` of a presigned URL). With a verification outcome (sigv4-verify.ts) the
 * caller is `verified` with its principal, or the context carries the failure for the protocol
 * to answer; without one (verification switched off) the scope is taken on trust.
 */
import type { AwsContext } from '../platform/ids.ts';
import type { Caller, RequestContext } from './api.types.ts';
import type { Verification } from './sigv4-verify.ts';
import { parseAuthorizationScope, parseQueryScope } from './sigv4-scope.parse.ts';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The request's context; a missing or malformed scope yields the server's default region. */
export function requestContext(request: {
  requestId: string;
  authorization: string | undefined;
  /** `X-Amz-Credential` query parameter, for presigned URLs. */
  credentialParam: string | undefined;
  defaults: AwsContext;
  /** The signature check's outcome; undefined when verification is off. */
  verification?: Verification;
}): RequestContext {
  const scope =
    parseAuthorizationScope(request.authorization) ?? parseQueryScope(request.credentialParam);
  const region = scope && REGION.test(scope.region) ? scope.region : request.defaults.region;
  const verification = request.verification;
  const verified = verification?.ok === true ? verification.value : undefined;
  const caller: Caller = {
    region,
    verified: verified !== undefined,
    ...(scope ? { accessKeyId: scope.accessKeyId, signingService: scope.service } : {}),
    ...(verified ? { principal: verified.principal } : {}),
  };
  const aws = { ...request.defaults, region };
  return verification?.ok === false
    ? { requestId: request.requestId, aws, caller, authFailure: verification.failure }
    : { requestId: request.requestId, aws, caller };
}
