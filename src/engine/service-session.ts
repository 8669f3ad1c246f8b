/**
 * The session ARN a service's calls come from once it assumed a role on our behalf
 * (`arn:aws:sts::<account>:assumed-role/<role name>/<session>`): what IAM evaluates and what
 * AccessDenied messages name. The session name is a digest of what the session is for (one
 * attempt, one task), so it reads the same each time the same thing is asked.
 */
import { createHash } from 'node:crypto';

export function assumedRoleSessionArn(roleArn: string, sessionOf: string): string {
  const [, partition = 'aws', , , account = ''] = roleArn.split(':');
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const session = createHash('sha256').update(sessionOf).digest('hex').slice(0, 32);
  return `arn:${partition}:sts::${account}:assumed-role/${roleName}/${session}`;
}
