/**
 * Authentication failures in each protocol family's own spelling. The verifier (sigv4-verify.ts)
 * says *what* failed; {@link authenticationError} picks the class AWS's services of that family
 * answer with. Statuses and codes of the query family are AWS's documented common errors
 * (IncompleteSignature 400, InvalidClientTokenId 403, MissingAuthenticationToken 403,
 * RequestExpired 400); the others are as observed from AWS and marked ⚠ where unconfirmed.
 */
import { ServiceError } from '../platform/errors.ts';
import type { AuthFailure as Failure } from './authentication.types.ts';

const MISSING_JSON = 'Missing Authentication Token';
const MISSING_QUERY =
  'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.';

// ── awsJson (ECS, Events, Logs) and restJson1 (Scheduler) ──────────────────────────────────────

/** ⚠ 400 for awsJson as DynamoDB/ECS answer; restJson1 services fronted by API Gateway use 403. */
export class MissingAuthenticationTokenException extends ServiceError {
  constructor(message: string, httpStatus: number) {
    super('MissingAuthenticationTokenException', message, { httpStatus });
  }
}

/** Unknown access key (⚠ 400 for awsJson, 403 for restJson1). */
export class UnrecognizedClientException extends ServiceError {
  constructor(message: string, httpStatus: number) {
    super('UnrecognizedClientException', message, { httpStatus });
  }
}

/** Wrong signature, wrong scope, or a skewed clock ("Signature expired: …"). */
export class InvalidSignatureException extends ServiceError {
  constructor(message: string, httpStatus: number) {
    super('InvalidSignatureException', message, { httpStatus });
  }
}

/** Malformed `Authorization` header or presigned parameters. */
export class IncompleteSignatureException extends ServiceError {
  constructor(message: string, httpStatus: number) {
    super('IncompleteSignatureException', message, { httpStatus });
  }
}

/** Temporary credentials past their expiry (⚠ 400 for awsJson, 403 for restJson1). */
export class ExpiredTokenException extends ServiceError {
  constructor(message: string, httpStatus: number) {
    super('ExpiredTokenException', message, { httpStatus });
  }
}

// ── query (IAM, STS) ───────────────────────────────────────────────────────────────────────────

export class MissingAuthenticationToken extends ServiceError {
  constructor() {
    super('MissingAuthenticationToken', MISSING_QUERY, { httpStatus: 403 });
  }
}

export class InvalidClientTokenId extends ServiceError {
  constructor(message: string) {
    super('InvalidClientTokenId', message, { httpStatus: 403 });
  }
}

/** ⚠ 403, as STS and IAM answer it (not in the common-errors list). Also skew and expiry. */
export class SignatureDoesNotMatch extends ServiceError {
  constructor(message: string) {
    super('SignatureDoesNotMatch', message, { httpStatus: 403 });
  }
}

/** ⚠ 403, as STS and IAM answer an expired session token (SDK logs show 403). */
export class ExpiredToken extends ServiceError {
  constructor(message: string) {
    super('ExpiredToken', message, { httpStatus: 403 });
  }
}

export class IncompleteSignature extends ServiceError {
  constructor(message: string) {
    super('IncompleteSignature', message, { httpStatus: 400 });
  }
}

// ── ec2 ────────────────────────────────────────────────────────────────────────────────────────

/** ⚠ EC2 answers an unknown key and a wrong signature alike, with 401. */
export class AuthFailure extends ServiceError {
  constructor(message: string) {
    super('AuthFailure', message, { httpStatus: 401 });
  }
}

/** ⚠ EC2's answer to an unsigned request. */
export class MissingParameter extends ServiceError {
  constructor(message: string) {
    super('MissingParameter', message, { httpStatus: 400 });
  }
}

/** EC2: the request's time is more than 15 minutes away, or a presigned URL has expired. */
export class RequestExpired extends ServiceError {
  constructor(message: string) {
    super('RequestExpired', message, { httpStatus: 400 });
  }
}

/** The protocol families that spell authentication errors differently. */
export type AuthErrorFamily = 'json' | 'rest' | 'query' | 'ec2';

/** The error AWS's services of `family` answer for `failure`. */
export function authenticationError(family: AuthErrorFamily, failure: Failure): ServiceError {
  const { kind, message } = failure;
  if (family === 'query') {
    if (kind === 'missing') return new MissingAuthenticationToken();
    if (kind === 'incomplete') return new IncompleteSignature(message);
    if (kind === 'unknownKey') return new InvalidClientTokenId(message);
    if (kind === 'expiredToken') return new ExpiredToken(message);
    return new SignatureDoesNotMatch(message);
  }
  if (family === 'ec2') {
    if (kind === 'missing') {
      return new MissingParameter('The request must contain the parameter AWSAccessKeyId');
    }
    if (kind === 'incomplete') return new IncompleteSignature(message);
    if (kind === 'expired') return new RequestExpired(`Request has expired. ${message}`);
    // EC2 says the same of expired temporary credentials as of a stale signature.
    if (kind === 'expiredToken') return new RequestExpired('Request has expired.');
    if (kind === 'unknownKey') {
      return new AuthFailure('AWS was not able to validate the provided access credentials');
    }
    return new AuthFailure(message);
  }
  const status = family === 'rest' ? 403 : 400;
  if (kind === 'missing') return new MissingAuthenticationTokenException(MISSING_JSON, status);
  if (kind === 'incomplete') return new IncompleteSignatureException(message, status);
  if (kind === 'unknownKey') return new UnrecognizedClientException(message, status);
  if (kind === 'expiredToken') return new ExpiredTokenException(message, status);
  return new InvalidSignatureException(message, status);
}
