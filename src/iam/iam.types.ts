/**
 * IAM wire shapes (the `iam/2010-05-08` model's member names). Policy documents travel as JSON
 * text in requests and come back URL-encoded, as AWS answers them.
 */

/** One tag; IAM's members are `Key`/`Value`. */
export interface IamTag {
  Key: string;
  Value: string;
}

/** A role as GetRole/ListRoles/CreateRole return it. */
export interface Role {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  /** ISO-8601 with milliseconds (`2026-01-01T00:00:00.000Z`). */
  CreateDate: string;
  /** URL-encoded JSON text. */
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  Tags?: IamTag[];
}

export interface CreateRoleInput {
  RoleName?: string;
  Path?: string;
  AssumeRolePolicyDocument?: string;
  Description?: string;
  MaxSessionDuration?: number;
  Tags?: IamTag[];
}

/** Marker paging shared by the List operations. */
export interface PageInput {
  Marker?: string;
  MaxItems?: number;
}

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/** A managed policy (customer or AWS) as GetPolicy/ListPolicies return it. */
export interface ManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
  IsAttachable: boolean;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
  Tags?: IamTag[];
}

export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

export interface CreatePolicyInput {
  PolicyName?: string;
  Path?: string;
  PolicyDocument?: string;
  Description?: string;
  Tags?: IamTag[];
}

export interface PolicyVersion {
  /** URL-encoded JSON text. */
  Document: string;
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: string;
}

/** A user as CreateUser/GetUser/ListUsers return it. */
export interface User {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: string;
  Tags?: IamTag[];
}

export interface CreateUserInput {
  UserName?: string;
  Path?: string;
  Tags?: IamTag[];
}

/** An access key's public half, as ListAccessKeys returns it. */
export interface AccessKeyMetadata {
  UserName: string;
  AccessKeyId: string;
  /** `Active` or `Inactive`. */
  Status: string;
  CreateDate: string;
}

/** CreateAccessKey's answer: the only time the secret is shown. */
export interface AccessKey extends AccessKeyMetadata {
  SecretAccessKey: string;
}
