/**
 * The seam through which RunTask checks an awsvpc task's network against the VPC directory (the
 * EC2 service, wired in by the engine): the subnets and security groups a task names must exist
 * in the task's region, and the subnet tells the task its Availability Zone.
 */
import type { AwsContext } from '../platform/ids.ts';

/** What RunTask asks about: the ids of an `awsvpcConfiguration`. */
export interface NetworkLookup {
  subnets: readonly string[];
  securityGroups: readonly string[];
}

/** The subnets found (in the order asked) and the ids that do not exist in the region. */
export interface NetworkDescription {
  subnets: { subnetId: string; vpcId: string; availabilityZone: string }[];
  missingSubnets: string[];
  missingSecurityGroups: string[];
}

/** Looks subnets and security groups up in one region (`ctx`); never throws for a missing id. */
export interface NetworkDirectory {
  describe(ctx: AwsContext, lookup: NetworkLookup): Promise<NetworkDescription>;
}
