/**
 * Reads request bodies without letting them take the process's memory. Two bounds apply:
 *
 * - per request, the body limit (16 MiB): a larger body is refused as soon as its
 *   `Content-Length` (or its running byte count) says so, and the rest of it is read and thrown
 *   away, so the client still receives the 413 instead of a reset connection;
 * - per server, a budget of body bytes held at once (64 MiB): each request leases the bytes it
 *   has sent and gives them back when its response closes, so a few
 *   limit-sized bodies in parallel cannot balloon the heap. A request that would overdraw the
 *   budget is refused with a throttling error, which SDKs retry with back-off.
 *
 * Bytes are kept as Buffers and handed over whole (the server decodes them once), so a multi-byte
 * character split across chunks stays intact and the signature covers the bytes as sent.
 */
import type { IncomingMessage } from 'node:http';

import type { ServiceError } from '../platform/errors.ts';
import { SerializationException } from './api.errors.ts';

/** Largest accepted body. PutLogEvents allows 1 MiB of messages plus JSON overhead. */
export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;
/** Body bytes the whole server holds at once: four limit-sized bodies. */
export const DEFAULT_BODY_BUDGET = 64 * 1024 * 1024;

/**
 * How many limits' worth of a refused body are read and thrown away before the connection is cut:
 * enough for a client that overshot the limit to finish and read its 413, bounded for one that
 * never stops.
 */
const DRAIN_ALLOWANCE = 4;

/** The server-wide count of body bytes being held. */
export class BodyBudget {
  #inFlight = 0;

  constructor(readonly capacity: number) {}

  /** Bytes currently leased. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Takes `bytes` if they fit; false (and nothing taken) otherwise. */
  tryTake(bytes: number): boolean {
    if (this.#inFlight + bytes > this.capacity) return false;
    this.#inFlight += bytes;
    return true;
  }

  give(bytes: number): void {
    this.#inFlight = Math.max(0, this.#inFlight - bytes);
  }
}

/** One request's share of the budget; released once, when its response closes. */
export class BodyLease {
  #held = 0;

  constructor(private readonly budget: BodyBudget) {}

  take(bytes: number): boolean {
    if (!this.budget.tryTake(bytes)) return false;
    this.#held += bytes;
    return true;
  }

  release(): void {
    this.budget.give(this.#held);
    this.#held = 0;
  }
}

export interface BodyReadOptions {
  /** Largest body accepted, in bytes. */
  readonly limit: number;
  /** The error for a body over the limit (the edge's 413). */
  readonly tooLarge: () => ServiceError;
  /** The error for a body the budget cannot hold now (throttling, in the request's protocol). */
  readonly throttled: () => ServiceError;
}

/**
 * Reads `payload`'s bytes within `lease`; rejects with `tooLarge()` or `throttled()`. After a
 * rejection the rest of the body is discarded as it arrives (up to four more limits' worth, then
 * the connection is cut), so the answer reaches a client that is still sending. The bytes are
 * what SigV4's payload hash covers: decoding first would change a body that is not UTF-8.
 */
export function readBodyBytes(
  payload: IncomingMessage,
  lease: BodyLease,
  options: BodyReadOptions,
): Promise<Buffer> {
  const { limit } = options;
  const declared = Number(payload.headers['content-length']);
  const hasLength = payload.headers['content-length'] !== undefined && Number.isFinite(declared);

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;

    const refuse = (error: ServiceError) => {
      payload.off('data', collect);
      payload.off('end', finish);
      payload.off('error', fail);
      chunks.length = 0;
      drain(payload, DRAIN_ALLOWANCE * limit);
      reject(error);
    };
    const collect = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return refuse(options.tooLarge());
      // Bytes are leased as they arrive, declared length or not: a client that declares 16 MiB
      // and sends nothing must not be able to hold the budget at no cost to itself.
      if (!lease.take(chunk.length)) return refuse(options.throttled());
      chunks.push(chunk);
    };
    const finish = () => {
      payload.off('data', collect);
      payload.off('error', fail);
      resolve(Buffer.concat(chunks, received));
    };
    // The body broke off (client gone, bad chunk framing): the client's fault, not a 500.
    const fail = (error: Error) => {
      payload.off('data', collect);
      payload.off('end', finish);
      reject(
        new SerializationException('The request body ended before it was complete.', {
          cause: error,
        }),
      );
    };

    if (hasLength && declared > limit) return refuse(options.tooLarge());
    payload.on('data', collect);
    payload.on('end', finish);
    payload.on('error', fail);
    payload.resume();
  });
}

/**
 * Throws away the rest of a refused body so the response can be read, and cuts the connection
 * once more than `allowance` further bytes arrive: a client that never stops sending costs
 * bandwidth for a bounded time, never memory.
 */
function drain(payload: IncomingMessage, allowance: number): void {
  let discarded = 0;
  const discard = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > allowance) {
      payload.off('data', discard);
      payload.destroy();
    }
  };
  payload.on('data', discard);
  payload.once('end', () => payload.off('data', discard));
  // A client that hangs up mid-body is expected here, not a failure to report.
  payload.on('error', () => undefined);
  payload.resume();
}
