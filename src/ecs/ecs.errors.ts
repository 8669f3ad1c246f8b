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

/** The named cluster does not exist or is INACTIVE (ECS's text, verbatim). */
export class ClusterNotFoundException extends ServiceError {
  constructor() {
    super('ClusterNotFoundException', 'Cluster not found.');
  }
}

/** DeleteCluster while tasks are not yet STOPPED (ECS's text, verbatim). */
export class ClusterContainsTasksException extends ServiceError {
  constructor() {
    super('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
  }
}

/** A tagged resource that does not exist (ECS's `ResourceNotFoundException`). */
export class ResourceNotFoundException extends ServiceError {
  constructor(message: string) {
    super('ResourceNotFoundException', message);
  }
}

/** RunTask named a Fargate platform version that does not exist. */
export class PlatformUnknownException extends ServiceError {
  constructor(message: string) {
    super('PlatformUnknownException', message);
  }
}

/**
 * RunTask reused a client token with different parameters. `resourceIds` names the tasks the
 * token already created (the member ECS's model gives this error); the message is ours ⚠.
 */
export class ConflictException extends ServiceError {
  constructor(taskArns: readonly string[]) {
    super(
      'ConflictException',
      'The clientToken is already in use with a different RunTask request. Retry with the original parameters or a new clientToken.',
      { members: { resourceIds: [...taskArns] } },
    );
  }
}
