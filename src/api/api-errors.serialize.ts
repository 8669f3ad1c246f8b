/**
 * The one place in cronbridge that turns errors into wire form (house style rule 9). Everything a
 * handler or the edge throws ends here: ServiceErrors keep their code, message and status;
 * anything else becomes the service's internal-failure code with a generic message, and its
 * details go to the log only. One encoder per protocol family: awsJson, restJson1, query, ec2.
 */
import { ServiceError } from '../platform/errors.ts';
import { internalFailure } from './api.errors.ts';
import { escapeXml } from './xml.encode.ts';

/** An encoded HTTP response, independent of the server library. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Content types of the protocols, as AWS sends them. */
export const CONTENT_TYPES = {
  'awsJson1.0': 'application/x-amz-json-1.0',
  'awsJson1.1': 'application/x-amz-json-1.1',
  query: 'text/xml',
  ec2: 'text/xml;charset=UTF-8',
  restJson1: 'application/json',
} as const;

export type JsonProtocol = 'awsJson1.0' | 'awsJson1.1';

/**
 * Normalises anything thrown: a ServiceError passes through; other values become an internal
 * failure with `internalCode` (`InternalFailure`, or the service's own server-fault code).
 */
export function toServiceError(error: unknown, internalCode: string): ServiceError {
  return error instanceof ServiceError ? error : internalFailure(internalCode, error);
}

/** awsJson error: `{"__type": code, "message": text}` plus `x-amzn-ErrorType` (§6.1). */
export function encodeJsonError(
  error: ServiceError,
  options: { protocol?: JsonProtocol; messageKey?: 'message' | 'Message' } = {},
): WireResponse {
  const body = {
    __type: error.code,
    [options.messageKey ?? 'message']: error.message,
    ...error.members,
  };
  return {
    status: error.httpStatus,
    headers: {
      'content-type': CONTENT_TYPES[options.protocol ?? 'awsJson1.1'],
      'x-amzn-errortype': error.code,
    },
    body: JSON.stringify(body),
  };
}

/**
 * Query-protocol error (STS, IAM):
 * `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/>`.
 */
export function encodeQueryError(
  error: ServiceError,
  requestId: string,
  xmlNamespace?: string,
): WireResponse {
  const xmlns = xmlNamespace ? ` xmlns="${escapeXml(xmlNamespace)}"` : '';
  const type = error.fault === 'server' ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse${xmlns}><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  return { status: error.httpStatus, headers: { 'content-type': CONTENT_TYPES.query }, body };
}

/**
 * restJson1 error (Scheduler): the code in `x-amzn-ErrorType` (clients read it there first), the
 * text in a `message`/`Message` member plus the error's own members, the error's HTTP status.
 */
export function encodeRestJsonError(
  error: ServiceError,
  messageKey: 'message' | 'Message' = 'message',
): WireResponse {
  return {
    status: error.httpStatus,
    headers: { 'content-type': CONTENT_TYPES.restJson1, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ [messageKey]: error.message, ...error.members }),
  };
}

/**
 * EC2 query-dialect error:
 * `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`, no
 * namespace and `RequestID` spelled with a capital D (aws-semantics.md §6.3).
 */
export function encodeEc2Error(error: ServiceError, requestId: string): WireResponse {
  const body =
    `<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error></Errors>` +
    `<RequestID>${escapeXml(requestId)}</RequestID></Response>`;
  return { status: error.httpStatus, headers: { 'content-type': CONTENT_TYPES.ec2 }, body };
}
