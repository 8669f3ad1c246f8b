/**
 * The IAM facade: roles (with inline and attached policies, tags) and managed policies. IAM is
 * global, so nothing here reads a region; ARNs carry the partition and account only.
 */
import { IamPolicies } from './iam-policies.service.ts';
import { IamRoles } from './iam-roles.service.ts';
import type { IamDeps } from './iam.model.ts';

export type { IamDeps } from './iam.model.ts';

export class IamService {
  readonly roles: IamRoles;
  readonly policies: IamPolicies;

  constructor(deps: IamDeps) {
    this.policies = new IamPolicies(deps);
    this.roles = new IamRoles(deps, this.policies);
  }
}
