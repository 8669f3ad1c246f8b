/**
 * The one place where runtime failures become ECS words. Runtime errors say what failed and why
 * (`src/runtime/runtime.errors.ts`); a task shows them as a container's `reason` or the task's
 * `stoppedReason`, in the forms Fargate writes there. Nothing else in the supervisor spells a
 * stop reason.
 */
import { coerceError } from '../platform/errors.ts';
import { ContainerRuntimeError, EngineTimeoutError } from '../runtime/runtime.errors.ts';

/** The task's reason when an essential container exited (ECS's wording). */
export const ESSENTIAL_EXITED = 'Essential container in task exited';

/** A container's reason when the kernel killed it for its memory limit. */
export const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

/** A runtime error in the `<code>: <message>` form ECS puts in `stoppedReason`. */
export function runtimeReason(error: ContainerRuntimeError): string {
  return `${error.code}: ${error.message}`;
}

/** An image could not be pulled. Runtime errors keep their own code; anything else is a pull error. */
export function pullFailureReason(error: unknown): string {
  // A hung engine is no error class of ECS's: the pull is what failed, so the pull's code.
  return error instanceof ContainerRuntimeError && !(error instanceof EngineTimeoutError)
    ? runtimeReason(error)
    : `CannotPullContainerError: ${coerceError(error).message}`;
}

/** The awslogs stream could not be opened: Fargate's wording when its log driver fails. */
export function logSetupFailureReason(error: unknown): string {
  const err = coerceError(error);
  return (
    `ResourceInitializationError: failed to validate logger args: failed to create ` +
    `Cloudwatch log stream: ${err.name}: ${err.message} : exit status 1`
  );
}

/** The engine refused to create a container; ECS reports every such case under one code. */
export function createFailureReason(error: unknown): string {
  return `CannotCreateContainerError: ${coerceError(error).message}`;
}

/**
 * A container would not start: a runtime error in its own words (an unanswered start as ECS's
 * `CannotStartContainerError`), anything else as it reads.
 */
export function startFailureReason(error: unknown): string {
  if (error instanceof EngineTimeoutError) return `CannotStartContainerError: ${error.message}`;
  return error instanceof ContainerRuntimeError ? runtimeReason(error) : coerceError(error).message;
}

/** A container's exit wait failed for a reason other than being given up. */
export function containerLostReason(error: unknown): string {
  return `container lost: ${coerceError(error).message}`;
}

/** The task's reason when the supervision itself failed (a bug or a store failure). */
export function supervisionFailedReason(error: Error): string {
  return `cronbridge could not supervise the task: ${error.message}`;
}
