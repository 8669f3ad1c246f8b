/**
 * The one authorization hook of the API. After a request has been routed to a module and an
 * operation, and before its input is decoded or its handler runs, the server asks the authorizer
 * whether the caller may call it; this happens the same way for every protocol. A denial is a
 * thrown ServiceError, which the request's protocol codec encodes like any other error.
 *
 * The default allows everything to an authenticated caller (signatures are verified before the
 * authorizer runs); the policy step of the IAM issue replaces it with a policy check on the
 * verified caller (`Caller.principal`).
 */
import { ServiceError, type ServiceErrorOptions } from '../platform/errors.ts';
import type { Caller, ServiceModule } from './api.types.ts';

/** Everything an authorizer may base its decision on. */
export interface AuthorizationRequest {
  readonly requestId: string;
  /** Region, access key and signing service of the request, and whether they were verified. */
  readonly caller: Caller;
  /** Signing name of the addressed module (`ecs`, `scheduler`, …): the IAM action's prefix. */
  readonly service: string;
  readonly module: ServiceModule;
  /** Operation name as in the model (`RunTask`, `CreateSchedule`): the IAM action's name. */
  readonly operation: string;
}

/** Resolves to allow; throws a ServiceError (e.g. {@link AccessDeniedException}) to deny. */
export type Authorizer = (request: AuthorizationRequest) => void | Promise<void>;

/** The default: every caller may call every operation. */
export const allowAll: Authorizer = () => {};

/**
 * The caller may not perform the operation. 400 by default, as ECS and the other awsJson services
 * answer it; pass `httpStatus: 403` where a service's model says so.
 */
export class AccessDeniedException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('AccessDeniedException', message, options);
  }
}
