/**
 * `ContainerRuntime`: the only way cronbridge touches containers.
 *
 * The ECS task supervisor (src/supervisor/) drives containers through this interface; production uses
 * {@link DockerRuntime} (Docker Engine API, also Podman's Docker-compatible socket) and unit
 * tests use {@link MemoryRuntime}, a scripted fake driven by a ManualClock.
 *
 * Contract notes for the supervisor:
 * - A container's exit code, OOM kill or stop timeout is *data* ({@link ContainerExit}), never an
 *   exception. Exceptions are for the runtime failing: {@link ImagePullError} (→ ECS
 *   `CannotPullContainerError: …`), {@link ContainerStartError} (→ `CannotStartContainerError: …`),
 *   {@link ContainerNotFoundError}, {@link ContainerConflictError} and
 *   {@link RuntimeUnavailableError} (engine down; retry later). They say what failed and carry no
 *   HTTP status; the supervisor turns them into ECS stop reasons (`src/supervisor/stop-reasons.ts`).
 * - Containers are created with Fargate-like confinement: not privileged, no host binds or
 *   devices, Docker's default capabilities minus NET_RAW (plus only what the spec adds),
 *   `no-new-privileges`, a pids limit, no published ports. Only {@link ContainerSpec.hostAccess},
 *   which the ECS layer fills only when the server setting `allowHostAccess` is on, widens that.
 * - Everything needed for recovery after a cronbridge restart lives on the engine: labels carry
 *   cluster / task ARN / container name, {@link ContainerRuntime.listContainers} finds them in any
 *   state, and the engine keeps logs until {@link ContainerRuntime.removeContainer}.
 *
 * @module
 */

/** One Linux resource limit, ECS's `ulimits` entry (`name` such as `nofile`, `nproc`, `core`). */
export interface Ulimit {
  readonly name: string;
  readonly softLimit: number;
  readonly hardLimit: number;
}

/** Everything needed to create one container; mirrors the ECS container definition fields. */
export interface ContainerSpec {
  /** Engine-side container name; must be unique on the engine (conflict otherwise). */
  readonly name: string;
  /** `repo:tag` or `repo@sha256:…`; must already be present ({@link ContainerRuntime.ensureImage}). */
  readonly image: string;
  /** ECS `command` → Docker `Cmd`; replaces the image's CMD. */
  readonly command?: readonly string[];
  /** ECS `entryPoint` → Docker `Entrypoint`; replaces the image's ENTRYPOINT (and drops its CMD). */
  readonly entryPoint?: readonly string[];
  /** Environment variables, added to the image's own. */
  readonly env?: Readonly<Record<string, string>>;
  readonly workingDirectory?: string;
  /** `user`, `user:group`, `uid` or `uid:gid`. */
  readonly user?: string;
  readonly readonlyRootFilesystem?: boolean;
  readonly ulimits?: readonly Ulimit[];
  /**
   * CPU units, 1024 = one vCPU, enforced as a hard quota (Docker `NanoCpus`) as Fargate does at
   * task level. 0 or absent: no limit.
   */
  readonly cpuUnits?: number;
  /** Hard memory limit in MiB; exceeding it gets the container OOM-killed (exit 137). No swap. */
  readonly memoryMiB?: number;
  /** Soft limit in MiB (Docker `MemoryReservation`). */
  readonly memoryReservationMiB?: number;
  /** Default grace period between SIGTERM and SIGKILL for stops that give none. */
  readonly stopTimeoutSeconds?: number;
  /** Docker network mode: `none`, `host`, `bridge` or a network name. Default `none`. */
  readonly networkMode?: string;
  /** Engine labels; the supervisor puts cluster, task ARN and container name here. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Run a tiny init as PID 1 (reaps zombies, forwards signals). Default false. */
  readonly init?: boolean;
  /** Docker health check (ECS `healthCheck`); its status shows in {@link ContainerInfo.health}. */
  readonly healthCheck?: HealthCheckSpec;
  /** Most processes and threads the container may hold at once. Default {@link DEFAULT_PIDS_LIMIT}. */
  readonly pidsLimit?: number;
  /** Capabilities added to the confined default set (ECS `linuxParameters.capabilities.add`). */
  readonly capAdd?: readonly string[];
  /** Capabilities removed from it; `ALL` removes every one (ECS `capabilities.drop`). */
  readonly capDrop?: readonly string[];
  /** What only an operator's `allowHostAccess` permits; absent = Fargate-like confinement. */
  readonly hostAccess?: HostAccessSpec;
}

