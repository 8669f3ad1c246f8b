/**
 * Load-generator requests signed for real (the server verifies SigV4 on every request). A
 * scenario's fixed requests are signed once and replayed: a signature stays valid for the 15
 * minutes of allowed clock skew, far longer than a run, and signing each request would load the
 * generator instead of the server. Requests whose body changes are signed as they are made.
 */
import { signHeaders } from '../../src/api/signing.test-support.ts';
import type { Clock } from '../../src/platform/clock.ts';
import type { LoadRequest } from './http-load.ts';

/** Who signs, and for which region. */
export interface SigningIdentity {
  readonly region: string;
  readonly key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** An awsJson 1.1 request (`x-amz-target`) to `url`, signed now. */
export async function signedAwsJson(
  url: string,
  as: SigningIdentity,
  clock: Clock,
  call: { service: string; target: string; body: unknown },
): Promise<LoadRequest> {
  const text = JSON.stringify(call.body);
  const headers = await signHeaders({
    method: 'POST',
    url: '/',
    headers: {
      host: new URL(url).host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': call.target,
      ...(as.key.sessionToken ? { 'x-amz-security-token': as.key.sessionToken } : {}),
    },
    body: text,
    region: as.region,
    service: call.service,
    at: clock.now(),
    key: as.key,
  });
  return { method: 'POST', path: '/', headers, body: Buffer.from(text) };
}
