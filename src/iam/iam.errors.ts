/**
 * AWS-shaped errors of the IAM domain. The class name is IAM's error code; HTTP statuses follow
 * the IAM model (`NoSuchEntity` 404, `EntityAlreadyExists` and `DeleteConflict` 409, the rest 400).
 */
import { ServiceError, type ServiceErrorOptions } from '../platform/errors.ts';

/** The named role, inline policy or managed policy does not exist (404). */
export class NoSuchEntity extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('NoSuchEntity', message, { httpStatus: 404, ...options });
  }
}

/** A role or policy of that name exists already (409). */
export class EntityAlreadyExists extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('EntityAlreadyExists', message, { httpStatus: 409, ...options });
  }
}

/** The policy document is not valid JSON or not a valid policy (400). */
export class MalformedPolicyDocument extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('MalformedPolicyDocument', message, options);
  }
}

/** The entity still has something attached that must go first (409). */
export class DeleteConflict extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('DeleteConflict', message, { httpStatus: 409, ...options });
  }
}

/** IAM's name for a model-constraint violation (the awsJson services say `ValidationException`). */
export class ValidationError extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ValidationError', message, options);
  }
}

/** A parameter is invalid in a way the model cannot express (400). */
export class InvalidInput extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('InvalidInput', message, options);
  }
}

/** An account quota would be exceeded, e.g. a third access key of one user (409). */
export class LimitExceeded extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('LimitExceeded', message, { httpStatus: 409, ...options });
  }
}

/** `The user with name X cannot be found.` */
export function userNotFound(name: string): NoSuchEntity {
  return new NoSuchEntity(`The user with name ${name} cannot be found.`);
}

/**
 * The caller may not perform the operation: IAM's and STS's code (query protocol), HTTP 403.
 * The awsJson services say `AccessDeniedException` (see src/api/authorizer.ts). The message is
 * AWS's form, built by `accessDeniedMessage` from a policy decision.
 */
export class AccessDenied extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('AccessDenied', message, { httpStatus: 403, ...options });
  }
}

/** `The role with name X cannot be found.` */
export function roleNotFound(name: string): NoSuchEntity {
  return new NoSuchEntity(`The role with name ${name} cannot be found.`);
}

/** `Policy <arn> does not exist or is not attachable.` */
export function policyNotFound(arn: string): NoSuchEntity {
  return new NoSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
}
