/**
 * Where the Docker Engine API lives. Parsed from a `DOCKER_HOST`-style string by whoever owns the
 * environment (the CLI's config, the test support), never read from `process.env` here.
 */
import Docker from 'dockerode';

/** How to reach an engine: a Unix socket (Docker, rootful/rootless Podman) or plain TCP. */
export type DockerConnection =
  | { readonly kind: 'socket'; readonly socketPath: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** Docker's own default socket. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * Parses `DOCKER_HOST` (`unix:///path`, `tcp://host:port`, or a bare socket path); empty or
 * missing means Docker's default socket. Podman users point it at Podman's Docker-compatible
 * socket, e.g. `unix:///run/user/1000/podman/podman.sock`.
 * @throws Error for schemes we do not speak (ssh://, npipe://, TLS-only setups).
 */
export function parseDockerHost(value: string | undefined): DockerConnection {
  const raw = value?.trim() ?? '';
  if (raw === '') return { kind: 'socket', socketPath: DEFAULT_DOCKER_SOCKET };
  if (raw.startsWith('/')) return { kind: 'socket', socketPath: raw };
  if (raw.startsWith('unix://')) {
    const socketPath = raw.slice('unix://'.length);
    if (!socketPath.startsWith('/')) {
      throw new Error(`DOCKER_HOST ${raw}: the socket path must be absolute`);
    }
    return { kind: 'socket', socketPath };
  }
  if (raw.startsWith('tcp://') || raw.startsWith('http://')) {
    const url = new URL(raw.replace(/^tcp:/, 'http:'));
    return { kind: 'tcp', host: url.hostname, port: url.port === '' ? 2375 : Number(url.port) };
  }
  throw new Error(`DOCKER_HOST ${raw}: only unix:// sockets and tcp:// addresses are supported`);
}

/** Human-readable form for messages ("unix:///var/run/docker.sock"). */
export function describeConnection(connection: DockerConnection): string {
  return connection.kind === 'socket'
    ? `unix://${connection.socketPath}`
    : `tcp://${connection.host}:${connection.port}`;
}

/** A dockerode client for `connection`; `timeoutMs` bounds each request (none by default). */
export function dockerClient(connection: DockerConnection, options: { timeoutMs?: number } = {}) {
  const timeout = options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs };
  return connection.kind === 'socket'
    ? new Docker({ socketPath: connection.socketPath, ...timeout })
    : new Docker({ host: connection.host, port: connection.port, protocol: 'http', ...timeout });
}
