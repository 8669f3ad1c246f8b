/**
 * The one place in cronbridge that turns errors into wire form (house style rule 9). Everything a
 * handler or the edge throws ends here: ServiceErrors keep their code, message and status;
 * anything else becomes the service's internal-failure code with a generic message, and its
 * details go to the log only.
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
