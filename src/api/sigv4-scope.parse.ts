/**
 * Reads the SigV4 credential scope of a request: access key id, date, region and signing service.
 * Only parsing happens here, for routing and the request context: the region picks the ARNs'
 * region, the service name helps route query-protocol requests, and the access key id is kept on
 * the request context. sigv4-verify.ts checks the signature itself.
 */

/** The parts of `Credential=<AKID>/<yyyymmdd>/<region>/<service>/aws4_request`. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

const SCOPE = /^([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;

function parseScope(credential: string): CredentialScope | undefined {
  const m = SCOPE.exec(credential.trim());
  if (!m) return undefined;
  return { accessKeyId: m[1] ?? '', date: m[2] ?? '', region: m[3] ?? '', service: m[4] ?? '' };
}

/**
 * Parses `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. Returns
 * undefined for a missing or malformed header, or another algorithm; such requests fall back to
 * the server's default region (and are refused by the verifier, when it is on).
 */
export function parseAuthorizationScope(header: string | undefined): CredentialScope | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const algorithm = 'AWS4-HMAC-SHA256';
  if (!trimmed.startsWith(`${algorithm} `)) return undefined;
  for (const part of trimmed.slice(algorithm.length).split(',')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === 'Credential') return parseScope(rest.join('='));
  }
  return undefined;
}

/** Presigned URLs carry the scope in `X-Amz-Credential` instead of a header. */
export function parseQueryScope(value: string | undefined): CredentialScope | undefined {
  return value ? parseScope(value) : undefined;
}
