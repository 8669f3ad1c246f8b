/**
 * ECS ARNs (long format, mandatory for every account since 2021) and the ways requests refer to
 * resources: a cluster by name or ARN, a task definition by `family`, `family:revision` or ARN, a
 * task by id or ARN.
 */
import { type AwsContext, arn } from '../platform/ids.ts';

export const CLUSTER_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/;
export const FAMILY_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/;
/** New task ids: 32 lower-case hex characters. Old ones: a UUID. */
const TASK_ID_PATTERN =
  /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function clusterArn(ctx: AwsContext, name: string): string {
  return arn(ctx, 'ecs', `cluster/${name}`);
}

export function taskDefinitionArn(ctx: AwsContext, family: string, revision: number): string {
  return arn(ctx, 'ecs', `task-definition/${family}:${revision}`);
}

export function taskArn(ctx: AwsContext, clusterName: string, taskId: string): string {
  return arn(ctx, 'ecs', `task/${clusterName}/${taskId}`);
}

/** ⚠ The new-format container ARN layout is not confirmed; this mirrors the task ARN. */
export function containerArn(
  ctx: AwsContext,
  clusterName: string,
  taskId: string,
  id: string,
): string {
  return arn(ctx, 'ecs', `container/${clusterName}/${taskId}/${id}`);
}

/** `arn:<partition>:ecs:<region>:<account>:`, the start of every ECS ARN of one context. */
export function ecsArnPrefix(ctx: AwsContext): string {
  return `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:`;
}

/**
 * Whether an ARN names a resource of the caller's region and account. Resources are keyed by
 * ARN, so an ARN of another region must be refused before any lookup: it is "not found", as in
 * AWS, where each region is a separate service.
 */
export function inContext(ctx: AwsContext, value: string): boolean {
  return value.startsWith(ecsArnPrefix(ctx));
}

/**
 * The bounds of the keys that start with `prefix`, for a range scan on an indexed text column
 * (`>= low AND < high`), which an index serves where `LIKE 'prefix%'` may not.
 */
export function prefixRange(prefix: string): { low: string; high: string } {
  const last = prefix.charCodeAt(prefix.length - 1);
  return { low: prefix, high: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}

/** The cluster ARN a `cluster` parameter names (a short name or an ARN; omitted = `default`). */
export function clusterArnOf(ctx: AwsContext, ref: string | undefined): string {
  const value = ref ?? 'default';
  return value.startsWith('arn:') ? value : clusterArn(ctx, value);
}

/** The name at the end of a cluster ARN (or the name itself). */
export function clusterNameOf(ref: string): string {
  return ref.startsWith('arn:') ? ref.slice(ref.indexOf(':cluster/') + ':cluster/'.length) : ref;
}

export interface TaskDefinitionRef {
  family: string;
  /** Absent for a bare family: the latest ACTIVE revision. */
  revision?: number;
}

/** Reads `family`, `family:revision` or a task definition ARN; undefined when malformed. */
export function parseTaskDefinitionRef(ref: string): TaskDefinitionRef | undefined {
  let bare = ref;
  if (ref.startsWith('arn:')) {
    const at = ref.indexOf(':task-definition/');
    if (at < 0) return undefined;
    bare = ref.slice(at + ':task-definition/'.length);
  }
  const match = /^([a-zA-Z0-9_-]{1,255})(?::([1-9]\d{0,9}))?$/.exec(bare);
  if (!match) return undefined;
  const [, family, revision] = match;
  return revision === undefined
    ? { family: family as string }
    : { family: family as string, revision: Number(revision) };
}

export interface TaskRef {
  /** The cluster named inside the ARN, when the ref is a long-format ARN. */
  clusterName?: string;
  taskId: string;
}

/** Reads a task id or task ARN; undefined when it is not one ECS could have issued. */
export function parseTaskRef(ref: string): TaskRef | undefined {
  if (!ref.startsWith('arn:')) return TASK_ID_PATTERN.test(ref) ? { taskId: ref } : undefined;
  const at = ref.indexOf(':task/');
  if (at < 0) return undefined;
  const parts = ref.slice(at + ':task/'.length).split('/');
  if (parts.length === 1 && TASK_ID_PATTERN.test(parts[0] ?? '')) {
    return { taskId: parts[0] as string };
  }
  if (parts.length === 2 && TASK_ID_PATTERN.test(parts[1] ?? '')) {
    return { clusterName: parts[0] as string, taskId: parts[1] as string };
  }
  return undefined;
}