/** Default pids limit of a container: a fork bomb stops there instead of at the host's limit. */
export const DEFAULT_PIDS_LIMIT = 4096;

/**
 * ECS-on-EC2 features that reach the host, applied as Docker applies them. The ECS layer sets
 * these only when the server setting `allowHostAccess` is on.
 */
export interface HostAccessSpec {
  readonly privileged?: boolean;
  /** `hostPath:containerPath[:ro]` binds (ECS host volumes with their mount points). */
  readonly binds?: readonly string[];
  readonly devices?: readonly {
    hostPath: string;
    containerPath?: string;
    permissions?: readonly string[];
  }[];
  /** Docker `SecurityOpt` entries on top of `no-new-privileges` (ECS `dockerSecurityOptions`). */
  readonly securityOptions?: readonly string[];
  /** `host` shares the host's process namespace (ECS `pidMode: host`). */
  readonly pidMode?: string;
  /** Docker `IpcMode`: `host`, `none`, … (ECS `ipcMode`). */
  readonly ipcMode?: string;
}

/** ECS's health check: `["CMD-SHELL", "cmd"]` or `["CMD", "exe", ...args]`, times in seconds. */
export interface HealthCheckSpec {
  readonly command: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

/** Health as the engine reports it; `none` when the container has no health check. */
export type ContainerHealth = 'none' | 'starting' | 'healthy' | 'unhealthy';

/** Result of {@link ContainerRuntime.ensureImage}. */
export interface ImageInfo {
  /** Engine image id (`sha256:…` of the config). */
  readonly imageId: string;
  /**
   * Manifest digest (`sha256:…`) the image was pulled by, ECS's `imageDigest`; absent for
   * images that never came from a registry (built or imported locally).
   */
  readonly repoDigest?: string;
  /** True when this call pulled it; false when it was already present. */
  readonly pulled: boolean;
}

/** One progress message of an image pull, as the engine reports it. */
export interface PullProgress {
  readonly status: string;
  readonly id?: string;
  readonly progress?: string;
}

export interface EnsureImageOptions {
  /** Called for each progress message while pulling. */
  readonly onProgress?: (event: PullProgress) => void;
  /**
   * Bound on the whole pull, in ms of the runtime's Clock; past it the pull is aborted and an
   * {@link ImagePullError} thrown. A pull from an unreachable registry usually fails fast
   * (connection refused / no such host), but a black-holed network would otherwise hang.
   * Default: 10 minutes.
   */
  readonly timeoutMs?: number;
  /** Aborts the pull; the call then rejects with an {@link ImagePullError} carrying the reason. */
  readonly signal?: AbortSignal;
}

/** How a container ended. An exit code of 137 with `oomKilled` is a memory-limit kill. */
export interface ContainerExit {
  readonly exitCode: number;
  readonly oomKilled: boolean;
  /** Engine-reported error for the container (e.g. it could not be started), if any. */
  readonly error?: string;
}

/** A container's current state as the engine reports it. */
export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  /** `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`. */
  readonly status: string;
  readonly running: boolean;
  /** Exit code once it has exited; undefined while created or running. */
  readonly exitCode?: number;
  readonly oomKilled: boolean;
  /** Epoch ms; undefined before the first start. */
  readonly startedAt?: number;
  /** Epoch ms; undefined until it has exited. */
  readonly finishedAt?: number;
  readonly labels: Readonly<Record<string, string>>;
  /** The image reference the container was created from. */
  readonly image: string;
  readonly imageId: string;
  /** Manifest digest of that image when it came from a registry (ECS `imageDigest`). */
  readonly imageDigest?: string;
  /** Health check status. */
  readonly health: ContainerHealth;
  /**
   * The container's IPv4 address on its network, as the engine assigned it; absent when it has
   * none (network mode `none` or `host`, or not running).
   */
  readonly ipAddress?: string;
}

