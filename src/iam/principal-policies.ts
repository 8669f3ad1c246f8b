/**
 * The policies that hang off an IAM identity, for roles and users alike: inline policies
 * (`Put/Get/Delete/List…Policy`) and attached managed policies (`Attach/Detach/ListAttached…`).
 * AWS gives both identities the same seven operations with the same rules, so one implementation
 * serves both; a {@link PolicyHolder} names the tables, the owner check, the quotas and the words
 * of the errors that differ.
 *
 * Quotas are AWS's defaults: all inline policies of one identity together at most
 * `inlineChars` characters (whitespace not counted: 2,048 for a user, 10,240 for a role), and at
 * most `maxAttached` managed policies attached (10 for either).
 */
import type { Db } from '../store/store.ts';
import type { IamUserAttachmentRow, IamUserPolicyRow } from '../store/tables/iam.tables.ts';
import { LimitExceeded, NoSuchEntity, policyNotFound } from './iam.errors.ts';
import { encodeDocument, pageOf, type IamDeps } from './iam.model.ts';
import type { AttachedPolicy, Page, PageInput } from './iam.types.ts';
import { checkName, checkPolicyArn, checkPolicyDocument } from './iam.validate.ts';
import type { IamPolicies } from './iam-policies.service.ts';

/** What differs between a role's policies and a user's. */
export interface PolicyHolder {
  /** `user` or `role`, as AWS's messages and quota names spell it. */
  readonly kind: 'user' | 'role';
  /** The validated member name of the identity (`userName`, `roleName`). */
  readonly nameMember: string;
  readonly inlineTable: 'iam_user_policies' | 'iam_role_policies';
  readonly attachTable: 'iam_user_attachments' | 'iam_role_attachments';
  /** Column naming the owner in both tables. */
  readonly ownerColumn: 'user_name' | 'role_name';
  /** Throws the identity's NoSuchEntity when `name` does not exist. */
  mustExist(db: Db, name: string): Promise<unknown>;
  readonly inlineChars: number;
  readonly maxAttached: number;
  /** AWS words "no such inline policy" differently for users and roles. */
  inlineNotFound(policyName: string, ownerName: string): NoSuchEntity;
}

/** A managed policy's path from its ARN: `/service-role/` of `…:policy/service-role/Name`. */
function policyPath(arn: string): string {
  return arn.slice(arn.indexOf(':policy/') + ':policy'.length, arn.lastIndexOf('/') + 1);
}

function policySize(document: string): number {
  return document.replace(/\s/g, '').length;
}

export class PrincipalPolicies {
  // The two pairs of tables have the same shape but for the owner column's name; queries are
  // typed against the user tables and the holder's names are substituted (casts below).
  readonly #inline: 'iam_user_policies';
  readonly #attached: 'iam_user_attachments';
  readonly #owner: 'user_name';

  constructor(
    private readonly deps: IamDeps,
    private readonly policies: IamPolicies,
    private readonly holder: PolicyHolder,
  ) {
    this.#inline = holder.inlineTable as 'iam_user_policies';
    this.#attached = holder.attachTable as 'iam_user_attachments';
    this.#owner = holder.ownerColumn as 'user_name';
  }

