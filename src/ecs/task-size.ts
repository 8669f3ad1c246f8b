/**
 * Task sizes as ECS accepts them and Fargate's table of valid cpu/memory pairs.
 *
 * ECS takes task-level `cpu` as CPU units ("256") or vCPUs ("0.25 vCPU", "1 vcpu") and `memory`
 * as MiB ("512") or GB ("1 GB", "2GB"), and echoes both back as integer strings.
 */
import { ClientException } from './ecs.errors.ts';

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/**
 * Fargate's valid task sizes: CPU units → allowed memory in MiB (AWS's table; the two largest
 * sizes need platform version 1.4.0, the only one cronbridge reports).
 */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

/** "1 vCPU", "0.25 vcpu" or "256" → CPU units; undefined when unreadable. */
export function parseCpu(value: string): number | undefined {
  const vcpu = /^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i.exec(value);
  if (vcpu) return Math.round(Number(vcpu[1]) * 1024);
  return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

/** "1 GB", "2gb" or "512" → MiB; undefined when unreadable. */
export function parseMemory(value: string): number | undefined {
  const gb = /^\s*(\d+(?:\.\d+)?)\s*gb\s*$/i.exec(value);
  if (gb) return Math.round(Number(gb[1]) * 1024);
  return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

export function isFargateSize(cpu: number, memory: number): boolean {
  return FARGATE_SIZES.get(cpu)?.includes(memory) ?? false;
}

/** Throws ECS's error for a cpu/memory pair Fargate does not offer. */
export function validateFargateSize(cpu: number, memory: number): void {
  if (!isFargateSize(cpu, memory)) {
    // ECS's full text, as seen in real RegisterTaskDefinition error output.
    throw new ClientException(
      `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
    );
  }
}

/** The largest Fargate task: 16 vCPU. Nothing larger is accepted, whatever the launch type. */
export const MAX_TASK_CPU = 16384;
/** The largest Fargate task memory: 120 GiB. */
export const MAX_TASK_MEMORY_MIB = 122880;

/**
 * The ceiling every task and container size must stay under. Fargate has no larger size and a
 * bigger number would only be a typo (a memory limit of ~1 TB used to pass through to Docker).
 * Returns the problem in words, or undefined; the caller picks the exception ECS uses there.
 */
export function sizeCeilingProblem(
  what: string,
  cpu: number | undefined,
  memory: number | undefined,
): string | undefined {
  if (cpu !== undefined && cpu > MAX_TASK_CPU) {
    return `${what} cpu (${cpu}) exceeds the largest task size, ${MAX_TASK_CPU} CPU units.`;
  }
  if (memory !== undefined && memory > MAX_TASK_MEMORY_MIB) {
    return `${what} memory (${memory}) exceeds the largest task size, ${MAX_TASK_MEMORY_MIB} MiB.`;
  }
  return undefined;
}
