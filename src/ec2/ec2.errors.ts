/**
 * EC2's errors, class name = EC2's code (dots become underscores in the class name only). Messages
 * follow EC2's texts as seen from the real service; ⚠ marks our own wording.
 */
import { ServiceError } from '../platform/errors.ts';

/** `InvalidVpcID.NotFound`: `The vpc ID 'vpc-…' does not exist`. */
export class InvalidVpcID_NotFound extends ServiceError {
  constructor(id: string) {
    super('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
  }
}

/** `InvalidSubnetID.NotFound`: `The subnet ID 'subnet-…' does not exist`. */
export class InvalidSubnetID_NotFound extends ServiceError {
  constructor(id: string) {
    super('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
  }
}

/** `InvalidInternetGatewayID.NotFound`. */
export class InvalidInternetGatewayID_NotFound extends ServiceError {
  constructor(id: string) {
    super('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`);
  }
}

/** `InvalidGroup.NotFound`: `The security group '…' does not exist`. */
export class InvalidGroup_NotFound extends ServiceError {
  constructor(id: string) {
    super('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
  }
}

/** `InvalidGroup.Duplicate`: a group of that name already exists in the VPC. */
export class InvalidGroup_Duplicate extends ServiceError {
  constructor(name: string, vpcId: string) {
    super(
      'InvalidGroup.Duplicate',
      `The security group '${name}' already exists for VPC '${vpcId}'`,
    );
  }
}

/**
 * `DependencyViolation`: the resource still has dependents. EC2 words it
 * `The vpc 'vpc-…' has dependencies and cannot be deleted.` for VPCs, subnets, gateways and route
 * tables, and `resource sg-… has a dependent object` for a group another group's rule references.
 */
export class DependencyViolation extends ServiceError {
  constructor(kind: string, id: string) {
    super(
      'DependencyViolation',
      kind === 'security-group'
        ? `resource ${id} has a dependent object`
        : `The ${kind} '${id}' has dependencies and cannot be deleted.`,
    );
  }
}

/** `InvalidParameterValue`: a value EC2 cannot use. */
export class InvalidParameterValue extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterValue', message);
  }
}

/** `MissingParameter`: ⚠ our wording of EC2's message. */
export class MissingParameter extends ServiceError {
  constructor(name: string) {
    super('MissingParameter', `The request must contain the parameter ${name}`);
  }
}

/** `InvalidVpcRange`: a VPC block outside /16–/28. */
export class InvalidVpcRange extends ServiceError {
  constructor(cidr: string) {
    super('InvalidVpcRange', `The CIDR '${cidr}' is invalid.`);
  }
}

/** `InvalidSubnet.Range`: the subnet block is not inside the VPC's. */
export class InvalidSubnet_Range extends ServiceError {
  constructor(cidr: string) {
    super('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`);
  }
}

/** `InvalidSubnet.Conflict`: the subnet block overlaps another subnet of the VPC. */
export class InvalidSubnet_Conflict extends ServiceError {
  constructor(cidr: string) {
    super('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`);
  }
}

/** `Resource.AlreadyAssociated`: the gateway is already attached. */
export class Resource_AlreadyAssociated extends ServiceError {
  constructor(igwId: string, vpcId: string) {
    super(
      'Resource.AlreadyAssociated',
      `resource ${igwId} is already attached to network ${vpcId}`,
    );
  }
}

/** `Gateway.NotAttached`: the gateway is not attached to that VPC. */
export class Gateway_NotAttached extends ServiceError {
  constructor(igwId: string, vpcId: string) {
    super('Gateway.NotAttached', `resource ${igwId} is not attached to network ${vpcId}`);
  }
}

/** `CannotDelete`: a VPC's default security group cannot be deleted by a user. */
export class CannotDelete extends ServiceError {
  constructor(groupId: string) {
    super(
      'CannotDelete',
      `the specified group: "${groupId}" name: "default" cannot be deleted by a user`,
    );
  }
}

/** `InvalidPermission.Duplicate`: ⚠ shortened wording of EC2's rule description. */
export class InvalidPermission_Duplicate extends ServiceError {
  constructor(rule: string) {
    super('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`);
  }
}

/** `InvalidPermission.NotFound`. */
export class InvalidPermission_NotFound extends ServiceError {
  constructor() {
    super(
      'InvalidPermission.NotFound',
      'The specified rule does not exist in this security group.',
    );
  }
}

/** `InvalidID`: a resource id whose prefix CreateTags does not know. ⚠ wording. */
export class InvalidID extends ServiceError {
  constructor(id: string) {
    super('InvalidID', `The ID '${id}' is not valid`);
  }
}

/** `InvalidRouteTableID.NotFound`. */
export class InvalidRouteTableID_NotFound extends ServiceError {
  constructor(id: string) {
    super('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);
  }
}

/** `InvalidAssociationID.NotFound`. */
export class InvalidAssociationID_NotFound extends ServiceError {
  constructor(id: string) {
    super('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`);
  }
}

/** `RouteAlreadyExists`. */
export class RouteAlreadyExists extends ServiceError {
  constructor(destination: string) {
    super('RouteAlreadyExists', `The route identified by ${destination} already exists.`);
  }
}

/** `InvalidRoute.NotFound`. */
export class InvalidRoute_NotFound extends ServiceError {
  constructor(destination: string, tableId: string) {
    super(
      'InvalidRoute.NotFound',
      `no route with destination-cidr-block ${destination} in route table ${tableId}`,
    );
  }
}

/** `InvalidSecurityGroupRuleId.NotFound`. */
export class InvalidSecurityGroupRuleId_NotFound extends ServiceError {
  constructor(id: string) {
    super(
      'InvalidSecurityGroupRuleId.NotFound',
      `The security group rule ID '${id}' does not exist`,
    );
  }
}

/** `InvalidNetworkInterfaceID.NotFound`. */
export class InvalidNetworkInterfaceID_NotFound extends ServiceError {
  constructor(id: string) {
    super('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
  }
}

/** `InvalidNetworkAclID.NotFound`. */
export class InvalidNetworkAclID_NotFound extends ServiceError {
  constructor(id: string) {
    super('InvalidNetworkAclID.NotFound', `The networkAcl ID '${id}' does not exist`);
  }
}
