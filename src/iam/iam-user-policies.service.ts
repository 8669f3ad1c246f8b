/**
 * Policies of IAM users: inline policies (`PutUserPolicy`, …) and attached managed policies
 * (`AttachUserPolicy`, …), the same operations roles have (principal-policies.ts does the work
 * for both). Users need them before anything can be allowed to them: without a policy every
 * request of a user is implicitly denied.
 */
import { NoSuchEntity } from './iam.errors.ts';
import type { IamDeps } from './iam.model.ts';
import type { AttachedPolicy, Page, PageInput } from './iam.types.ts';
import { userRow } from './iam-users.service.ts';
import type { IamPolicies } from './iam-policies.service.ts';
import { PrincipalPolicies, type PolicyHolder } from './principal-policies.ts';

/** AWS's default quota of managed policies attached to one user. */
export const MANAGED_POLICIES_PER_USER = 10;

/** AWS's limit on the summed size of one user's inline policies, whitespace excluded. */
export const USER_INLINE_POLICY_CHARS = 2048;

const USER_HOLDER: PolicyHolder = {
  kind: 'user',
  nameMember: 'userName',
  inlineTable: 'iam_user_policies',
  attachTable: 'iam_user_attachments',
  ownerColumn: 'user_name',
  mustExist: userRow,
  inlineChars: USER_INLINE_POLICY_CHARS,
  maxAttached: MANAGED_POLICIES_PER_USER,
  inlineNotFound: (policyName, userName) =>
    new NoSuchEntity(
      `The user policy with name ${policyName} cannot be found for user ${userName}.`,
    ),
};

export class IamUserPolicies {
  readonly #policies: PrincipalPolicies;

  constructor(deps: IamDeps, policies: IamPolicies) {
    this.#policies = new PrincipalPolicies(deps, policies, USER_HOLDER);
  }

  putUserPolicy(name?: string, policyName?: string, document?: string): Promise<void> {
    return this.#policies.putInline(name, policyName, document);
  }

  async getUserPolicy(
    name?: string,
    policyName?: string,
  ): Promise<{ UserName: string; PolicyName: string; PolicyDocument: string }> {
    const got = await this.#policies.getInline(name, policyName);
    return { UserName: got.owner, PolicyName: got.policyName, PolicyDocument: got.document };
  }

  deleteUserPolicy(name?: string, policyName?: string): Promise<void> {
    return this.#policies.deleteInline(name, policyName);
  }

  listUserPolicies(name: string | undefined, page: PageInput): Promise<Page<string>> {
    return this.#policies.listInline(name, page);
  }

  attachUserPolicy(name?: string, policyArn?: string): Promise<void> {
    return this.#policies.attach(name, policyArn);
  }

  detachUserPolicy(name?: string, policyArn?: string): Promise<void> {
    return this.#policies.detach(name, policyArn);
  }

  listAttachedUserPolicies(
    name: string | undefined,
    input: PageInput & { PathPrefix?: string },
  ): Promise<Page<AttachedPolicy>> {
    return this.#policies.listAttached(name, input);
  }
}