  async putInline(
    name: string | undefined,
    policyName: string | undefined,
    document: string | undefined,
  ): Promise<void> {
    const owner = checkName(name, this.holder.nameMember);
    const pName = checkName(policyName, 'policyName', 128);
    const doc = checkPolicyDocument(document, 'policyDocument', 'identity');
    await this.deps.store.transaction(async (trx) => {
      await this.holder.mustExist(trx, owner);
      const others = await trx
        .selectFrom(this.#inline)
        .select('document')
        .where(this.#owner, '=', owner)
        .where('policy_name', '!=', pName)
        .execute();
      const total = others.reduce((n, r) => n + policySize(r.document), policySize(doc));
      if (total > this.holder.inlineChars) {
        throw new LimitExceeded(
          `Maximum policy size of ${this.holder.inlineChars} bytes exceeded for ${this.holder.kind} ${owner}`,
        );
      }
      await trx
        .deleteFrom(this.#inline)
        .where(this.#owner, '=', owner)
        .where('policy_name', '=', pName)
        .execute();
      const row = { [this.#owner]: owner, policy_name: pName, document: doc };
      await trx
        .insertInto(this.#inline)
        .values(row as IamUserPolicyRow)
        .execute();
    });
  }

  /** The inline policy's document, URL-encoded as IAM returns it. */
  async getInline(
    name: string | undefined,
    policyName: string | undefined,
  ): Promise<{ owner: string; policyName: string; document: string }> {
    const owner = checkName(name, this.holder.nameMember);
    const pName = checkName(policyName, 'policyName', 128);
    const db = this.deps.store.db;
    await this.holder.mustExist(db, owner);
    const row = await db
      .selectFrom(this.#inline)
      .select('document')
      .where(this.#owner, '=', owner)
      .where('policy_name', '=', pName)
      .executeTakeFirst();
    if (!row) throw this.holder.inlineNotFound(pName, owner);
    return { owner, policyName: pName, document: encodeDocument(row.document) };
  }

  async deleteInline(name: string | undefined, policyName: string | undefined): Promise<void> {
    const owner = checkName(name, this.holder.nameMember);
    const pName = checkName(policyName, 'policyName', 128);
    const db = this.deps.store.db;
    await this.holder.mustExist(db, owner);
    const result = await db
      .deleteFrom(this.#inline)
      .where(this.#owner, '=', owner)
      .where('policy_name', '=', pName)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw this.holder.inlineNotFound(pName, owner);
  }

  async listInline(name: string | undefined, page: PageInput): Promise<Page<string>> {
    const owner = checkName(name, this.holder.nameMember);
    const db = this.deps.store.db;
    await this.holder.mustExist(db, owner);
    const rows = await db
      .selectFrom(this.#inline)
      .select('policy_name')
      .where(this.#owner, '=', owner)
      .execute();
    return pageOf(
      rows.map((r) => r.policy_name),
      (n) => n,
      page.Marker,
      page.MaxItems,
    );
  }

  async attach(name: string | undefined, policyArn: string | undefined): Promise<void> {
    const owner = checkName(name, this.holder.nameMember);
    const arn = checkPolicyArn(policyArn);
    await this.deps.store.transaction(async (trx) => {
      await this.holder.mustExist(trx, owner);
      if (!(await this.policies.exists(trx, arn))) throw policyNotFound(arn);
      const attached = await trx
        .selectFrom(this.#attached)
        .select('policy_arn')
        .where(this.#owner, '=', owner)
        .execute();
      // Attaching a policy that is attached already succeeds and changes nothing.
      if (attached.some((r) => r.policy_arn === arn)) return;
      if (attached.length >= this.holder.maxAttached) {
        const quota = this.holder.kind === 'user' ? 'PoliciesPerUser' : 'PoliciesPerRole';
        throw new LimitExceeded(`Cannot exceed quota for ${quota}: ${this.holder.maxAttached}`);
      }
      const row = { [this.#owner]: owner, policy_arn: arn };
      await trx
        .insertInto(this.#attached)
        .values(row as IamUserAttachmentRow)
        .execute();
    });
  }

  async detach(name: string | undefined, policyArn: string | undefined): Promise<void> {
    const owner = checkName(name, this.holder.nameMember);
    const arn = checkPolicyArn(policyArn);
    const db = this.deps.store.db;
    await this.holder.mustExist(db, owner);
    const result = await db
      .deleteFrom(this.#attached)
      .where(this.#owner, '=', owner)
      .where('policy_arn', '=', arn)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NoSuchEntity(`Policy ${arn} was not found.`);
  }

  async listAttached(
    name: string | undefined,
    input: PageInput & { PathPrefix?: string },
  ): Promise<Page<AttachedPolicy>> {
    const owner = checkName(name, this.holder.nameMember);
    const db = this.deps.store.db;
    await this.holder.mustExist(db, owner);
    const rows = await db
      .selectFrom(this.#attached)
      .select('policy_arn')
      .where(this.#owner, '=', owner)
      .execute();
    const prefix = input.PathPrefix ?? '/';
    const attached = rows
      .filter((r) => policyPath(r.policy_arn).startsWith(prefix))
      .map((r) => ({
        PolicyName: r.policy_arn.slice(r.policy_arn.lastIndexOf('/') + 1),
        PolicyArn: r.policy_arn,
      }));
    return pageOf(attached, (p) => p.PolicyArn, input.Marker, input.MaxItems);
  }
}
