/**
 * The one place where Docker Engine API failures (as dockerode/docker-modem report them) become
 * typed runtime errors. Every DockerRuntime method funnels its catch through
 * {@link translateDockerError}, so the supervisor never sees an HTTP status or errno.
 */
import { coerceError } from '../platform/errors.ts';
import {
  ContainerConflictError,
  ContainerNotFoundError,
  ContainerRuntimeError,
  ContainerStartError,
  ImagePullError,
  RuntimeUnavailableError,
} from './runtime.errors.ts';

/** What the runtime was doing; decides which typed error a failure becomes. */
export type DockerOperation =
  | 'ping'
  | 'version'
  | 'pull'
  | 'inspect-image'
  | 'create'
  | 'start'
  | 'wait'
  | 'stop'
  | 'kill'
  | 'remove'
  | 'inspect'
  | 'list'
  | 'logs'
  | 'stats';

export interface DockerErrorContext {
  readonly operation: DockerOperation;
  /** Engine address, for the "engine unavailable" message. */
  readonly address: string;
  readonly containerId?: string;
  readonly image?: string;
}

/** Socket-level failures meaning "nothing (usable) listens there". */
const UNREACHABLE_CODES: Readonly<Record<string, string>> = {
  ENOENT: 'no socket at that path',
  ECONNREFUSED: 'connection refused',
  EACCES: 'permission denied on the socket; run as root or join the docker group',
  EPERM: 'permission denied on the socket',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENOTFOUND: 'host name not found',
  ECONNRESET: 'connection reset by the engine',
  EPIPE: 'connection closed by the engine',
};

interface ModemErrorShape {
  statusCode?: unknown;
  code?: unknown;
  json?: unknown;
  message?: unknown;
}

/** HTTP status of an engine answer, when the failure is one. */
export function engineStatus(error: unknown): number | undefined {
  const status = (error as ModemErrorShape | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The engine's own message: the JSON body's `message` when there is one, else docker-modem's
 * text without its `(HTTP code N) reason - ` prefix.
 */
export function engineMessage(error: unknown): string {
  const shape = (error ?? {}) as ModemErrorShape;
  const json = shape.json;
  if (json !== null && typeof json === 'object' && !Buffer.isBuffer(json)) {
    const message = (json as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message.trim();
  }
  const text = coerceError(error).message;
  return text.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** Translates any failure of a Docker call into a typed runtime error (never returns others). */
export function translateDockerError(
  error: unknown,
  context: DockerErrorContext,
): ContainerRuntimeError {
  if (error instanceof ContainerRuntimeError) return error;
  const status = engineStatus(error);
  const code = (error as ModemErrorShape | null)?.code;
  if (status === undefined && typeof code === 'string' && code in UNREACHABLE_CODES) {
    return new RuntimeUnavailableError(context.address, `${code}: ${UNREACHABLE_CODES[code]}`, {
      cause: error,
    });
  }
  const message = engineMessage(error);
  if (context.operation === 'pull') {
    return new ImagePullError(context.image ?? '', message, { cause: error });
  }
  if (status === 404 && context.operation !== 'create' && context.operation !== 'inspect-image') {
    return new ContainerNotFoundError(context.containerId ?? '', message, { cause: error });
  }
  if (status === 409) return new ContainerConflictError(message, { cause: error });
  if (context.operation === 'create' || context.operation === 'start') {
    return new ContainerStartError(message, { cause: error });
  }
  return new ContainerRuntimeError(
    'ContainerRuntimeError',
    `${context.operation} failed: ${message}`,
    {
      cause: error,
      retryable: status === undefined || status >= 500,
    },
  );
}