/** One row of {@link ContainerRuntime.listContainers}. */
export interface ContainerSummary {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly running: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ListContainersOptions {
  /** Only containers carrying all of these labels with these values. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The two output streams of a container. */
export const LOG_STREAMS = ['stdout', 'stderr'] as const;
export type LogStream = (typeof LOG_STREAMS)[number];

/** One complete line of container output (no trailing newline). */
export interface LogLine {
  readonly stream: LogStream;
  readonly line: string;
  /** When the engine received the line, epoch ms (the awslogs event timestamp). */
  readonly timestamp: number;
}

export interface StreamLogsOptions {
  /** Only lines the engine received at or after this instant (epoch ms). */
  readonly since?: number;
  /**
   * Keep following until the container stops (then the iterable ends). With `false`, return
   * what is stored now. Following from the start is lossless even for a container that writes
   * a burst and exits at once: the engine keeps every line until the container is removed.
   */
  readonly follow: boolean;
  /** Ends the iteration early (no error). */
  readonly signal?: AbortSignal;
}

/**
 * Options of calls that hold an engine request open for as long as the container lives.
 *
 * Aborting gives the request up (its connection to the engine is closed at once) and rejects the
 * call with the signal's reason, an `AbortError` by default. An abort says only that the caller
 * stopped listening: it is never reported as the container exiting, and the container is left
 * as it is.
 */
export interface CancellableOptions {
  readonly signal?: AbortSignal;
}

/** One resource-usage sample, for Container Insights-style metrics. */
export interface ContainerStatsSample {
  /** Epoch ms of the sample (engine's clock). */
  readonly timestamp: number;
  /** Cumulative CPU time used, ns. */
  readonly cpuUsageNs: number;
  /** CPU use over the engine's sampling interval, 100 = one full core; undefined if unknown. */
  readonly cpuPercent?: number;
  /** Memory in use without page cache, bytes. */
  readonly memoryBytes: number;
  /** Memory limit in force, bytes (host memory when unlimited). */
  readonly memoryLimitBytes?: number;
}

/** What engine answers, for the start-up summary. */
export interface RuntimeVersion {
  /** `docker`, `podman`, or `memory` for the fake. */
  readonly engine: string;
  readonly version: string;
  readonly apiVersion?: string;
  readonly os?: string;
  readonly arch?: string;
}

/**
 * The container engine as the task supervisor sees it. Every method may throw
 * {@link RuntimeUnavailableError} when the engine does not answer.
 */
export interface ContainerRuntime {
  /** Checks the engine answers; throws {@link RuntimeUnavailableError} otherwise. */
  ping(): Promise<void>;
  version(): Promise<RuntimeVersion>;
  /**
   * Makes `image` available locally, pulling it only when missing.
   * @throws {@link ImagePullError} when the pull fails or times out.
   */
  ensureImage(image: string, options?: EnsureImageOptions): Promise<ImageInfo>;
  /**
   * Creates (does not start) a container; returns its engine id.
   * @throws {@link ContainerConflictError} when the name is taken; {@link ContainerStartError}
   *   when the engine rejects the configuration or the image is missing.
   */
  createContainer(spec: ContainerSpec): Promise<string>;
  /** @throws {@link ContainerStartError} when the engine cannot start it (bad command, …). */
  startContainer(id: string): Promise<void>;
  /**
   * Resolves when the container has exited (at once if it already has). Call after
   * {@link startContainer}: a created, never-started container counts as not running.
   * The engine request stays open until then; `signal` gives it up (see {@link CancellableOptions}).
   */
  waitContainer(id: string, options?: CancellableOptions): Promise<ContainerExit>;
  /**
   * SIGTERM (or the image's STOPSIGNAL), then SIGKILL after `timeoutSeconds`. Resolves once
   * stopped; a container already stopped is fine.
   */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** Sends `signal` (e.g. `SIGKILL`, `SIGTERM`); a container not running is fine. */
  killContainer(id: string, signal: string): Promise<void>;
  /** Removes the container and its logs, stopping it first if needed; a missing one is fine. */
  removeContainer(id: string): Promise<void>;
  /**
   * `options.signal` gives the question up (it rejects with the signal's reason).
   * @throws {@link ContainerNotFoundError}
   */
  inspectContainer(id: string, options?: CancellableOptions): Promise<ContainerInfo>;
  /** Containers in any state (created, running, exited), filtered by labels. */
  listContainers(options?: ListContainersOptions): Promise<ContainerSummary[]>;
  /**
   * The container's output as complete lines in arrival order, stdout and stderr interleaved,
   * each with the engine's timestamp. A final line without newline is delivered at the end.
   * @throws {@link ContainerNotFoundError} (when iteration starts).
   */
  streamLogs(id: string, options: StreamLogsOptions): AsyncIterable<LogLine>;
  /**
   * One resource-usage sample of a running container. The engine takes two readings about a
   * second apart for it; `signal` gives the request up (see {@link CancellableOptions}).
   */
  stats(id: string, options?: CancellableOptions): Promise<ContainerStatsSample>;
}

// The error classes, re-exported so callers import the whole contract from one module.
export {
  ContainerConflictError,
  ContainerNotFoundError,
  ContainerRuntimeError,
  ContainerStartError,
  EngineTimeoutError,
  ImagePullError,
  RuntimeUnavailableError,
} from './runtime.errors.ts';
