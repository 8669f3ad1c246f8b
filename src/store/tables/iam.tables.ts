/**
 * Tables of the IAM domain. IAM is global: no region column. Timestamps are ms since the epoch;
 * `tags` is a JSON array of `{Key, Value}`; documents are stored as the caller sent them.
 */

/** One role; `name` is the key (AWS's names are unique per account). */
export interface IamRoleRow {
  name: string;
  role_id: string;
  path: string;
  arn: string;
  create_date: number;
  assume_role_policy: string;
  description: string | null;
  max_session_duration: number;
  tags: string;
}

/** One inline policy of a role. */
export interface IamRolePolicyRow {
  role_name: string;
  policy_name: string;
  document: string;
}

/** One managed policy attached to a role (AWS-managed or customer-managed ARN). */
export interface IamRoleAttachmentRow {
  role_name: string;
  policy_arn: string;
}

/** One customer-managed policy (one version, `v1`, for now). */
export interface IamPolicyRow {
  arn: string;
  name: string;
  policy_id: string;
  path: string;
  document: string;
  description: string | null;
  create_date: number;
  tags: string;
}

/** One IAM user; `name` is the key. */
export interface IamUserRow {
  name: string;
  user_id: string;
  path: string;
  arn: string;
  create_date: number;
  tags: string;
}

/**
 * One access key of a user. The secret is kept as issued: SigV4 verification recomputes the
 * signature with it (an HMAC key cannot be checked against a one-way hash).
 */
export interface IamAccessKeyRow {
  access_key_id: string;
  user_name: string;
  secret_access_key: string;
  /** `Active` or `Inactive`. */
  status: string;
  create_date: number;
}

/** One inline policy of a user. */
export interface IamUserPolicyRow {
  user_name: string;
  policy_name: string;
  document: string;
}

/** One managed policy attached to a user. */
export interface IamUserAttachmentRow {
  user_name: string;
  policy_arn: string;
}

export interface IamTables {
  iam_roles: IamRoleRow;
  iam_role_policies: IamRolePolicyRow;
  iam_role_attachments: IamRoleAttachmentRow;
  iam_policies: IamPolicyRow;
  iam_users: IamUserRow;
  iam_access_keys: IamAccessKeyRow;
  iam_user_policies: IamUserPolicyRow;
  iam_user_attachments: IamUserAttachmentRow;
}
