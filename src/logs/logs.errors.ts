/**
 * AWS-shaped errors of the CloudWatch Logs domain. `code` is the `__type` CloudWatch Logs answers
 * with; messages are AWS's own where the reference has them verified (see aws-semantics.md §5).
 */
import { ServiceError, type ServiceErrorOptions } from '../platform/errors.ts';

/** A request member is invalid. CloudWatch Logs also uses this code for model-constraint errors. */
export class InvalidParameterError extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('InvalidParameterException', message, options);
  }
}

/** The named log group or stream does not exist. */
export class ResourceNotFoundError extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ResourceNotFoundException', message, options);
  }
}

/** The log group or stream to create exists already. */
export class ResourceAlreadyExistsError extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ResourceAlreadyExistsException', message, options);
  }
}

/** The request is structurally invalid (CloudWatch Logs uses it for mutually exclusive members). */
export class LogsValidationError extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ValidationException', message, options);
  }
}

/** `The specified log group does not exist.` [aws-verified] */
export function logGroupNotFound(): ResourceNotFoundError {
  return new ResourceNotFoundError('The specified log group does not exist.');
}

/** `The specified log stream does not exist.` [aws-verified] */
export function logStreamNotFound(): ResourceNotFoundError {
  return new ResourceNotFoundError('The specified log stream does not exist.');
}

/** `The specified nextToken is invalid.` [aws-verified for GetLogEvents] */
export function invalidNextToken(): InvalidParameterError {
  return new InvalidParameterError('The specified nextToken is invalid.');
}
