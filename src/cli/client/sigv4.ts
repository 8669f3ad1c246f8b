/**
 * SigV4 signing for the cronbridge-specific service, the one API the AWS SDK clients cannot call
 * for us. The signature is computed by `@smithy/signature-v4`, the SDKs' own signer, so the
 * server verifies it like any SDK request. Only what a JSON `POST /` needs: no presigning.
 */
import { SignatureV4 } from '@smithy/signature-v4';

import { Sha256 } from '../../platform/sha256-hash.ts';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignInput {
  method: string;
  url: URL;
  /** Headers to sign (names in any case); `host` and `x-amz-date` are added. */
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  credentials: SigningCredentials;
  /** Signing time, epoch ms (from a wall-clock Clock: the server checks it within 15 min). */
  nowMs: number;
}

/** `20150830T123600Z` */
export function amzDate(nowMs: number): string {
  return new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Returns the headers to send: the input headers plus `host`, `x-amz-date` and `authorization`. */
export async function signRequest(input: SignInput): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  headers['host'] = input.url.host;
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of input.url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: input.service,
    sha256: Sha256,
    // As the SDKs sign JSON protocols: the payload hash goes into the signature, not a header.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: input.method.toUpperCase(),
      protocol: input.url.protocol,
      hostname: input.url.hostname,
      ...(input.url.port ? { port: Number(input.url.port) } : {}),
      path: input.url.pathname || '/',
      query,
      headers,
      body: input.body === '' ? undefined : input.body,
    },
    { signingDate: new Date(input.nowMs) },
  );
  return signed.headers as Record<string, string>;
}
