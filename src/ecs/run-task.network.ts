/**
 * RunTask's awsvpc check against the {@link NetworkDirectory}: every subnet and security group
 * must exist in the task's region, and all subnets must share one VPC. The messages follow the
 * form ECS answers with (it quotes EC2's own error and code); the texts for several missing ids
 * at once are ours (⚠).
 */
import type { AwsContext } from '../platform/ids.ts';
import { InvalidParameterException } from './ecs.errors.ts';
import type { NetworkConfiguration } from './ecs.types.ts';
import type { NetworkDirectory } from './network.ports.ts';

/** Where an awsvpc task sits, as far as the directory knows. */
export interface TaskPlacement {
  availabilityZone: string;
}

/**
 * Checks the request's awsvpc configuration; undefined without one (or without a directory,
 * when nothing can be checked).
 *
 * @throws InvalidParameterException naming the missing subnet or security group.
 */
export async function checkAwsvpcNetwork(
  directory: NetworkDirectory | undefined,
  ctx: AwsContext,
  config: NetworkConfiguration | undefined,
): Promise<TaskPlacement | undefined> {
  const vpc = config?.awsvpcConfiguration;
  if (!directory || !vpc) return undefined;
  const subnets = vpc.subnets ?? [];
  const securityGroups = vpc.securityGroups ?? [];
  const found = await directory.describe(ctx, { subnets, securityGroups });
  if (found.missingSubnets.length > 0) {
    const ids = found.missingSubnets.join(', ');
    throw new InvalidParameterException(
      `Error retrieving subnet information for [${subnets.join(', ')}]: The subnet ID '${ids}' does not exist (ErrorCode: InvalidSubnetID.NotFound)`,
    );
  }
  if (found.missingSecurityGroups.length > 0) {
    const ids = found.missingSecurityGroups.join(', ');
    throw new InvalidParameterException(
      `Error retrieving security group information for [${securityGroups.join(', ')}]: The security group '${ids}' does not exist (ErrorCode: InvalidGroup.NotFound)`,
    );
  }
  const vpcs = new Set(found.subnets.map((s) => s.vpcId));
  if (vpcs.size > 1) {
    // ⚠ wording ours
    throw new InvalidParameterException('Subnets must all belong to the same VPC.');
  }
  const first = found.subnets[0];
  return first ? { availabilityZone: first.availabilityZone } : undefined;
}
