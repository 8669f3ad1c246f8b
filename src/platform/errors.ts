/**
 * One catalogue of AWS-shaped errors. Domain code throws these; only the HTTP layer (and the CLI,
 * for its own exit codes) turns them into wire shapes.
 */

export type Fault = 'client' | 'server';

export interface ServiceErrorOptions {
  /** HTTP status AWS answers with for this error; 400 unless said otherwise. */
  httpStatus?: number;
  fault?: Fault;
  retryable?: boolean;
  cause?: unknown;
  /** Members the error shape carries besides its message (ECS's `resourceIds`, say). */
  members?: Record<string, unknown>;
}

/** Base of every error that reaches an API client. `code` is AWS's `__type`. */
export class ServiceError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly fault: Fault;
  readonly retryable: boolean;
  readonly members: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: ServiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.code = code;
    this.httpStatus = options.httpStatus ?? (options.fault === 'server' ? 500 : 400);
    this.fault = options.fault ?? (this.httpStatus >= 500 ? 'server' : 'client');
    this.retryable = options.retryable ?? this.fault === 'server';
    this.members = options.members ?? {};
  }
}

/** `ValidationException`: the request breaks a constraint of the service's model. */
export class ValidationException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('ValidationException', message, options);
  }
}

/**
 * `SerializationException`: the body is not valid JSON, or a member has the wrong JSON type. AWS's
 * JSON services answer both with it, HTTP 400, before any constraint is checked (e.g. the
 * real-world text `STRING_VALUE can not be converted to an Integer`). The HTTP edge raises it for
 * bodies, EventBridge's validator for members.
 */
export class SerializationException extends ServiceError {
  constructor(message: string, options: ServiceErrorOptions = {}) {
    super('SerializationException', message, options);
  }
}

/** Turns anything thrown into an `Error`, so catch blocks have one shape to deal with. */
export function coerceError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
