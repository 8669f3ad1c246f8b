/**
 * {@link ContainerRuntime} over the Docker Engine API with dockerode.
 *
 * Works against Docker and against Podman's Docker-compatible socket: it uses only endpoints
 * both serve (`/_ping`, `/version`, `/images/create`, `/images/{name}/json`, `/containers/…`)
 * and no Docker-only features (no swarm, no BuildKit, no `one-shot` stats, no events API).
 * Every failure goes through {@link translateDockerError}.
 */
import type Docker from 'dockerode';
import type { Clock } from '../platform/clock.ts';
import type {
  CancellableOptions,
  ContainerExit,
  ContainerHealth,
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  ContainerStatsSample,
  ContainerSummary,
  EnsureImageOptions,
  ImageInfo,
  ListContainersOptions,
  LogLine,
  PullProgress,
  RuntimeVersion,
  StreamLogsOptions,
} from './container-runtime.ts';
import { describeConnection, dockerClient } from './docker-connection.ts';
import type { DockerConnection } from './docker-connection.ts';
import { engineStatus, translateDockerError } from './docker-errors.ts';
import type { DockerErrorContext, DockerOperation } from './docker-errors.ts';
import { toCreateOptions } from './docker-spec.ts';
import { toStatsSample } from './docker-stats.ts';
import type { RawDockerStats } from './docker-stats.ts';
import { LineAssembler, type LogEntry, LogEntryParser, sinceParameter } from './log-lines.ts';
import { ContainerNotFoundError, ImagePullError } from './runtime.errors.ts';

export interface DockerRuntimeOptions {
  /** Where the engine listens (see `parseDockerHost`). */
  readonly connection: DockerConnection;
  /** Drives the ping and pull timeouts. */
  readonly clock: Clock;
  /** Bound on `ping()`. @default 5000 */
  readonly pingTimeoutMs?: number;
  /** Default bound on `ensureImage` pulls. @default 600000 (10 minutes) */
  readonly pullTimeoutMs?: number;
}

/** Entries the first top-up read asks for (see streamLogs); grown 16× while not enough. */
const TOP_UP_FIRST_TAIL = 256;

function sameEntry(a: LogEntry, b: LogEntry): boolean {
  return a.stream === b.stream && a.timestampNs === b.timestampNs && a.text.equals(b.text);
}

/** Docker's "never" instant for StartedAt/FinishedAt. */
const ZERO_TIME_PREFIX = '0001-01-01';

