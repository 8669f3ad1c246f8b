/**
 * Builds the context of one request: its id, the AWS context it runs in and its {@link Caller}.
 * The caller comes from the SigV4 credential scope (the `Authorization` header, or
 * `X-Amz-Credential` of a presigned URL) and is *unverified* until IAM checks signatures; the IAM
 * issue replaces this step with one that verifies and sets `verified: true`.
 */
import type { AwsContext } from '../platform/ids.ts';
import type { Caller, RequestContext } from './api.types.ts';
import { parseAuthorizationScope, parseQueryScope } from './sigv4-scope.parse.ts';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The request's context; a missing or malformed scope yields the server's default region. */
export function requestContext(request: {
  requestId: string;
  authorization: string | undefined;
  /** `X-Amz-Credential` query parameter, for presigned URLs. */
  credentialParam: string | undefined;
  defaults: AwsContext;
}): RequestContext {
  const scope =
    parseAuthorizationScope(request.authorization) ?? parseQueryScope(request.credentialParam);
  const region = scope && REGION.test(scope.region) ? scope.region : request.defaults.region;
  const caller: Caller = {
    region,
    verified: false,
    ...(scope ? { accessKeyId: scope.accessKeyId, signingService: scope.service } : {}),
  };
  return { requestId: request.requestId, aws: { ...request.defaults, region }, caller };
}
