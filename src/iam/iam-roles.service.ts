/** Roles and what hangs off them: inline policies, attached managed policies, tags. */
import type { Db } from '../store/store.ts';
import type { IamRoleRow } from '../store/tables/iam.tables.ts';
import {
  DeleteConflict,
  EntityAlreadyExists,
  NoSuchEntity,
  ValidationError,
  policyNotFound,
  roleNotFound,
} from './iam.errors.ts';
import {
  checkTags,
  encodeDocument,
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
import { checkName, checkPath, checkPolicyArn, checkPolicyDocument } from './iam.validate.ts';
import type { IamPolicies } from './iam-policies.service.ts';

export class IamRoles {
  constructor(
    private readonly deps: IamDeps,
    private readonly policies: IamPolicies,
  ) {}

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

  async putRolePolicy(
    name: string | undefined,
    policyName: string | undefined,
    document: string | undefined,
  ): Promise<void> {
    const roleName = checkName(name, 'roleName');
    const pName = checkName(policyName, 'policyName', 128);
    const doc = checkPolicyDocument(document, 'policyDocument', 'identity');
    await this.deps.store.transaction(async (trx) => {
      await this.row(trx, roleName);
      await trx
        .deleteFrom('iam_role_policies')
        .where('role_name', '=', roleName)
        .where('policy_name', '=', pName)
        .execute();
      await trx
        .insertInto('iam_role_policies')
        .values({ role_name: roleName, policy_name: pName, document: doc })
        .execute();
    });
  }

  async getRolePolicy(
    name: string | undefined,
    policyName: string | undefined,
  ): Promise<{ RoleName: string; PolicyName: string; PolicyDocument: string }> {
    const roleName = checkName(name, 'roleName');
    const pName = checkName(policyName, 'policyName', 128);
    await this.row(this.deps.store.db, roleName);
    const row = await this.deps.store.db
      .selectFrom('iam_role_policies')
      .selectAll()
      .where('role_name', '=', roleName)
      .where('policy_name', '=', pName)
      .executeTakeFirst();
    if (!row) throw new NoSuchEntity(`The role policy with name ${pName} cannot be found.`);
    return { RoleName: roleName, PolicyName: pName, PolicyDocument: encodeDocument(row.document) };
  }

  async deleteRolePolicy(name: string | undefined, policyName: string | undefined): Promise<void> {
    const roleName = checkName(name, 'roleName');
    const pName = checkName(policyName, 'policyName', 128);
    await this.row(this.deps.store.db, roleName);
    const result = await this.deps.store.db
      .deleteFrom('iam_role_policies')
      .where('role_name', '=', roleName)
      .where('policy_name', '=', pName)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new NoSuchEntity(`The role policy with name ${pName} cannot be found.`);
    }
  }

  async listRolePolicies(name: string | undefined, page: PageInput): Promise<Page<string>> {
    const roleName = checkName(name, 'roleName');
    await this.row(this.deps.store.db, roleName);
    const rows = await this.deps.store.db
      .selectFrom('iam_role_policies')
      .select('policy_name')
      .where('role_name', '=', roleName)
      .execute();
    return pageOf(
      rows.map((r) => r.policy_name),
      (n) => n,
      page.Marker,
      page.MaxItems,
    );
  }

  async attachRolePolicy(name: string | undefined, policyArn: string | undefined): Promise<void> {
    const roleName = checkName(name, 'roleName');
    const arn = checkPolicyArn(policyArn);
    await this.deps.store.transaction(async (trx) => {
      await this.row(trx, roleName);
      if (!(await this.policies.exists(trx, arn))) throw policyNotFound(arn);
      await trx
        .deleteFrom('iam_role_attachments')
        .where('role_name', '=', roleName)
        .where('policy_arn', '=', arn)
        .execute();
      await trx
        .insertInto('iam_role_attachments')
        .values({ role_name: roleName, policy_arn: arn })
        .execute();
    });
  }

  async detachRolePolicy(name: string | undefined, policyArn: string | undefined): Promise<void> {
    const roleName = checkName(name, 'roleName');
    const arn = checkPolicyArn(policyArn);
    await this.row(this.deps.store.db, roleName);
    const result = await this.deps.store.db
      .deleteFrom('iam_role_attachments')
      .where('role_name', '=', roleName)
      .where('policy_arn', '=', arn)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NoSuchEntity(`Policy ${arn} was not found.`);
  }

  async listAttachedRolePolicies(
    name: string | undefined,
    input: PageInput & { PathPrefix?: string },
  ): Promise<Page<AttachedPolicy>> {
    const roleName = checkName(name, 'roleName');
    await this.row(this.deps.store.db, roleName);
    const rows = await this.deps.store.db
      .selectFrom('iam_role_attachments')
      .select('policy_arn')
      .where('role_name', '=', roleName)
      .execute();
    const attached = rows.map((r) => ({
      PolicyName: r.policy_arn.slice(r.policy_arn.lastIndexOf('/') + 1),
      PolicyArn: r.policy_arn,
    }));
    return pageOf(attached, (p) => p.PolicyArn, input.Marker, input.MaxItems);
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
