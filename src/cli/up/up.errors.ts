/**
 * The start-up failures of `cronbridge up` that an operator fixes outside cronbridge (no engine
 * at the Docker address, the port taken), turned into one message that says what was tried and
 * what to do. Anything else is a bug or an unexpected fault and keeps its own message.
 */
import type { RuntimeUnavailableError } from '../../runtime/container-runtime.ts';
import type { StoreDamagedError } from '../../store/store.ts';
import type { DataDirLockedError } from './data-dir-lock.ts';

/** A start-up failure with its message already written for the operator. */
export class UpStartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'UpStartupError';
  }
}

/** Where the Docker address came from, for the message ("from DOCKER_HOST"). */
export type DockerHostSource = '--docker-host' | 'DOCKER_HOST' | 'config file' | 'default';

/** The engine-specific part of RuntimeUnavailableError's message ("no socket at that path"). */
function unreachableDetail(error: RuntimeUnavailableError): string {
  const match = /answers at \S+ \((.*?)\)\. /.exec(error.message);
  return match?.[1] ?? error.message;
}

/** No engine answered at the configured address. */
export function dockerUnavailable(
  error: RuntimeUnavailableError,
  address: string,
  source: DockerHostSource,
): UpStartupError {
  const origin =
    source === 'default' ? "Docker's default socket; no DOCKER_HOST was set" : `from ${source}`;
  return new UpStartupError(
    [
      `cannot reach a container engine at ${address} (${origin}): ${unreachableDetail(error)}.`,
      'To fix it, either:',
      '  - start Docker: `sudo systemctl start docker` (or run `dockerd` as root);',
      '  - point cronbridge at a running engine: DOCKER_HOST=unix:///path/to/docker.sock or ' +
        '--docker-host tcp://127.0.0.1:2375;',
      '  - use Podman: run `podman system service --time=0` and set ' +
        'DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock.',
    ].join('\n'),
    1,
    { cause: error },
  );
}

/** A DOCKER_HOST value we cannot use at all (ssh://, relative socket path). */
export function dockerHostInvalid(error: Error, source: DockerHostSource): UpStartupError {
  const origin = source === 'default' ? 'the default' : `from ${source}`;
  return new UpStartupError(
    `unusable container engine address (${origin}): ${error.message}. ` +
      'Use unix:///path/to/docker.sock or tcp://host:port.',
    2,
    { cause: error },
  );
}

/**
 * The API would listen on a network address while anyone who knows the well-known default
 * secret could sign as root, and so start containers on this host.
 */
export function defaultSecretOnNetwork(host: string): UpStartupError {
  return new UpStartupError(
    `refusing to listen on ${host} with the default root secret ('test'): anyone who can reach ` +
      'the port could sign requests as root and run containers on this host. Set ' +
      'rootSecretAccessKey (CRONBRIDGE_ROOT_SECRET_ACCESS_KEY, or the config file) to a secret ' +
      'of your own, or listen on a loopback address (--host 127.0.0.1).',
    2,
  );
}

/** `listen()` failed: the port is taken, or binding is not allowed. */
export function listenFailed(error: unknown, host: string, port: number): UpStartupError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') {
    return new UpStartupError(
      `port ${port} on ${host} is already in use (another cronbridge or LocalStack?). ` +
        'Stop that process, or pick another port with --port (0 picks a free one) or ' +
        'CRONBRIDGE_PORT.',
      1,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new UpStartupError(
      `not allowed to listen on ${host}:${port} (ports below 1024 need privileges). ` +
        'Pick another port with --port.',
      1,
      { cause: error },
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new UpStartupError(
      `cannot listen on ${host}: no such local address. Use --host 127.0.0.1 (this machine ` +
        'only) or --host 0.0.0.0 (every interface).',
      1,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpStartupError(`cannot listen on ${host}:${port}: ${message}`, 1, { cause: error });
}

/** Another `cronbridge up` holds the data directory (its message names the pid and address). */
export function dataDirInUse(error: DataDirLockedError): UpStartupError {
  return new UpStartupError(error.message, 1, { cause: error });
}

/** The store file is damaged or not a database: its message names the file and the remedies. */
export function storeDamaged(error: StoreDamagedError): UpStartupError {
  return new UpStartupError(error.message, 1, { cause: error });
}
