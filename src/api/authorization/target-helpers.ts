/** Shared pieces of the operation → IAM target tables: entry shape, ARN and input readers. */
import type { ContextValue } from '../../iam/policy-evaluation/policy-evaluator.ts';
import type { AwsContext } from '../../platform/ids.ts';

/** The roles a task runs with. */
export interface TaskRoles {
  readonly taskRoleArn?: string;
  readonly executionRoleArn?: string;
}

/** Look-ups for names AWS resolves before evaluating; each may answer undefined. */
export interface TargetResolvers {
  /** The ARN (with its path) of the role with this name. */
  roleArn?(name: string): Promise<string | undefined>;
  /** The ARN (with its path) of the user with this name. */
  userArn?(name: string): Promise<string | undefined>;
  /** The full `family:revision` ARN a task definition reference (family only) resolves to. */
  taskDefinitionArn?(reference: string): Promise<string | undefined>;
  /**
   * The task role and execution role ARNs of the task definition a reference resolves to
   * (undefined when the definition does not exist: the operation then fails on its own).
   */
  taskDefinitionRoles?(reference: string): Promise<TaskRoles | undefined>;
}

/** The request's account/region, the caller's ARN if known, and optional resolvers. */
export interface TargetContext {
  readonly aws: AwsContext;
  /** The verified principal's ARN: what "myself" means where AWS lets a name be omitted. */
  readonly callerArn?: string;
  readonly resolvers?: TargetResolvers;
}

export type Input = Readonly<Record<string, unknown>>;

/** One further action an operation needs the caller to be allowed (AWS's dependent actions). */
export interface DependentAction {
  readonly action: string;
  readonly resources: readonly string[];
  readonly context: Readonly<Record<string, ContextValue>>;
}

/** What a table entry's builder returns. */
export interface BuiltTarget {
  resources?: string[];
  context?: Record<string, ContextValue>;
  /** E.g. `iam:PassRole` on the roles RunTask hands to the task. */
  alsoRequires?: DependentAction[];
}

/** One operation's entry: its IAM action and how to read resources and keys from the input. */
export interface TargetEntry {
  readonly action: string;
  readonly build: (input: Input, ctx: TargetContext) => BuiltTarget | Promise<BuiltTarget>;
  readonly alwaysAllowed?: boolean;
}

export type TargetTable = Readonly<Record<string, TargetEntry>>;

/** An entry for an action without resource-level permissions (resource `*`). */
export function wildcard(
  action: string,
  context?: (input: Input, ctx: TargetContext) => BuiltTarget['context'],
): TargetEntry {
  return {
    action,
    build: (input, ctx) => ({ resources: ['*'], context: context?.(input, ctx) ?? {} }),
  };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; `region` false for global services. */
export function arnOf(
  ctx: TargetContext,
  service: string,
  resource: string,
  regional = true,
): string {
  const { partition, region, accountId } = ctx.aws;
  return `arn:${partition}:${service}:${regional ? region : ''}:${accountId}:${resource}`;
}

/** A string member, or undefined when absent or not a string. */
export function str(input: Input, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** A list-of-strings member (JSON protocols), or []. */
export function strings(input: Input, key: string): string[] {
  const v = input[key];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/** `Prefix.1`, `Prefix.2`, … of a query-protocol request. */
export function numbered(input: Input, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; typeof input[`${prefix}.${i}`] === 'string'; i++) {
    out.push(input[`${prefix}.${i}`] as string);
  }
  return out;
}

/** `aws:RequestTag/<k>` for each tag and `aws:TagKeys` listing them (absent without tags). */
export function requestTags(
  tags: readonly { key: string; value: string }[],
): Record<string, ContextValue> {
  if (tags.length === 0) return {};
  const out: Record<string, ContextValue> = { 'aws:TagKeys': tags.map((t) => t.key) };
  for (const t of tags) out[`aws:RequestTag/${t.key}`] = t.value;
  return out;
}

/** Tags given as JSON objects with the named key/value members (`key`/`value` or `Key`/`Value`). */
export function jsonTags(
  input: Input,
  member: string,
  k: string,
  v: string,
): { key: string; value: string }[] {
  const list = input[member];
  if (!Array.isArray(list)) return [];
  return list
    .filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null)
    .filter((t) => typeof t[k] === 'string')
    .map((t) => ({ key: t[k] as string, value: typeof t[v] === 'string' ? (t[v] as string) : '' }));
}

/** A JSON object of tags (`{ k: v }`, as logs' `tags` member is). */
export function mapTags(input: Input, member: string): { key: string; value: string }[] {
  const m = input[member];
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return [];
  return Object.entries(m as Record<string, unknown>).map(([key, value]) => ({
    key,
    value: String(value),
  }));
}

/** The trailing name of a name-or-ARN reference (`…/name` → `name`). */
export function lastSegment(reference: string): string {
  return reference.slice(reference.lastIndexOf('/') + 1);
}

/**
 * `iam:PassRole` on each distinct role, with `iam:PassedToService` = the service the roles are
 * handed to (ECS tasks: `ecs-tasks.amazonaws.com`), as AWS checks when a role is passed.
 */
export function passRoles(roleArns: readonly string[], service: string): DependentAction[] {
  return [...new Set(roleArns.filter((arn) => arn.length > 0))].map((arn) => ({
    action: 'iam:PassRole',
    resources: [arn],
    context: { 'iam:PassedToService': service },
  }));
}

/** `{ [key]: values }`, or `{}` for an empty list (a multi-valued key that is absent). */
export function listKey(key: string, values: readonly string[]): Record<string, ContextValue> {
  return values.length > 0 ? { [key]: values } : {};
}

/**
 * The three tagging operations of a service whose tags are addressed by resource ARN
 * (`TagResource`, `UntagResource`, `ListTagsForResource`): the ARN member, how the request's
 * tags read, and the tag-keys member differ per service; the targets do not.
 */
export function tagResourceTargets(
  service: string,
  members: {
    arn: string;
    tags: (input: Input) => { key: string; value: string }[];
    tagKeys: string;
    /** Normalises the ARN (logs accepts a trailing `:*`). */
    arnOf?: (arn: string) => string;
  },
): TargetTable {
  const arn = (input: Input) => (members.arnOf ?? ((a) => a))(str(input, members.arn) ?? '');
  return {
    ListTagsForResource: {
      action: `${service}:ListTagsForResource`,
      build: (input) => ({ resources: [arn(input)] }),
    },
    TagResource: {
      action: `${service}:TagResource`,
      build: (input) => ({ resources: [arn(input)], context: requestTags(members.tags(input)) }),
    },
    UntagResource: {
      action: `${service}:UntagResource`,
      build: (input) => ({
        resources: [arn(input)],
        context: listKey('aws:TagKeys', strings(input, members.tagKeys)),
      }),
    },
  };
}
