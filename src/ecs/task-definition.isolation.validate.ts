/**
 * What a task definition may ask of the host. cronbridge runs every task the Fargate way, so it
 * refuses what Fargate refuses for every definition, not only those that require FARGATE: a
 * container must not reach the host's network, processes, IPC, files, devices or extra kernel
 * capabilities. An operator who needs more (an EC2-launch-type-like server) turns on the server
 * setting `allowHostAccess`; then these members are accepted and applied as ECS on EC2 applies
 * them (see `src/supervisor/launch-plan.build.ts`).
 *
 * Messages come from real ECS output where known (reference §4.4, issue reports); those marked ⚠
 * follow ECS's pattern for the Fargate checks but are ours.
 */
import { ClientException } from './ecs.errors.ts';

/** The one capability Fargate lets a container add (KernelCapabilities.add). */
export const FARGATE_ADDABLE_CAPABILITIES = ['SYS_PTRACE'] as const;

export interface IsolationOptions {
  /** The server setting `allowHostAccess`: accept host network, privileged, host volumes, … */
  allowHostAccess: boolean;
}

/** The members this check reads; the rest of the definition does not matter here. */
export interface IsolationShape {
  networkMode?: unknown;
  pidMode?: unknown;
  ipcMode?: unknown;
  volumes?: unknown;
  containerDefinitions?: unknown;
}

function refuse(message: string): ClientException {
  return new ClientException(message);
}

/**
 * Throws ECS's `ClientException` for the first member that would let a container out of its
 * Fargate-like confinement; does nothing when the server allows host access.
 */
export function validateIsolation(input: IsolationShape, options: IsolationOptions): void {
  if (options.allowHostAccess) return;
  if (input.networkMode === 'host') {
    // ⚠ ECS's pattern for launch-type checks (cronbridge keeps bridge and none, see README).
    throw refuse("Tasks using the Fargate launch type do not support network mode 'host'.");
  }
  if (input.pidMode !== undefined && input.pidMode !== 'task') {
    // Moto's text for ECS's check (reference §4.4).
    throw refuse(
      `Tasks using the Fargate launch type do not support pidMode '${String(input.pidMode)}'. The supported value for pidMode is 'task'.`,
    );
  }
  if (input.ipcMode !== undefined) {
    // Real ECS text (reference §4.4).
    throw refuse('Tasks using the Fargate launch type do not support ipcMode.');
  }
  for (const volume of Array.isArray(input.volumes) ? (input.volumes as unknown[]) : []) {
    validateVolume(volume);
  }
  const containers = Array.isArray(input.containerDefinitions) ? input.containerDefinitions : [];
  for (const c of containers as unknown[]) {
    if (typeof c === 'object' && c !== null) validateContainerIsolation(c);
  }
}

function validateVolume(volume: unknown): void {
  if (typeof volume !== 'object' || volume === null) return;
  const v = volume as { host?: { sourcePath?: unknown }; dockerVolumeConfiguration?: unknown };
  if (v.host?.sourcePath !== undefined) {
    // Real ECS text, as reported for RegisterTaskDefinition on Fargate.
    throw refuse('Fargate compatible task definitions do not support sourcePath');
  }
  if (v.dockerVolumeConfiguration !== undefined) {
    // ⚠ same pattern: Docker volume drivers can bind any host path (local driver, o=bind).
    throw refuse('Fargate compatible task definitions do not support dockerVolumeConfiguration');
  }
}

function validateContainerIsolation(c: object): void {
  const def = c as {
    name?: unknown;
    privileged?: unknown;
    dockerSecurityOptions?: unknown;
    linuxParameters?: {
      capabilities?: { add?: unknown };
      devices?: unknown;
    };
  };
  const name = String(def.name);
  if (def.privileged === true) {
    // ⚠ wording ours, after ECS's "Invalid setting for container" form.
    throw refuse(
      `Invalid setting for container '${name}'. Tasks using the Fargate launch type do not support privileged containers.`,
    );
  }
  const listed = (value: unknown) =>
    value !== undefined && (!Array.isArray(value) || value.length > 0);
  // A member of the wrong type counts as set: it must not slip past as "not a list".
  if (listed(def.dockerSecurityOptions)) {
    // ⚠ wording ours
    throw refuse(
      `Invalid setting for container '${name}'. Tasks using the Fargate launch type do not support dockerSecurityOptions.`,
    );
  }
  const linux = def.linuxParameters;
  if (typeof linux !== 'object' || linux === null) return;
  const add = linux.capabilities?.add;
  for (const cap of Array.isArray(add) ? (add as unknown[]) : add === undefined ? [] : [add]) {
    if (!(FARGATE_ADDABLE_CAPABILITIES as readonly unknown[]).includes(cap)) {
      // ⚠ wording ours; ECS documents that Fargate only supports adding SYS_PTRACE.
      throw refuse(
        `Invalid setting for container '${name}'. Tasks using the Fargate launch type only support adding the 'SYS_PTRACE' kernel capability, not '${String(cap)}'.`,
      );
    }
  }
  if (listed(linux.devices)) {
    // ⚠ wording ours
    throw refuse(
      `Invalid setting for container '${name}'. Tasks using the Fargate launch type do not support devices.`,
    );
  }
}
