/**
 * STS's own error codes (query protocol). The ones STS shares with IAM (`ValidationError`,
 * `MalformedPolicyDocument`, `AccessDenied`) are IAM's classes in iam.errors.ts.
 */
import { ServiceError, type ServiceErrorOptions } from '../platform/errors.ts';

/** The session policies and tags do not fit in a session token (400). */
export class PackedPolicyTooLarge extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('PackedPolicyTooLarge', message, options);
  }
}

/** AWS's denial of AssumeRole: the short form, without a "because …" clause. */
export function assumeRoleDeniedMessage(callerArn: string, roleArn: string): string {
  return `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
}
