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
