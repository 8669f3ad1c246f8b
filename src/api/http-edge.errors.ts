/**
 * AWS-shaped answers for requests that fail before any protocol reads them: malformed HTTP that
 * Node's parser refuses (`clientError`: a NUL byte in a header, a bad `Content-Length`, garbage
 * instead of a request line), URLs the router cannot decode (`/%ZZ`), `Expect` values other than
 * `100-continue`, and failures inside the server library (body too large, unreadable body). Node
 * and fastify would answer those in their own shapes; an AWS client must always find `__type` (or
 * the query `<Code>`) and a request id.
 *
 * The protocol is guessed from the request alone, since its body was never decoded: a form body
 * gets the query XML shape, `/` the awsJson shape, any other path the restJson1 shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

import { ServiceError } from '../platform/errors.ts';
import { uuid } from '../platform/ids.ts';
import {
  RequestEntityTooLargeException,
  RequestTimeoutException,
  SerializationException,
  Throttling,
  ThrottlingException,
} from './api.errors.ts';
import {
  encodeJsonError,
  encodeQueryError,
  encodeRestJsonError,
  toServiceError,
  type WireResponse,
} from './api-errors.serialize.ts';

/** What the edge knows of a request it could not route. */
export interface EdgeRequest {
  readonly requestId: string;
  /** Whether the content type is form-encoded (query and ec2). */
  readonly form: boolean;
  /** The raw path, without its query string. */
  readonly path: string;
}

/** The wire form of an edge failure, in the protocol the request most likely speaks. */
export function encodeEdgeError(error: ServiceError, req: EdgeRequest): WireResponse {
  const wire = req.form
    ? encodeQueryError(error, req.requestId)
    : req.path === '/'
      ? encodeJsonError(error)
      : encodeRestJsonError(error);
  return { ...wire, headers: { ...wire.headers, 'x-amzn-RequestId': req.requestId } };
}

/** The throttling error of the request's protocol family (query spells it `Throttling`). */
export function throttlingError(form: boolean): ServiceError {
  return form ? new Throttling() : new ThrottlingException();
}

/** Maps a failure raised inside the server library to the edge's AWS error. */
export function translateLibraryError(
  error: Error & { code?: string; statusCode?: number },
  bodyLimit: number,
): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new RequestEntityTooLargeException(bodyLimit);
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return new SerializationException('The request URL is not valid percent-encoded text.');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new SerializationException(`The request could not be read: ${error.message}`);
  }
  return toServiceError(error, 'InternalFailure');
}

/**
 * Node's `clientError`: the bytes on the socket are not an HTTP request we can parse. Writes an
 * AWS-shaped answer where the socket can still take one, then closes it: after a parse error the
 * stream cannot be trusted to find the next request.
 */
export function answerClientError(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  // A reset peer left nothing to answer (Node's own handler skips it too).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const serviceError =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new RequestTimeoutException()
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new SerializationException('The request headers are larger than the server accepts.', {
            httpStatus: 431,
          })
        : new SerializationException(`The request is not valid HTTP/1.1 (${parseReason(error)}).`);
  const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '';
  const wire = encodeEdgeError(serviceError, {
    requestId: uuid(),
    form: /\r\ncontent-type:\s*application\/x-www-form-urlencoded/i.test(raw),
    path: '/',
  });
  socket.end(rawResponse(wire));
  socket.destroySoon();
}

/**
 * Node's `checkExpectation`: an `Expect` header other than `100-continue`. HTTP says 417; the
 * body is AWS-shaped like every other answer.
 */
export function answerExpectation(req: IncomingMessage, res: ServerResponse): void {
  const wire = encodeEdgeError(
    new SerializationException(
      `The Expect header '${req.headers.expect ?? ''}' is not supported.`,
      {
        httpStatus: 417,
      },
    ),
    {
      requestId: uuid(),
      form: (req.headers['content-type'] ?? '')
        .toLowerCase()
        .startsWith('application/x-www-form-urlencoded'),
      path: (req.url ?? '/').split('?')[0] ?? '/',
    },
  );
  const body = Buffer.from(wire.body, 'utf8');
  res.writeHead(wire.status, {
    ...wire.headers,
    'content-length': String(body.length),
    connection: 'close',
  });
  res.end(body);
}

/** llhttp's reason (`Invalid header value char`), else the error code. */
function parseReason(error: Error & { code?: string; reason?: unknown }): string {
  return typeof error.reason === 'string' ? error.reason : (error.code ?? 'unreadable request');
}

/** A whole HTTP/1.1 response, for a socket no `ServerResponse` owns. */
function rawResponse(wire: WireResponse): Buffer {
  const body = Buffer.from(wire.body, 'utf8');
  const lines = [`HTTP/1.1 ${wire.status} ${STATUS_CODES[wire.status] ?? 'Error'}`];
  for (const [name, value] of Object.entries(wire.headers)) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${body.length}`, 'connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}
