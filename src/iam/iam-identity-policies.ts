/**
 * Reads, for policy evaluation, the policy documents that apply to a principal: a user's or a
 * role's inline policies and attached managed policies (AWS-managed from the built-in list,
 * customer-managed from the store), and a role's trust policy. Assumed-role session ARNs
 * (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`) resolve to their role. Nothing is
 * cached: every request reads the current documents, so a changed policy applies at once.
 */
import { sql } from 'kysely';

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

/** The tables of one kind of identity that can hold policies. */
interface HolderTables {
  readonly owner: 'iam_users' | 'iam_roles';
  readonly inline: 'iam_user_policies' | 'iam_role_policies';
  readonly attached: 'iam_user_attachments' | 'iam_role_attachments';
  readonly ownerColumn: 'user_name' | 'role_name';
}

const USER_TABLES: HolderTables = {
  owner: 'iam_users',
  inline: 'iam_user_policies',
  attached: 'iam_user_attachments',
  ownerColumn: 'user_name',
};

const ROLE_TABLES: HolderTables = {
  owner: 'iam_roles',
  inline: 'iam_role_policies',
  attached: 'iam_role_attachments',
  ownerColumn: 'role_name',
};

export class IamIdentityPolicies {
  constructor(private readonly deps: IamDeps) {}

  /**
   * Inline then attached managed documents of the user, or of the role behind `principalArn`
   * (role or assumed-role session). Unknown principals and the root have none here: root is not
   * evaluated at all.
   */
  async identityPolicies(principalArn: string): Promise<NamedPolicy[]> {
    const db = this.deps.store.db;
    const asUser = await this.holderPolicies(db, USER_TABLES, 'arn', principalArn);
    if (asUser.length > 0) return asUser;
    const roleName = roleNameOf(principalArn);
    if (roleName === undefined) return [];
    const { partition, accountId } = this.deps.context;
    // A session names only its role; the role ARN itself must match exactly (path included).
    return principalArn.startsWith(`arn:${partition}:sts::${accountId}:assumed-role/`)
      ? this.holderPolicies(db, ROLE_TABLES, 'name', roleName)
      : this.holderPolicies(db, ROLE_TABLES, 'arn', principalArn);
  }

  /**
   * Inline (by name) then attached (by ARN) documents of the user or role whose `by` column is
   * `value`, in one query: this runs on every non-root request. None when there is no such
   * identity, or it has no policies.
   */
  private async holderPolicies(
    db: Db,
    tables: HolderTables,
    by: 'arn' | 'name',
    value: string,
  ): Promise<NamedPolicy[]> {
    // The user and role tables have the same shape but for their names; the query is typed
    // against the user tables and the holder's names substituted (as in principal-policies.ts).
    const owner = tables.owner as 'iam_users';
    const inline = tables.inline as 'iam_user_policies';
    const attached = tables.attached as 'iam_user_attachments';
    const ownerColumn = tables.ownerColumn as 'user_name';
    const rows = await db
      .selectFrom(owner)
      .innerJoin(inline, `${inline}.${ownerColumn}`, `${owner}.name`)
      .where(`${owner}.${by}`, '=', value)
      .select([
        `${inline}.policy_name as name`,
        `${inline}.document as document`,
        sql<number>`0`.as('managed'),
      ])
      .unionAll(
        db
          .selectFrom(owner)
          .innerJoin(attached, `${attached}.${ownerColumn}`, `${owner}.name`)
          .leftJoin('iam_policies', 'iam_policies.arn', `${attached}.policy_arn`)
          .where(`${owner}.${by}`, '=', value)
          .select([
            `${attached}.policy_arn as name`,
            sql<string>`coalesce(iam_policies.document, '')`.as('document'),
            sql<number>`1`.as('managed'),
          ]),
      )
      .execute();
    rows.sort((x, y) => x.managed - y.managed || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    const { partition } = this.deps.context;
    const out: NamedPolicy[] = [];
    for (const row of rows) {
      if (row.document !== '') {
        out.push({ name: row.name, document: JSON.parse(row.document) as PolicyDocument });
        continue;
      }
      // Attached but not in the store: one of the AWS-managed policies we ship.
      const aws = AWS_MANAGED_POLICIES.find((p) => awsManagedPolicyArn(partition, p) === row.name);
      if (aws) out.push({ name: row.name, document: aws.document as PolicyDocument });
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
