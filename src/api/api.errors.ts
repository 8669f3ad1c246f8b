/**
 * Errors raised by the HTTP edge itself, before a request reaches a service: undecodable bodies,
 * unknown operations, missing query actions. Service-specific errors live with their services.
 */
import { SerializationException, ServiceError } from '../platform/errors.ts';

/** The edge's `SerializationException` is the catalogue's one (events' validator raises it too). */
export { SerializationException };

/**
 * `X-Amz-Target` names no registered service or operation. AWS's text for this is unconfirmed
 * (aws-semantics.md §6.1 ⚠); ours names what was asked for so the user sees what is missing.
 */
export class UnknownOperationException extends ServiceError {
  constructor(message: string) {
    super('UnknownOperationException', message);
  }
}

/** Query protocol: `Action` is absent. Text from AWS's list of common errors. */
export class MissingAction extends ServiceError {
  constructor() {
    super('MissingAction', 'The request is missing an action or a required parameter.');
  }
}

/** Query protocol: `Action` is not an operation of the addressed service. Common-errors text. */
export class InvalidAction extends ServiceError {
  constructor() {
    super(
      'InvalidAction',
      'The action or operation requested is invalid. Verify that the action is typed correctly.',
    );
  }
}

/** The body exceeds the server's limit (AWS's behaviour here is unconfirmed; 413 is HTTP's). */
export class RequestEntityTooLargeException extends ServiceError {
  constructor(limitBytes: number) {
    super(
      'RequestEntityTooLargeException',
      `Request body is larger than the limit of ${limitBytes} bytes.`,
      { httpStatus: 413 },
    );
  }
}

/**
 * The request was not complete in time (Node's request timeout). The code is S3's and API
 * Gateway's spelling of the case; 408 is HTTP's.
 */
export class RequestTimeoutException extends ServiceError {
  constructor() {
    super('RequestTimeoutException', 'The request was not received in time.', { httpStatus: 408 });
  }
}

const THROTTLED_TEXT =
  'Rate exceeded: the server is reading too many request bodies at once. Retry shortly.';
// `client` keeps the query `<Type>` at Sender as AWS sends throttling, and keeps it out of the
// unexpected-failure log.
const THROTTLED_OPTIONS = { httpStatus: 503, fault: 'client', retryable: true } as const;

/**
 * Too much request body is being held at once (body-reader.ts). The codes are AWS's throttling
 * codes of each protocol family: `ThrottlingException` for the JSON protocols (ECS, Logs,
 * EventBridge) and `Throttling` for the query protocol (STS, IAM). The 503 status and the text
 * are ours: AWS sends these codes with 400, but the cause here is the server's capacity, and SDKs
 * retry both the codes and a 503 with back-off.
 */
export class ThrottlingException extends ServiceError {
  constructor() {
    super('ThrottlingException', THROTTLED_TEXT, THROTTLED_OPTIONS);
  }
}

/** The query protocol's spelling of {@link ThrottlingException}. */
export class Throttling extends ServiceError {
  constructor() {
    super('Throttling', THROTTLED_TEXT, THROTTLED_OPTIONS);
  }
}

/** Anything unexpected, reported without internals; the cause is logged with the request id. */
export function internalFailure(code: string, cause: unknown): ServiceError {
  return new ServiceError(code, 'An internal error occurred. Please retry your request.', {
    httpStatus: 500,
    fault: 'server',
    cause,
  });
}
