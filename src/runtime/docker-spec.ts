/**
 * ContainerSpec → Docker Engine API `POST /containers/create` body. Pure, so the mapping of ECS
 * fields (cpu units, MiB, ulimits, …) is unit-tested without an engine.
 */
import type Docker from 'dockerode';
import { type ContainerSpec, DEFAULT_PIDS_LIMIT } from './container-runtime.ts';

const MIB = 1024 * 1024;

/** Fargate's unit: 1024 CPU units are one vCPU. */
export const CPU_UNITS_PER_VCPU = 1024;

/** CPU units → Docker `NanoCpus` (1e9 = one CPU). 0 or undefined: no limit. */
export function cpuUnitsToNanoCpus(cpuUnits: number | undefined): number | undefined {
  if (cpuUnits === undefined || cpuUnits <= 0) return undefined;
  return Math.round((cpuUnits * 1e9) / CPU_UNITS_PER_VCPU);
}

/** MiB → bytes, or undefined when unset or 0. */
export function mibToBytes(mib: number | undefined): number | undefined {
  if (mib === undefined || mib <= 0) return undefined;
  return Math.round(mib * MIB);
}

/**
 * Docker's default capability set without NET_RAW, which Fargate containers lack (raw sockets:
 * ping fails there; ⚠ reported by users, not in ECS's documentation). Every container starts
 * from `CapDrop: ALL` and gets back exactly these, so an engine whose defaults differ (Podman,
 * a daemon.json `default-capabilities`) cannot widen them.
 */
export const CONFINED_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
] as const;

/** The capabilities a container gets: the confined set minus `capDrop`, plus `capAdd`. */
export function capabilitiesOf(spec: Pick<ContainerSpec, 'capAdd' | 'capDrop'>): string[] {
  // Names as ECS writes them (`SYS_PTRACE`) or with the kernel's prefix; anything else is ignored.
  const names = (list: readonly unknown[] | undefined) =>
    (Array.isArray(list) ? list : [])
      .filter((cap): cap is string => typeof cap === 'string')
      .map((cap) => cap.toUpperCase().replace(/^CAP_/, ''));
  const drop = new Set(names(spec.capDrop));
  const base = drop.has('ALL') ? [] : CONFINED_CAPABILITIES.filter((c) => !drop.has(c));
  return [...new Set([...base, ...names(spec.capAdd)])];
}

/**
 * Builds the create body. Confinement follows Fargate: not privileged, no binds, volumes or
 * devices from the host, the confined capability set, `no-new-privileges` (setuid binaries
 * cannot raise privileges), a pids limit, no published ports, no swap beyond the hard limit.
 * Only `spec.hostAccess` (the server setting `allowHostAccess`) widens it.
 */
export function toCreateOptions(
  spec: ContainerSpec,
  /** The engine host's CPU count: a quota above it is refused by the engine, so it is capped. */
  hostCpus?: number,
): Docker.ContainerCreateOptions {
  const memory = mibToBytes(spec.memoryMiB);
  const host = spec.hostAccess ?? {};
  const hostConfig: Docker.HostConfig = {
    NetworkMode: spec.networkMode ?? 'none',
    Privileged: host.privileged === true,
    CapDrop: ['ALL'],
    CapAdd: capabilitiesOf(spec),
    SecurityOpt: ['no-new-privileges:true', ...(host.securityOptions ?? [])],
    PidsLimit: spec.pidsLimit ?? DEFAULT_PIDS_LIMIT,
    Binds: [...(host.binds ?? [])],
    PublishAllPorts: false,
    ReadonlyRootfs: spec.readonlyRootFilesystem ?? false,
    Init: spec.init ?? false,
    // The engine must keep every line until the container is removed: the log pipeline reads
    // them back from the start. Podman's compat API accepts `json-file` (its k8s-file driver).
    LogConfig: { Type: 'json-file', Config: {} },
  };
  if (memory !== undefined) {
    hostConfig.Memory = memory;
    // Equal to Memory: no swap, so exceeding the limit is an OOM kill as on Fargate.
    hostConfig.MemorySwap = memory;
  }
  const reservation = mibToBytes(spec.memoryReservationMiB);
  if (reservation !== undefined) hostConfig.MemoryReservation = reservation;
  const nanoCpus = cpuUnitsToNanoCpus(spec.cpuUnits);
  if (nanoCpus !== undefined) {
    // A 4-vCPU Fargate definition must still run on a 2-core laptop: give it every core there.
    hostConfig.NanoCpus =
      hostCpus !== undefined && hostCpus > 0 ? Math.min(nanoCpus, hostCpus * 1e9) : nanoCpus;
  }
  if (host.devices !== undefined && host.devices.length > 0) {
    hostConfig.Devices = host.devices.map((d) => ({
      PathOnHost: d.hostPath,
      PathInContainer: d.containerPath ?? d.hostPath,
      // ECS permissions read/write/mknod → cgroup rule letters r/w/m; all three by default.
      CgroupPermissions: (d.permissions ?? ['read', 'write', 'mknod']).map((p) => p[0]).join(''),
    }));
  }
  if (host.pidMode !== undefined) hostConfig.PidMode = host.pidMode;
  if (host.ipcMode !== undefined) hostConfig.IpcMode = host.ipcMode;
  if (spec.ulimits !== undefined && spec.ulimits.length > 0) {
    hostConfig.Ulimits = spec.ulimits.map((u) => ({
      Name: u.name,
      Soft: u.softLimit,
      Hard: u.hardLimit,
    }));
  }

  const options: Docker.ContainerCreateOptions = {
    name: spec.name,
    Image: spec.image,
    Labels: { ...(spec.labels ?? {}) },
    Env: Object.entries(spec.env ?? {}).map(([name, value]) => `${name}=${value}`),
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    OpenStdin: false,
    HostConfig: hostConfig,
  };
  if (spec.command !== undefined) options.Cmd = [...spec.command];
  if (spec.entryPoint !== undefined) options.Entrypoint = [...spec.entryPoint];
  if (spec.workingDirectory !== undefined) options.WorkingDir = spec.workingDirectory;
  if (spec.user !== undefined) options.User = spec.user;
  if (spec.stopTimeoutSeconds !== undefined) options.StopTimeout = spec.stopTimeoutSeconds;
  if (spec.healthCheck !== undefined) {
    const s = 1e9; // the engine counts health check durations in nanoseconds
    options.Healthcheck = {
      Test: [...spec.healthCheck.command],
      Interval: spec.healthCheck.intervalSeconds * s,
      Timeout: spec.healthCheck.timeoutSeconds * s,
      Retries: spec.healthCheck.retries,
      StartPeriod: spec.healthCheck.startPeriodSeconds * s,
    };
  }
  return options;
}
