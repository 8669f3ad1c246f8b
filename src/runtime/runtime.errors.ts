/**
 * Errors of the container runtime. They are server-side faults from an API client's point of
 * view (a task that cannot start is reported on the task, not thrown at the caller of RunTask),
 * so they extend {@link ServiceError} with `fault: 'server'`. Codes that ECS shows in a task's
 * `stoppedReason` (`CannotPullContainerError`, `CannotStartContainerError`) are used as-is so the
 * supervisor can write `${error.code}: ${error.message}`.
 */
import { ServiceError } from '../platform/errors.ts';

interface RuntimeErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  httpStatus?: number;
}

/** Base of every runtime error. */
export class ContainerRuntimeError extends ServiceError {
  constructor(code: string, message: string, options: RuntimeErrorOptions = {}) {
    super(code, message, {
      fault: 'server',
      httpStatus: options.httpStatus ?? 500,
      retryable: options.retryable ?? false,
      cause: options.cause,
    });
  }

  /** The form ECS puts in `stoppedReason`: `<code>: <message>`. */
  toReason(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** No engine answers at the configured address. Retryable: the engine may come back. */
export class RuntimeUnavailableError extends ContainerRuntimeError {
  readonly address: string;

  constructor(address: string, detail: string, options: { cause?: unknown } = {}) {
    super(
      'ContainerRuntimeUnavailable',
      `No container engine answers at ${address} (${detail}). Start Docker (e.g. \`dockerd\` as root, ` +
        `or \`systemctl start docker\`) or Podman's API service (\`podman system service\`), or set ` +
        `DOCKER_HOST to the engine's socket (unix:///path/to/docker.sock).`,
      { cause: options.cause, retryable: true, httpStatus: 503 },
    );
    this.address = address;
  }
}

/** The image could not be pulled; `message` is the engine's own explanation. */
export class ImagePullError extends ContainerRuntimeError {
  readonly image: string;

  constructor(image: string, engineMessage: string, options: { cause?: unknown } = {}) {
    super('CannotPullContainerError', engineMessage, { cause: options.cause, retryable: true });
    this.image = image;
  }
}

/** The engine refused to create or start the container (bad command, missing image, …). */
export class ContainerStartError extends ContainerRuntimeError {
  constructor(engineMessage: string, options: { cause?: unknown } = {}) {
    super('CannotStartContainerError', engineMessage, { cause: options.cause });
  }
}

/** No container with this id or name exists (any more). */
export class ContainerNotFoundError extends ContainerRuntimeError {
  readonly containerId: string;

  constructor(containerId: string, engineMessage?: string, options: { cause?: unknown } = {}) {
    super('ContainerNotFound', engineMessage ?? `No such container: ${containerId}`, {
      cause: options.cause,
      httpStatus: 404,
    });
    this.containerId = containerId;
  }
}

/** The request conflicts with the container's state or another container (name in use, …). */
export class ContainerConflictError extends ContainerRuntimeError {
  constructor(engineMessage: string, options: { cause?: unknown } = {}) {
    super('ContainerConflict', engineMessage, { cause: options.cause, httpStatus: 409 });
  }
}
