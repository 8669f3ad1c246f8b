/**
 * AWS-shaped errors of the CloudWatch Logs domain. `code` is the `__type` CloudWatch Logs answers
 * with; messages are AWS's own where the reference has them verified (see aws-semantics.md §5).
 */
import { ServiceError, type ServiceErrorOptions, ValidationException } from '../platform/errors.ts';

/** A request member is invalid. CloudWatch Logs also uses this code for model-constraint errors. */
export class InvalidParameterException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('InvalidParameterException', message, options);
  }
}

/** The named log group or stream does not exist. */
export class ResourceNotFoundException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ResourceNotFoundException', message, options);
  }
}

/** The log group or stream to create exists already. */
export class ResourceAlreadyExistsException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ResourceAlreadyExistsException', message, options);
  }
}

/**
 * The request is structurally invalid (CloudWatch Logs uses it for mutually exclusive members).
 * The catalogue's one `ValidationException`, re-exported so the logs code names its errors here.
 */
export { ValidationException };

/** `The specified log group does not exist.` [aws-verified] */
export function logGroupNotFound(): ResourceNotFoundException {
  return new ResourceNotFoundException('The specified log group does not exist.');
}

/** `The specified log stream does not exist.` [aws-verified] */
export function logStreamNotFound(): ResourceNotFoundException {
  return new ResourceNotFoundException('The specified log stream does not exist.');
}

/** `The specified nextToken is invalid.` [aws-verified for GetLogEvents] */
export function invalidNextToken(): InvalidParameterException {
  return new InvalidParameterException('The specified nextToken is invalid.');
}
