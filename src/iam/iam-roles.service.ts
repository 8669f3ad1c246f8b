/** Roles and what hangs off them: inline policies, attached managed policies, tags. */
import type { Db } from '../store/store.ts';
import type { IamRoleRow } from '../store/tables/iam.tables.ts';
import {
  DeleteConflict,
  EntityAlreadyExists,
  NoSuchEntity,
  ValidationError,
  roleNotFound,
} from './iam.errors.ts';
import {
  checkTags,
  mergeTags,
  pageOf,
  parseTags,
  toRole,
  uniqueId,
  type IamDeps,
} from './iam.model.ts';
import type {
  AttachedPolicy,
  CreateRoleInput,
  IamTag,
  Page,
  PageInput,
  Role,
} from './iam.types.ts';
import { checkName, checkPath, checkPolicyDocument } from './iam.validate.ts';
import type { IamPolicies } from './iam-policies.service.ts';
import { PrincipalPolicies } from './principal-policies.ts';

/** AWS's default quota of managed policies attached to one role. */
export const MANAGED_POLICIES_PER_ROLE = 10;

/** AWS's limit on the summed size of one role's inline policies, whitespace excluded. */
export const ROLE_INLINE_POLICY_CHARS = 10_240;

export class IamRoles {
  readonly #policies: PrincipalPolicies;

