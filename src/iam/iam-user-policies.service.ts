/**
 * Policies of IAM users: inline policies (`PutUserPolicy`, …) and attached managed policies
 * (`AttachUserPolicy`, …), the same operations roles have. Users need them before anything can
 * be allowed to them: without a policy every request of a user is implicitly denied.
 *
 * Quotas as AWS applies them by default: the inline policies of one user together at most 2,048
 * characters (whitespace not counted), and at most 10 managed policies attached to one user.
 */
import { LimitExceeded, NoSuchEntity, policyNotFound } from './iam.errors.ts';
import { encodeDocument, pageOf, type IamDeps } from './iam.model.ts';
import type { AttachedPolicy, Page, PageInput } from './iam.types.ts';
import { userRow } from './iam-users.service.ts';
import { checkName, checkPolicyArn, checkPolicyDocument } from './iam.validate.ts';
import type { IamPolicies } from './iam-policies.service.ts';

/** AWS's default quota of managed policies attached to one user. */
export const MANAGED_POLICIES_PER_USER = 10;

/** AWS's limit on the summed size of one user's inline policies, whitespace excluded. */
export const USER_INLINE_POLICY_CHARS = 2048;

function policySize(document: string): number {
  return document.replace(/\s/g, '').length;
}

function inlineNotFound(policyName: string, userName: string): NoSuchEntity {
  return new NoSuchEntity(
    `The user policy with name ${policyName} cannot be found for user ${userName}.`,
  );
}

export class IamUserPolicies {
  constructor(
    private readonly deps: IamDeps,
    private readonly policies: IamPolicies,
  ) {}

  async putUserPolicy(
    name: string | undefined,
    policyName: string | undefined,
    document: string | undefined,
  ): Promise<void> {
    const userName = checkName(name, 'userName');
    const pName = checkName(policyName, 'policyName', 128);
    const doc = checkPolicyDocument(document, 'policyDocument', 'identity');
    await this.deps.store.transaction(async (trx) => {
      await userRow(trx, userName);
      const others = await trx
        .selectFrom('iam_user_policies')
        .select('document')
        .where('user_name', '=', userName)
        .where('policy_name', '!=', pName)
        .execute();
      const total = others.reduce((n, r) => n + policySize(r.document), policySize(doc));
      if (total > USER_INLINE_POLICY_CHARS) {
        throw new LimitExceeded(
          `Maximum policy size of ${USER_INLINE_POLICY_CHARS} bytes exceeded for user ${userName}`,
        );
      }
      await trx
        .deleteFrom('iam_user_policies')
        .where('user_name', '=', userName)
        .where('policy_name', '=', pName)
        .execute();
      await trx
        .insertInto('iam_user_policies')
        .values({ user_name: userName, policy_name: pName, document: doc })
        .execute();
    });
  }

  async getUserPolicy(
    name: string | undefined,
    policyName: string | undefined,
  ): Promise<{ UserName: string; PolicyName: string; PolicyDocument: string }> {
    const userName = checkName(name, 'userName');
    const pName = checkName(policyName, 'policyName', 128);
    const db = this.deps.store.db;
    await userRow(db, userName);
    const row = await db
      .selectFrom('iam_user_policies')
      .select('document')
      .where('user_name', '=', userName)
      .where('policy_name', '=', pName)
      .executeTakeFirst();
    if (!row) throw inlineNotFound(pName, userName);
    return { UserName: userName, PolicyName: pName, PolicyDocument: encodeDocument(row.document) };
  }

  async deleteUserPolicy(name: string | undefined, policyName: string | undefined): Promise<void> {
    const userName = checkName(name, 'userName');
    const pName = checkName(policyName, 'policyName', 128);
    const db = this.deps.store.db;
    await userRow(db, userName);
    const result = await db
      .deleteFrom('iam_user_policies')
      .where('user_name', '=', userName)
      .where('policy_name', '=', pName)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw inlineNotFound(pName, userName);
  }

  async listUserPolicies(name: string | undefined, page: PageInput): Promise<Page<string>> {
    const userName = checkName(name, 'userName');
    const db = this.deps.store.db;
    await userRow(db, userName);
    const rows = await db
      .selectFrom('iam_user_policies')
      .select('policy_name')
      .where('user_name', '=', userName)
      .execute();
    return pageOf(
      rows.map((r) => r.policy_name),
      (n) => n,
      page.Marker,
      page.MaxItems,
    );
  }

  async attachUserPolicy(name: string | undefined, policyArn: string | undefined): Promise<void> {
    const userName = checkName(name, 'userName');
    const arn = checkPolicyArn(policyArn);
    await this.deps.store.transaction(async (trx) => {
      await userRow(trx, userName);
      if (!(await this.policies.exists(trx, arn))) throw policyNotFound(arn);
      const attached = await trx
        .selectFrom('iam_user_attachments')
        .select('policy_arn')
        .where('user_name', '=', userName)
        .execute();
      // Attaching a policy that is attached already succeeds and changes nothing.
      if (attached.some((r) => r.policy_arn === arn)) return;
      if (attached.length >= MANAGED_POLICIES_PER_USER) {
        throw new LimitExceeded(
          `Cannot exceed quota for PoliciesPerUser: ${MANAGED_POLICIES_PER_USER}`,
        );
      }
      await trx
        .insertInto('iam_user_attachments')
        .values({ user_name: userName, policy_arn: arn })
        .execute();
    });
  }

  async detachUserPolicy(name: string | undefined, policyArn: string | undefined): Promise<void> {
    const userName = checkName(name, 'userName');
    const arn = checkPolicyArn(policyArn);
    const db = this.deps.store.db;
    await userRow(db, userName);
    const result = await db
      .deleteFrom('iam_user_attachments')
      .where('user_name', '=', userName)
      .where('policy_arn', '=', arn)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NoSuchEntity(`Policy ${arn} was not found.`);
  }

  async listAttachedUserPolicies(
    name: string | undefined,
    input: PageInput & { PathPrefix?: string },
  ): Promise<Page<AttachedPolicy>> {
    const userName = checkName(name, 'userName');
    const db = this.deps.store.db;
    await userRow(db, userName);
    const rows = await db
      .selectFrom('iam_user_attachments')
      .select('policy_arn')
      .where('user_name', '=', userName)
      .execute();
    const attached = rows.map((r) => ({
      PolicyName: r.policy_arn.slice(r.policy_arn.lastIndexOf('/') + 1),
      PolicyArn: r.policy_arn,
    }));
    return pageOf(attached, (p) => p.PolicyArn, input.Marker, input.MaxItems);
  }
}
