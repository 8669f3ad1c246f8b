/**
 * ECS's error codes. Client errors are HTTP 400 with a `{"__type", "message"}` body; the HTTP
 * layer serialises them. Messages marked in comments as ours are not confirmed against AWS.
 */
import { ServiceError } from '../platform/errors.ts';

/** A request ECS refuses as the caller's mistake (unknown resources, bad definitions). */
export class ClientException extends ServiceError {
  constructor(message: string) {
    super('ClientException', message);
  }
}

/** A parameter is out of range or inconsistent with another. */
export class InvalidParameterException extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterException', message);
  }
}

export class ClusterNotFoundException extends ServiceError {
  constructor() {
    super('ClusterNotFoundException', 'Cluster not found.');
  }
}

export class ClusterContainsTasksException extends ServiceError {
  constructor() {
    super('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
  }
}

/** The ECS model's member constraints, in AWS's "1 validation error detected" form. */
export class EcsValidationError extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterException', message);
  }
}