  constructor(
    private readonly deps: IamDeps,
    policies: IamPolicies,
  ) {
    this.#policies = new PrincipalPolicies(deps, policies, {
      kind: 'role',
      nameMember: 'roleName',
      inlineTable: 'iam_role_policies',
      attachTable: 'iam_role_attachments',
      ownerColumn: 'role_name',
      mustExist: (db, name) => this.row(db, name),
      inlineChars: ROLE_INLINE_POLICY_CHARS,
      maxAttached: MANAGED_POLICIES_PER_ROLE,
      inlineNotFound: (policyName) =>
        new NoSuchEntity(`The role policy with name ${policyName} cannot be found.`),
    });
  }

  async createRole(input: CreateRoleInput): Promise<Role> {
    const name = checkName(input.RoleName, 'roleName');
    const path = checkPath(input.Path);
    const trust = checkPolicyDocument(
      input.AssumeRolePolicyDocument,
      'assumeRolePolicyDocument',
      'trust',
    );
    const duration = input.MaxSessionDuration ?? 3600;
    if (!Number.isInteger(duration) || duration < 3600 || duration > 43200) {
      throw new ValidationError(
        `1 validation error detected: Value '${String(input.MaxSessionDuration)}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`,
      );
    }
    const tags = checkTags(input.Tags);
    const { partition, accountId } = this.deps.context;
    const row: IamRoleRow = {
      name,
      role_id: uniqueId('AROA'),
      path,
      arn: `arn:${partition}:iam::${accountId}:role${path}${name}`,
      create_date: this.deps.clock.now(),
      assume_role_policy: trust,
      description: input.Description ?? null,
      max_session_duration: duration,
      tags: JSON.stringify(tags),
    };
    await this.deps.store.transaction(async (trx) => {
      const existing = await trx
        .selectFrom('iam_roles')
        .select('name')
        .where('name', '=', name)
        .executeTakeFirst();
      if (existing) throw new EntityAlreadyExists(`Role with name ${name} already exists.`);
      await trx.insertInto('iam_roles').values(row).execute();
    });
    return toRole(row, true);
  }

  async getRole(name: string | undefined): Promise<Role> {
    return toRole(await this.row(this.deps.store.db, checkName(name, 'roleName')), true);
  }

  async listRoles(input: PageInput & { PathPrefix?: string }): Promise<Page<Role>> {
    const prefix = input.PathPrefix ?? '/';
    const rows = await this.deps.store.db.selectFrom('iam_roles').selectAll().execute();
    const matching = rows.filter((r) => r.path.startsWith(prefix)).map((r) => toRole(r, false));
    return pageOf(matching, (r) => r.RoleName, input.Marker, input.MaxItems);
  }

  /** AWS refuses while inline or attached policies remain (`DeleteConflict`). */
  async deleteRole(name: string | undefined): Promise<void> {
    const roleName = checkName(name, 'roleName');
    await this.deps.store.transaction(async (trx) => {
      await this.row(trx, roleName);
      const inline = await trx
        .selectFrom('iam_role_policies')
        .select('policy_name')
        .where('role_name', '=', roleName)
        .executeTakeFirst();
      if (inline) throw new DeleteConflict('Cannot delete entity, must delete policies first.');
      const attached = await trx
        .selectFrom('iam_role_attachments')
        .select('policy_arn')
        .where('role_name', '=', roleName)
        .executeTakeFirst();
      if (attached) {
        throw new DeleteConflict('Cannot delete entity, must detach all policies first.');
      }
      await trx.deleteFrom('iam_roles').where('name', '=', roleName).execute();
    });
  }

  async updateAssumeRolePolicy(
    name: string | undefined,
    document: string | undefined,
  ): Promise<void> {
    const roleName = checkName(name, 'roleName');
    const trust = checkPolicyDocument(document, 'policyDocument', 'trust');
    await this.row(this.deps.store.db, roleName);
    await this.deps.store.db
      .updateTable('iam_roles')
      .set({ assume_role_policy: trust })
      .where('name', '=', roleName)
      .execute();
  }

  putRolePolicy(name?: string, policyName?: string, document?: string): Promise<void> {
    return this.#policies.putInline(name, policyName, document);
  }

  async getRolePolicy(
    name?: string,
    policyName?: string,
  ): Promise<{ RoleName: string; PolicyName: string; PolicyDocument: string }> {
    const got = await this.#policies.getInline(name, policyName);
    return { RoleName: got.owner, PolicyName: got.policyName, PolicyDocument: got.document };
  }

  deleteRolePolicy(name?: string, policyName?: string): Promise<void> {
    return this.#policies.deleteInline(name, policyName);
  }

  listRolePolicies(name: string | undefined, page: PageInput): Promise<Page<string>> {
    return this.#policies.listInline(name, page);
  }

  attachRolePolicy(name?: string, policyArn?: string): Promise<void> {
    return this.#policies.attach(name, policyArn);
  }

  detachRolePolicy(name?: string, policyArn?: string): Promise<void> {
    return this.#policies.detach(name, policyArn);
  }

  listAttachedRolePolicies(
    name: string | undefined,
    input: PageInput & { PathPrefix?: string },
  ): Promise<Page<AttachedPolicy>> {
    return this.#policies.listAttached(name, input);
  }

  async tagRole(name: string | undefined, tags: IamTag[] | undefined): Promise<void> {
    const roleName = checkName(name, 'roleName');
    const added = checkTags(tags);
    await this.deps.store.transaction(async (trx) => {
      const row = await this.row(trx, roleName);
      const merged = mergeTags(parseTags(row.tags), added);
      checkTags(merged);
      await trx
        .updateTable('iam_roles')
        .set({ tags: JSON.stringify(merged) })
        .where('name', '=', roleName)
        .execute();
    });
  }

  async untagRole(name: string | undefined, keys: string[]): Promise<void> {
    const roleName = checkName(name, 'roleName');
    await this.deps.store.transaction(async (trx) => {
      const row = await this.row(trx, roleName);
      const kept = parseTags(row.tags).filter((t) => !keys.includes(t.Key));
      await trx
        .updateTable('iam_roles')
        .set({ tags: JSON.stringify(kept) })
        .where('name', '=', roleName)
        .execute();
    });
  }

  async listRoleTags(name: string | undefined, page: PageInput): Promise<Page<IamTag>> {
    const row = await this.row(this.deps.store.db, checkName(name, 'roleName'));
    return pageOf(parseTags(row.tags), (t) => t.Key, page.Marker, page.MaxItems);
  }

  /** Instance profiles are not modelled: a known role has none. */
  async listInstanceProfilesForRole(name: string | undefined): Promise<Page<never>> {
    await this.row(this.deps.store.db, checkName(name, 'roleName'));
    return { items: [], IsTruncated: false };
  }

  private async row(db: Db, name: string): Promise<IamRoleRow> {
    const row = await db
      .selectFrom('iam_roles')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw roleNotFound(name);
    return row;
  }
}
