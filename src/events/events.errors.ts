/**
 * AWS-shaped errors of the EventBridge rules domain. `code` is EventBridge's `__type`; every client
 * error is HTTP 400 (aws-semantics.md §2.3, §6.4) and `InternalException` is a 500 fault. Messages
 * are AWS's own where the reference marks them verified; the others say so in a comment.
 */
import {
  SerializationException,
  ServiceError,
  type ServiceErrorOptions,
  ValidationException,
} from '../platform/errors.ts';

export { SerializationException, ValidationException };

/** A rule or event bus does not exist. */
export class ResourceNotFoundException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ResourceNotFoundException', message, options);
  }
}

/** A quota is exceeded (e.g. a sixth target on a rule). */
export class LimitExceededException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('LimitExceededException', message, options);
  }
}

/** `EventPattern` is not a valid pattern. */
export class InvalidEventPatternException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('InvalidEventPatternException', message, options);
  }
}

/** The event bus to create exists already. */
export class ResourceAlreadyExistsException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ResourceAlreadyExistsException', message, options);
  }
}

/** Two writers raced on one resource (HTTP 400 per the reference, unconfirmed). */
export class ConcurrentModificationException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ConcurrentModificationException', message, options);
  }
}

/** An unexpected server-side failure. */
export class InternalException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('InternalException', message, { ...options, httpStatus: 500, fault: 'server' });
  }
}

/** `Rule <name> does not exist on EventBus <bus>.` [aws-verified] */
export function ruleNotFound(name: string, busName: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Rule ${name} does not exist on EventBus ${busName}.`);
}

/** `Event bus <name> does not exist.` [aws-verified] */
export function busNotFound(busName: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Event bus ${busName} does not exist.`);
}

/** `The requested resource exceeds the maximum number allowed.` [aws-verified] */
export function tooManyTargets(): LimitExceededException {
  return new LimitExceededException('The requested resource exceeds the maximum number allowed.');
}
