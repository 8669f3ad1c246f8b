/**
 * The IAM facade: roles (with inline and attached policies, tags), managed policies, users and
 * their access keys. IAM is global, so nothing here reads a region; ARNs carry the partition and
 * account only.
 */
import { IamAccessKeys } from './iam-access-keys.service.ts';
import { IamPolicies } from './iam-policies.service.ts';
import { IamRoles } from './iam-roles.service.ts';
import { IamUsers } from './iam-users.service.ts';
import type { IamDeps } from './iam.model.ts';

export type { IamDeps } from './iam.model.ts';

export class IamService {
  readonly roles: IamRoles;
  readonly policies: IamPolicies;
  readonly users: IamUsers;
  readonly accessKeys: IamAccessKeys;

  constructor(deps: IamDeps) {
    this.policies = new IamPolicies(deps);
    this.roles = new IamRoles(deps, this.policies);
    this.users = new IamUsers(deps);
    this.accessKeys = new IamAccessKeys(deps);
  }
}
