/**
 * The IAM facade: roles (with inline and attached policies, tags), managed policies, users (with
 * inline and attached policies) and their access keys, and STS sessions. IAM is global, so
 * nothing here reads a region; ARNs carry the partition and account only.
 */
import { IamAccessKeys } from './iam-access-keys.service.ts';
import { IamIdentityPolicies } from './iam-identity-policies.ts';
import { IamPolicies } from './iam-policies.service.ts';
import { IamRoles } from './iam-roles.service.ts';
import { IamUserPolicies } from './iam-user-policies.service.ts';
import { IamUsers } from './iam-users.service.ts';
import type { IamDeps } from './iam.model.ts';
import { IamAuthorization } from './policy-evaluation/iam-authorization.ts';
import { IamSimulateEvaluator } from './policy-evaluation/iam-simulate.evaluator.ts';
import { MemoizingEvaluator } from './policy-evaluation/memoizing.evaluator.ts';
import type { NamedPolicy, PolicyDocument } from './policy-evaluation/policy-evaluator.ts';
import { StsSessions } from './sts-sessions.service.ts';

export type { IamDeps } from './iam.model.ts';

export class IamService {
  readonly roles: IamRoles;
  readonly policies: IamPolicies;
  readonly users: IamUsers;
  readonly userPolicies: IamUserPolicies;
  readonly accessKeys: IamAccessKeys;
  /**
   * The account's one policy decision point, on this service's policies: the API's authorizer,
   * AssumeRole's trust checks and the invoke path all ask it (and share its remembered decisions).
   */
  readonly authorization: IamAuthorization;
  /** STS AssumeRole sessions; their trust checks read this service's policies. */
  readonly sessions: StsSessions;
  private readonly identity: IamIdentityPolicies;

  constructor(deps: IamDeps) {
    this.policies = new IamPolicies(deps);
    this.roles = new IamRoles(deps, this.policies);
    this.users = new IamUsers(deps);
    this.userPolicies = new IamUserPolicies(deps, this.policies);
    this.accessKeys = new IamAccessKeys(deps);
    this.identity = new IamIdentityPolicies(deps);
    this.authorization = new IamAuthorization(
      this,
      new MemoizingEvaluator(new IamSimulateEvaluator()),
      deps.context.accountId,
    );
    this.sessions = new StsSessions(deps, this.authorization);
  }

  /**
   * The identity policies (inline + attached managed) of a user, a role or an assumed-role
   * session (its role's) by ARN; none for anything else.
   */
  identityPolicies(principalArn: string): Promise<NamedPolicy[]> {
    return this.identity.identityPolicies(principalArn);
  }

  /** The tags of a user, or of a role or session's role, for `aws:PrincipalTag/…`. */
  principalTags(principalArn: string): Promise<Record<string, string>> {
    return this.identity.principalTags(principalArn);
  }

  /** The trust policy of the role with this ARN; undefined when no such role exists. */
  trustPolicy(roleArn: string): Promise<PolicyDocument | undefined> {
    return this.identity.trustPolicy(roleArn);
  }
}
