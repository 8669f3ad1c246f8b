/**
 * The SHA-256 hash/HMAC that `@smithy/signature-v4` needs, on node's crypto. The SDK ships this as
 * `@smithy/hash-node`, which is not among our dependencies; the adapter is the few lines below.
 * Canonicalisation stays in the library: this file only hashes bytes.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type Data = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: Data): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** A smithy `HashConstructor`: plain SHA-256 without a secret, HMAC-SHA-256 with one. */
export class Sha256 {
  private readonly state: Hash | Hmac;

  constructor(secret?: Data) {
    this.state =
      secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: Data): void {
    this.state.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.state.digest());
  }
}
