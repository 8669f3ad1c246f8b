/**
 * The one authorization hook of the API. After a request has been routed to a module and an
 * operation and its input decoded, and before its handler runs, the server asks the authorizer
 * whether the caller may call it; this happens the same way for every protocol. A denial is a
 * thrown ServiceError, which the request's protocol codec encodes like any other error.
 *
 * `allowAll` lets every authenticated caller do everything (signatures are verified before the
 * authorizer runs); the engine installs the IAM policy check (policy-authorizer.ts) instead.
 */
import { ServiceError, type ServiceErrorOptions } from '../platform/errors.ts';
import type { AwsContext } from '../platform/ids.ts';
import type { Caller, ServiceModule } from './api.types.ts';

/** Everything an authorizer may base its decision on. */
export interface AuthorizationRequest {
  readonly requestId: string;
  /** Region, access key and signing service of the request, and whether they were verified. */
  readonly caller: Caller;
  /** Partition, account and region the request runs in (the region is the caller's). */
  readonly aws: AwsContext;
  /** Signing name of the addressed module (`ecs`, `scheduler`, …): the IAM action's prefix. */
  readonly service: string;
  readonly module: ServiceModule;
  /** Operation name as in the model (`RunTask`, `CreateSchedule`): the IAM action's name. */
  readonly operation: string;
  /**
   * The decoded input (JSON members, or the flat query parameters): resources and condition keys
   * are read from it.
   */
  readonly input: Readonly<Record<string, unknown>>;
}

/** Resolves to allow; throws a ServiceError (e.g. {@link AccessDeniedException}) to deny. */
export type Authorizer = (request: AuthorizationRequest) => void | Promise<void>;

/** The default: every caller may call every operation. */
export const allowAll: Authorizer = () => {};

/**
 * The caller may not perform the operation (awsJson and restJson services). 400 by default, as
 * Logs and EventBridge answer it; pass `httpStatus: 403` where a service's model says so (ECS,
 * Scheduler).
 */
export class AccessDeniedException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('AccessDeniedException', message, options);
  }
}

/** EC2's denial (HTTP 403): `You are not authorized to perform this operation.` */
export class UnauthorizedOperation extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('UnauthorizedOperation', message, { httpStatus: 403, ...options });
  }
}
