/** Identifiers and ARNs, built in one place so every domain spells them alike. */
import { randomBytes, randomUUID } from 'node:crypto';

/** Where resources live: AWS's partition, region and account of this cronbridge. */
export interface AwsContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export const DEFAULT_CONTEXT: AwsContext = {
  partition: 'aws',
  region: 'us-east-1',
  accountId: '000000000000',
};

/** `n` random lower-case hex characters (ECS task ids are 32). */
export function randomHex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
}

export function uuid(): string {
  return randomUUID();
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function arn(ctx: AwsContext, service: string, resource: string): string {
  return `arn:${ctx.partition}:${service}:${ctx.region}:${ctx.accountId}:${resource}`;
}

const ARN_PREFIX = /^arn:([\w-]+):[\w-]+:([a-z0-9-]*):(\d{12}|[^:]*):/;

/**
 * The partition, region and account an ARN names, e.g. a rule's, so work done on its behalf (a
 * scheduled event, RunTask, a dead letter) happens where the rule lives. Undefined for text that
 * is no ARN, or names no region (IAM's global ARNs).
 */
export function contextFromArn(value: string): AwsContext | undefined {
  const m = ARN_PREFIX.exec(value);
  if (!m || !m[2]) return undefined;
  return { partition: m[1]!, region: m[2], accountId: m[3]! };
}

/** True when `value` is an ARN of this partition, region and account (another names no resource of ours). */
export function isArnOf(ctx: AwsContext, value: string): boolean {
  const of = contextFromArn(value);
  return (
    of !== undefined &&
    of.partition === ctx.partition &&
    of.region === ctx.region &&
    of.accountId === ctx.accountId
  );
}