/** Engine time string → epoch ms, or undefined for Docker's zero time / garbage. */
function engineTime(value: string | undefined): number | undefined {
  if (value === undefined || value === '' || value.startsWith(ZERO_TIME_PREFIX)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `repo@sha256:…` entries → the digest of the one matching `image`'s repository, else the first. */
function pickRepoDigest(
  image: string,
  repoDigests: readonly string[] | undefined,
): string | undefined {
  if (!repoDigests || repoDigests.length === 0) return undefined;
  const repository = image.includes('@')
    ? image.slice(0, image.indexOf('@'))
    : image.replace(/:[^:/]+$/, '');
  const match = repoDigests.find((d) => d.startsWith(`${repository}@`)) ?? repoDigests[0];
  return match?.slice(match.indexOf('@') + 1);
}

/** How many more times a SIGKILL exit re-reads the OOM flag. */
const OOM_RECHECKS = 10;

/** The engine's `State.Health.Status`; absent when the container has no health check. */
function healthOf(status: string | undefined): ContainerHealth {
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : 'none';
}

export class DockerRuntime implements ContainerRuntime {
  readonly #docker: Docker;
  readonly #clock: Clock;
  readonly #address: string;
  readonly #pingTimeoutMs: number;
  readonly #pullTimeoutMs: number;

  constructor(options: DockerRuntimeOptions) {
    const { connection } = options;
    this.#docker = dockerClient(connection);
    this.#clock = options.clock;
    this.#address = describeConnection(connection);
    this.#pingTimeoutMs = options.pingTimeoutMs ?? 5000;
    this.#pullTimeoutMs = options.pullTimeoutMs ?? 600_000;
  }

  /** Runs `call`, translating any failure; the single catch site for engine errors. */
  async #call<T>(
    operation: DockerOperation,
    call: () => Promise<T>,
    extra: Omit<DockerErrorContext, 'operation' | 'address'> = {},
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw translateDockerError(error, { operation, address: this.#address, ...extra });
    }
  }

  /**
   * Runs a container call that may be given up through `signal`. dockerode passes `abortSignal`
   * on to the HTTP request, which closes its connection; the call then rejects with the signal's
   * own reason, untranslated: the caller stopped listening, the engine did not fail.
   */
  async #cancellable<T>(
    operation: DockerOperation,
    id: string,
    signal: AbortSignal | undefined,
    call: (abort: { abortSignal?: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    signal?.throwIfAborted();
    try {
      return await this.#call(operation, () => call(signal ? { abortSignal: signal } : {}), {
        containerId: id,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
  }

  async ping(): Promise<void> {
    const controller = new AbortController();
    const timer = this.#clock.setTimer(this.#clock.now() + this.#pingTimeoutMs, () =>
      controller.abort(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })),
    );
    try {
      await this.#call('ping', async () => {
        try {
          // dockerode's ping accepts options (abortSignal) though its typings do not say so.
          const ping = this.#docker.ping as unknown as (opts: {
            abortSignal: AbortSignal;
          }) => Promise<unknown>;
          await ping.call(this.#docker, { abortSignal: controller.signal });
        } catch (error) {
          // An abort surfaces as AbortError; report it as the timeout it is.
          throw controller.signal.aborted ? controller.signal.reason : error;
        }
      });
    } finally {
      timer.cancel();
    }
  }

  async version(): Promise<RuntimeVersion> {
    const info = await this.#call('version', () => this.#docker.version());
    // Podman lists a "Podman Engine" component; Docker lists "Engine".
    const components = (info as { Components?: { Name?: string }[] }).Components ?? [];
    const podman = components.some((c) => /podman/i.test(c.Name ?? ''));
    return {
      engine: podman ? 'podman' : 'docker',
      version: info.Version,
      apiVersion: info.ApiVersion,
      os: info.Os,
      arch: info.Arch,
    };
  }

  async #inspectImage(image: string): Promise<{ Id: string; RepoDigests?: string[] } | undefined> {
    try {
      return await this.#docker.getImage(image).inspect();
    } catch (error) {
      if (engineStatus(error) === 404) return undefined;
      throw translateDockerError(error, {
        operation: 'inspect-image',
        address: this.#address,
        image,
      });
    }
  }

  async ensureImage(image: string, options: EnsureImageOptions = {}): Promise<ImageInfo> {
    const present = await this.#inspectImage(image);
    if (present) {
      const repoDigest = pickRepoDigest(image, present.RepoDigests);
      return { imageId: present.Id, pulled: false, ...(repoDigest ? { repoDigest } : {}) };
    }
    await this.#pull(image, options);
    const pulled = await this.#inspectImage(image);
    if (!pulled) {
      throw new ImagePullError(image, `image ${image} is still missing after a successful pull`);
    }
    const repoDigest = pickRepoDigest(image, pulled.RepoDigests);
    return { imageId: pulled.Id, pulled: true, ...(repoDigest ? { repoDigest } : {}) };
  }

  async #pull(image: string, options: EnsureImageOptions): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.#pullTimeoutMs;
    const controller = new AbortController();
    const timedOut = new ImagePullError(
      image,
      `pull of ${image} did not finish within ${timeoutMs} ms`,
    );
    const timer = this.#clock.setTimer(this.#clock.now() + timeoutMs, () =>
      controller.abort(timedOut),
    );
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.#call(
        'pull',
        async () => {
          try {
            const stream = await this.#docker.pull(image, { abortSignal: controller.signal });
            await new Promise<void>((resolve, reject) => {
              // followProgress fails the pull when any progress message carries an `error`,
              // which is how the engine reports registry failures after the 200 header.
              this.#docker.modem.followProgress(
                stream,
                (error: unknown) => (error ? reject(error) : resolve()),
                (event: PullProgress) => options.onProgress?.(event),
              );
            });
          } catch (error) {
            throw controller.signal.aborted ? controller.signal.reason : error;
          }
        },
        { image },
      );
    } finally {
      timer.cancel();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The engine host's CPU count, asked once (`docker info`); undefined if it cannot say. */
  #hostCpus: Promise<number | undefined> | undefined;

  async createContainer(spec: ContainerSpec): Promise<string> {
    this.#hostCpus ??= this.#docker
      .info()
      .then((info: { NCPU?: number }) => info.NCPU)
      .catch(() => undefined);
    const hostCpus = await this.#hostCpus;
    const container = await this.#call(
      'create',
      () => this.#docker.createContainer(toCreateOptions(spec, hostCpus)),
      {
        image: spec.image,
      },
    );
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    await this.#call('start', () => this.#docker.getContainer(id).start(), { containerId: id });
  }

  async waitContainer(id: string, options: CancellableOptions = {}): Promise<ContainerExit> {
    const result = (await this.#cancellable('wait', id, options.signal, (abort) =>
      this.#docker.getContainer(id).wait(abort),
    )) as { StatusCode: number; Error?: { Message?: string } | null };
    // The wait answer has no OOM flag; the container's state does (kept until removal).
    let { oomKilled } = await this.inspectContainer(id);
    // The engine records an OOM kill from a separate event that can land just after the exit
    // (seen on a loaded host: exit 137, flag still false). A SIGKILL exit asks again a few times
    // (each a round trip to the engine, no timer: tests on a manual clock must not hang), so the
    // task's stop reason says OutOfMemoryError when that is what happened.
    for (let i = 0; result.StatusCode === 137 && !oomKilled && i < OOM_RECHECKS; i++) {
      ({ oomKilled } = await this.inspectContainer(id));
    }
    const error = result.Error?.Message;
    return {
      exitCode: result.StatusCode,
      oomKilled,
      ...(error ? { error } : {}),
    };
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.#docker.getContainer(id).stop({ t: Math.max(0, Math.round(timeoutSeconds)) });
    } catch (error) {
      // 304: already stopped, which is what the caller wanted.
      if (engineStatus(error) === 304) return;
      throw translateDockerError(error, {
        operation: 'stop',
        address: this.#address,
        containerId: id,
      });
    }
  }

  async killContainer(id: string, signal: string): Promise<void> {
    try {
      await this.#docker.getContainer(id).kill({ signal });
    } catch (error) {
      // 409: not running (Docker and Podman both answer so); nothing left to signal.
      if (engineStatus(error) === 409) return;
      throw translateDockerError(error, {
        operation: 'kill',
        address: this.#address,
        containerId: id,
      });
    }
  }

  async removeContainer(id: string): Promise<void> {
    try {
      await this.#docker.getContainer(id).remove({ force: true, v: true });
    } catch (error) {
      // 404: already gone; 409: a removal is already in progress.
      const status = engineStatus(error);
      if (status === 404 || status === 409) return;
      throw translateDockerError(error, {
        operation: 'remove',
        address: this.#address,
        containerId: id,
      });
    }
  }

  async inspectContainer(id: string, options: CancellableOptions = {}): Promise<ContainerInfo> {
    const info = await this.#cancellable('inspect', id, options.signal, (abort) =>
      this.#docker.getContainer(id).inspect(abort),
    );
    const state = info.State;
    const exited = !state.Running && engineTime(state.FinishedAt) !== undefined;
    const startedAt = engineTime(state.StartedAt);
    const finishedAt = engineTime(state.FinishedAt);
    const image = info.Config.Image;
    let imageDigest: string | undefined;
    try {
      imageDigest = pickRepoDigest(image, (await this.#inspectImage(info.Image))?.RepoDigests);
    } catch {
      // The digest is informational; an image removed under a stopped container must not
      // make the container itself uninspectable.
    }
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      status: state.Status,
      running: state.Running,
      oomKilled: state.OOMKilled,
      labels: info.Config.Labels ?? {},
      image,
      imageId: info.Image,
      health: healthOf(state.Health?.Status),
      ...(exited ? { exitCode: state.ExitCode } : {}),
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(finishedAt === undefined ? {} : { finishedAt }),
      ...(imageDigest === undefined ? {} : { imageDigest }),
      ...ipAddressOf(info.NetworkSettings),
    };
  }

  async listContainers(options: ListContainersOptions = {}): Promise<ContainerSummary[]> {
    const label = Object.entries(options.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    const rows = await this.#call('list', () =>
      this.#docker.listContainers({
        all: true,
        ...(label.length > 0 ? { filters: { label } } : {}),
      }),
    );
    return rows.map((row) => ({
      id: row.Id,
      name: (row.Names[0] ?? '').replace(/^\//, ''),
      status: row.State,
      running: row.State === 'running',
      labels: row.Labels ?? {},
    }));
  }

  /** `GET /containers/{id}/logs` with timestamps; a Buffer when not following, else a stream. */
  async #readLogs(
    id: string,
    follow: boolean,
    sinceNs: bigint | undefined,
    signal: AbortSignal | undefined,
    tail?: number,
  ): Promise<Buffer | NodeJS.ReadableStream> {
    const query = {
      stdout: true,
      stderr: true,
      // The engine's own receive time for each line: the awslogs event timestamp, what `since`
      // resumes from, and what de-duplicates the top-up read below.
      timestamps: true,
      ...(sinceNs === undefined ? {} : { since: sinceParameter(sinceNs) }),
      ...(tail === undefined ? {} : { tail }),
      ...(signal ? { abortSignal: signal } : {}),
    };
    const container = this.#docker.getContainer(id);
    return this.#call<Buffer | NodeJS.ReadableStream>(
      'logs',
      () =>
        follow
          ? container.logs({ ...query, follow: true })
          : container.logs({ ...query, follow: false }),
      { containerId: id },
    );
  }

  async *streamLogs(id: string, options: StreamLogsOptions): AsyncIterable<LogLine> {
    const sinceNs = options.since === undefined ? undefined : BigInt(options.since) * 1_000_000n;
    const lines = new LineAssembler(() => this.#clock.now());
    const aborted = () => options.signal?.aborted === true;
    let body: Buffer | NodeJS.ReadableStream;
    try {
      body = await this.#readLogs(id, options.follow, sinceNs, options.signal);
    } catch (error) {
      if (aborted()) return;
      throw error;
    }
    if (Buffer.isBuffer(body)) {
      for (const entry of new LogEntryParser().push(body)) {
        const line = lines.add(entry);
        if (line) yield line;
      }
      yield* lines.end();
      return;
    }

    const parser = new LogEntryParser();
    const stream = body;
    let last: LogEntry | undefined;
    try {
      for await (const chunk of stream) {
        for (const entry of parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))) {
          last = entry;
          const line = lines.add(entry);
          if (line) yield line;
        }
      }
    } catch (error) {
      if (aborted()) return;
      throw translateDockerError(error, {
        operation: 'logs',
        address: this.#address,
        containerId: id,
      });
    } finally {
      (stream as { destroy?: () => void }).destroy?.();
    }
    // The caller stopped early: lines still open may yet be completed, so none are flushed.
    if (aborted()) return;

    // Top-up read (Docker 20.10 can end a follow stream before the last output is stored). The
    // follow stream delivered a prefix of the log in log order, so only what follows the last
    // entry it delivered is missing: read the log's tail (served from the end of the file) and
    // grow it until that entry is in it. Usually a few hundred entries, never the whole log twice.
    for (let tail = TOP_UP_FIRST_TAIL; ; tail *= 16) {
      let rest: Buffer | NodeJS.ReadableStream | undefined;
      try {
        rest = await this.#readLogs(id, false, sinceNs, options.signal, tail);
      } catch (error) {
        // Removed meanwhile: its log went with it; deliver what we have.
        if (!(error instanceof ContainerNotFoundError) && !aborted()) throw error;
      }
      if (aborted()) return;
      if (!Buffer.isBuffer(rest)) break;
      const entries = new LogEntryParser().push(rest);
      const seen = last;
      const at = seen ? entries.findLastIndex((e) => sameEntry(e, seen)) : -1;
      if (at < 0 && entries.length >= tail) continue;
      // Not found in the whole log although something was delivered: no position is known, and
      // re-delivering would duplicate; deliver nothing more.
      const from = at >= 0 || !last ? at + 1 : entries.length;
      for (const entry of entries.slice(from)) {
        const line = lines.add(entry);
        if (line) yield line;
      }
      break;
    }
    yield* lines.end();
  }

  async stats(id: string, options: CancellableOptions = {}): Promise<ContainerStatsSample> {
    // stream=false makes the engine take two readings, so precpu_stats is filled and a CPU
    // percentage can be computed (Docker and Podman alike).
    const raw = await this.#cancellable('stats', id, options.signal, (abort) =>
      // dockerode's stats honours abortSignal though its typings do not list it.
      this.#docker.getContainer(id).stats({ stream: false, ...abort } as { stream: false }),
    );
    return toStatsSample(raw as RawDockerStats, this.#clock.now());
  }
}

/**
 * The address the engine gave a container: its first network's, else the default bridge's.
 * Docker reports an empty string, not nothing, for a container without one.
 */
function ipAddressOf(
  settings: { IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> } | undefined,
): { ipAddress?: string } {
  const candidates = [
    ...Object.values(settings?.Networks ?? {}).map((n) => n.IPAddress),
    settings?.IPAddress,
  ];
  const ipAddress = candidates.find((a) => typeof a === 'string' && a !== '');
  return ipAddress ? { ipAddress } : {};
}
