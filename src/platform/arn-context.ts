/**
 * The AWS context an ARN was issued in. Work that runs on behalf of a resource (a rule's target,
 * a recovered task) runs in that resource's region, not in the server's default one.
 */
import type { AwsContext } from './ids.ts';

/**
 * The partition, region and account named in a regional ARN
 * (`arn:<partition>:<service>:<region>:<account>:<resource>`); undefined when `value` is not one
 * (too few parts, or an empty region or account as global services write them).
 */
export function contextOfArn(value: string): AwsContext | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, , region, accountId] = parts as [string, string, string, string, string];
  if (!partition || !region || !accountId) return undefined;
  return { partition, region, accountId };
}
