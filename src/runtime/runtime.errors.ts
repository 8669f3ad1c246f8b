/**
 * Errors of the container runtime: what failed and why, nothing more. They carry no HTTP status
 * and no AWS fault: a runtime error is not an API error. Whoever hands one on to a client
 * translates it at its own boundary (the supervisor turns them into ECS stop reasons in
 * `src/supervisor/stop-reasons.ts`). The `code` names the kind of failure; the ones ECS also uses
 * (`CannotPullContainerError`, `CannotStartContainerError`) keep ECS's spelling so that the
 * translation stays a plain `<code>: <message>`.
 */

interface RuntimeErrorOptions {
  cause?: unknown;
  retryable?: boolean;
}

/** Base of every runtime error. */
export class ContainerRuntimeError extends Error {
  /** The kind of failure; also the error's `name`. */
  readonly code: string;
  /** Whether the same call may succeed later (the engine may come back, a registry may answer). */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: RuntimeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.code = code;
    this.retryable = options.retryable ?? false;
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
      { cause: options.cause, retryable: true },
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
    });
    this.containerId = containerId;
  }
}

/** The request conflicts with the container's state or another container (name in use, …). */
export class ContainerConflictError extends ContainerRuntimeError {
  constructor(engineMessage: string, options: { cause?: unknown } = {}) {
    super('ContainerConflict', engineMessage, { cause: options.cause });
  }
}

/**
 * The engine did not answer a call within its bound (see `timed-runtime.ts`): it hangs, or is
 * too overloaded to be of use. Retryable: it may come back.
 */
export class EngineTimeoutError extends ContainerRuntimeError {
  /** The call that went unanswered (`create`, `start`, `pull`, …). */
  readonly operation: string;
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number) {
    super(
      'ContainerRuntimeTimeout',
      `the container engine did not answer ${operation} within ${timeoutMs} ms`,
      { retryable: true },
    );
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}
