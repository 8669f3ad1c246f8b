/**
 * Reads, for policy evaluation, the policy documents that apply to a principal: a user's or a
 * role's inline policies and attached managed policies (AWS-managed from the built-in list,
 * customer-managed from the store), and a role's trust policy. Assumed-role session ARNs
 * (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`) resolve to their role. Nothing is
 * cached: every request reads the current documents, so a changed policy applies at once.
 */
import type { Db } from '../store/store.ts';
import { AWS_MANAGED_POLICIES, awsManagedPolicyArn } from './aws-managed-policies.ts';
import { parseTags, type IamDeps } from './iam.model.ts';
import type { NamedPolicy, PolicyDocument } from './policy-evaluation/policy-evaluator.ts';

/** The role name an ARN refers to: `…:role/<path/>name` or `…:assumed-role/name/session`. */
export function roleNameOf(principalArn: string): string | undefined {
  const resource = principalArn.split(':').slice(5).join(':');
  if (resource.startsWith('role/')) return resource.slice(resource.lastIndexOf('/') + 1);
  if (resource.startsWith('assumed-role/')) return resource.split('/')[1];
  return undefined;
}

export class IamIdentityPolicies {
  constructor(private readonly deps: IamDeps) {}

  /**
   * Inline then attached managed documents of the user, or of the role behind `principalArn`
   * (role or assumed-role session). Unknown principals and the root have none here: root is not
   * evaluated at all.
   */
  async identityPolicies(principalArn: string): Promise<NamedPolicy[]> {
    const db = this.deps.store.db;
    const user = await db
      .selectFrom('iam_users')
      .select('name')
      .where('arn', '=', principalArn)
      .executeTakeFirst();
    if (user) return this.userPolicies(db, user.name);
    const role = await this.roleRow(db, principalArn);
    if (!role) return [];
    const inline = await db
      .selectFrom('iam_role_policies')
      .select(['policy_name', 'document'])
      .where('role_name', '=', role.name)
      .orderBy('policy_name')
      .execute();
    const attached = await db
      .selectFrom('iam_role_attachments')
      .select('policy_arn')
      .where('role_name', '=', role.name)
      .orderBy('policy_arn')
      .execute();
    return this.documents(db, inline, attached);
  }

  private async userPolicies(db: Db, userName: string): Promise<NamedPolicy[]> {
    const inline = await db
      .selectFrom('iam_user_policies')
      .select(['policy_name', 'document'])
      .where('user_name', '=', userName)
      .orderBy('policy_name')
      .execute();
    const attached = await db
      .selectFrom('iam_user_attachments')
      .select('policy_arn')
      .where('user_name', '=', userName)
      .orderBy('policy_arn')
      .execute();
    return this.documents(db, inline, attached);
  }

  private async documents(
    db: Db,
    inline: readonly { policy_name: string; document: string }[],
    attached: readonly { policy_arn: string }[],
  ): Promise<NamedPolicy[]> {
    const out: NamedPolicy[] = inline.map((r) => ({
      name: r.policy_name,
      document: JSON.parse(r.document) as PolicyDocument,
    }));
    for (const { policy_arn: arn } of attached) {
      const document = await this.managedDocument(db, arn);
      if (document) out.push({ name: arn, document });
    }
    return out;
  }

  /**
   * The tags of the user, or of the role behind a role or session ARN, as `aws:PrincipalTag/<key>`
   * reads them; none for anything else.
   */
  async principalTags(principalArn: string): Promise<Record<string, string>> {
    const db = this.deps.store.db;
    const user = await db
      .selectFrom('iam_users')
      .select('tags')
      .where('arn', '=', principalArn)
      .executeTakeFirst();
    const role = user ? undefined : await this.roleRow(db, principalArn);
    const row =
      user ??
      (role
        ? await db
            .selectFrom('iam_roles')
            .select('tags')
            .where('name', '=', role.name)
            .executeTakeFirst()
        : undefined);
    return Object.fromEntries(parseTags(row?.tags ?? '[]').map((t) => [t.Key, t.Value]));
  }

  /** The trust (assume-role) policy of the role with this ARN, or undefined if there is none. */
  async trustPolicy(roleArn: string): Promise<PolicyDocument | undefined> {
    const row = await this.deps.store.db
      .selectFrom('iam_roles')
      .select('assume_role_policy')
      .where('arn', '=', roleArn)
      .executeTakeFirst();
    return row ? (JSON.parse(row.assume_role_policy) as PolicyDocument) : undefined;
  }

  private async roleRow(db: Db, principalArn: string): Promise<{ name: string } | undefined> {
    const name = roleNameOf(principalArn);
    if (name === undefined) return undefined;
    const { partition, accountId } = this.deps.context;
    // A session names only its role; the role ARN itself must match exactly (path included).
    if (principalArn.startsWith(`arn:${partition}:sts::${accountId}:assumed-role/`)) {
      return db.selectFrom('iam_roles').select('name').where('name', '=', name).executeTakeFirst();
    }
    return db
      .selectFrom('iam_roles')
      .select('name')
      .where('arn', '=', principalArn)
      .executeTakeFirst();
  }

  private managedDocument(db: Db, arn: string): Promise<PolicyDocument | undefined> {
    return managedPolicyDocument(db, this.deps.context.partition, arn);
  }
}

/**
 * The document of a managed policy by ARN: AWS-managed ones from the built-in list,
 * customer-managed ones from the store; undefined when there is no such policy.
 */
export async function managedPolicyDocument(
  db: Db,
  partition: string,
  arn: string,
): Promise<PolicyDocument | undefined> {
  const aws = AWS_MANAGED_POLICIES.find((p) => awsManagedPolicyArn(partition, p) === arn);
  if (aws) return aws.document as PolicyDocument;
  const row = await db
    .selectFrom('iam_policies')
    .select('document')
    .where('arn', '=', arn)
    .executeTakeFirst();
  return row ? (JSON.parse(row.document) as PolicyDocument) : undefined;
}
