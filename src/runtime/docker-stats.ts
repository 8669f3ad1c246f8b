/**
 * One `GET /containers/{id}/stats?stream=0` answer → a {@link ContainerStatsSample}. Pure, so the
 * arithmetic is unit-tested; the field names are the Docker API's (Podman's compat API mirrors
 * them).
 */
import type { ContainerStatsSample } from './container-runtime.ts';

/** The subset of the engine's stats JSON we read; everything optional, engines differ. */
export interface RawDockerStats {
  read?: string;
  cpu_stats?: RawCpuStats;
  precpu_stats?: RawCpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

interface RawCpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** @param fallbackNow used when the engine sends no parseable `read` time. */
export function toStatsSample(raw: RawDockerStats, fallbackNow: number): ContainerStatsSample {
  const total = raw.cpu_stats?.cpu_usage?.total_usage ?? 0;
  const previous = raw.precpu_stats?.cpu_usage?.total_usage;
  const system = raw.cpu_stats?.system_cpu_usage;
  const previousSystem = raw.precpu_stats?.system_cpu_usage;
  const cpus = raw.cpu_stats?.online_cpus ?? raw.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 1;
  let cpuPercent: number | undefined;
  if (previous !== undefined && system !== undefined && previousSystem !== undefined) {
    const cpuDelta = total - previous;
    const systemDelta = system - previousSystem;
    // system_cpu_usage counts all host CPUs, so scale back up by the CPU count (docker stats' formula).
    if (systemDelta > 0 && cpuDelta >= 0) cpuPercent = (cpuDelta / systemDelta) * cpus * 100;
  }
  const memory = raw.memory_stats;
  // Page cache is reclaimable: leave it out as `docker stats` does (cgroup v1 `cache`, v2 `inactive_file`).
  const cache = memory?.stats?.['cache'] ?? memory?.stats?.['inactive_file'] ?? 0;
  const usage = memory?.usage ?? 0;
  const read = raw.read === undefined ? Number.NaN : Date.parse(raw.read);
  const sample: ContainerStatsSample = {
    timestamp: Number.isNaN(read) || read <= 0 ? fallbackNow : read,
    cpuUsageNs: total,
    memoryBytes: Math.max(0, usage - cache),
    ...(cpuPercent === undefined ? {} : { cpuPercent }),
    ...(memory?.limit === undefined ? {} : { memoryLimitBytes: memory.limit }),
  };
  return sample;
}
