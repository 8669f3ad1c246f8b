/**
 * The read ECS makes before it starts an awsvpc task: which of the named subnets and security
 * groups exist in the caller's region, and the VPC, zone and block of those that do. ECS words
 * its own errors from this (ECS must not import ec2; the engine wires `Ec2Service.networkCheck`
 * to the port ECS declares).
 */
import type { Ec2ResourceStore } from './ec2-resources.store.ts';

export interface NetworkCheckInput {
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
}

/** An existing subnet as ECS needs it (the ENI attachment shows `subnetId`). */
export interface NetworkCheckSubnet {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly cidrBlock: string;
  readonly mapPublicIpOnLaunch: boolean;
}

export interface NetworkCheckGroup {
  readonly groupId: string;
  readonly vpcId: string;
}

export interface NetworkCheck {
  /** Ids asked for that do not exist in the region, in the order asked. */
  readonly missingSubnets: string[];
  readonly missingSecurityGroups: string[];
  /** Those that exist, in the order asked. */
  readonly subnets: NetworkCheckSubnet[];
  readonly securityGroups: NetworkCheckGroup[];
  /** The distinct VPCs of the existing subnets and groups (more than one: a mixed request). */
  readonly vpcIds: string[];
}

export async function checkNetwork(
  r: Ec2ResourceStore,
  input: NetworkCheckInput,
): Promise<NetworkCheck> {
  const missingSubnets: string[] = [];
  const missingSecurityGroups: string[] = [];
  const subnets: NetworkCheckSubnet[] = [];
  const securityGroups: NetworkCheckGroup[] = [];
  for (const id of input.subnets) {
    const s = await r.get('subnet', id);
    if (!s) missingSubnets.push(id);
    else {
      const { subnetId, vpcId, availabilityZone, cidrBlock, mapPublicIpOnLaunch } = s;
      subnets.push({ subnetId, vpcId, availabilityZone, cidrBlock, mapPublicIpOnLaunch });
    }
  }
  for (const id of input.securityGroups) {
    const g = await r.get('sg', id);
    if (!g) missingSecurityGroups.push(id);
    else securityGroups.push({ groupId: g.groupId, vpcId: g.vpcId });
  }
  const vpcIds = [...new Set([...subnets, ...securityGroups].map((x) => x.vpcId))];
  return { missingSubnets, missingSecurityGroups, subnets, securityGroups, vpcIds };
}
