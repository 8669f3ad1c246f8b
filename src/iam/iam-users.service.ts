/**
 * IAM users: the long-term identities that hold access keys and policies (the policies are in
 * iam-user-policies.service.ts). A user cannot be deleted while it still has access keys, inline
 * policies or attached policies, as AWS refuses (`DeleteConflict`).
 */
import type { Db } from '../store/store.ts';
import type { IamUserRow } from '../store/tables/iam.tables.ts';
import { DeleteConflict, EntityAlreadyExists, userNotFound } from './iam.errors.ts';
import { checkTags, isoDate, pageOf, parseTags, uniqueId, type IamDeps } from './iam.model.ts';
import type { CreateUserInput, Page, PageInput, User } from './iam.types.ts';
import { checkName, checkPath } from './iam.validate.ts';

/** A stored user in wire form; ListUsers leaves tags out, as AWS does. */
function toUser(row: IamUserRow, withTags: boolean): User {
  const tags = parseTags(row.tags);
  return {
    Path: row.path,
    UserName: row.name,
    UserId: row.user_id,
    Arn: row.arn,
    CreateDate: isoDate(row.create_date),
    ...(withTags && tags.length > 0 ? { Tags: tags } : {}),
  };
}

/** Reads a user or throws IAM's `NoSuchEntity`. */
export async function userRow(db: Db, name: string): Promise<IamUserRow> {
  const row = await db
    .selectFrom('iam_users')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) throw userNotFound(name);
  return row;
}

export class IamUsers {
  constructor(private readonly deps: IamDeps) {}

  async createUser(input: CreateUserInput): Promise<User> {
    const name = checkName(input.UserName, 'userName');
    const path = checkPath(input.Path);
    const tags = checkTags(input.Tags);
    const { partition, accountId } = this.deps.context;
    const row: IamUserRow = {
      name,
      user_id: uniqueId('AIDA'),
      path,
      arn: `arn:${partition}:iam::${accountId}:user${path}${name}`,
      create_date: this.deps.clock.now(),
      tags: JSON.stringify(tags),
    };
    await this.deps.store.transaction(async (trx) => {
      const existing = await trx
        .selectFrom('iam_users')
        .select('name')
        .where('name', '=', name)
        .executeTakeFirst();
      if (existing) throw new EntityAlreadyExists(`User with name ${name} already exists.`);
      await trx.insertInto('iam_users').values(row).execute();
    });
    return toUser(row, true);
  }

  async getUser(name: string | undefined): Promise<User> {
    return toUser(await userRow(this.deps.store.db, checkName(name, 'userName')), true);
  }

  async listUsers(input: PageInput & { PathPrefix?: string }): Promise<Page<User>> {
    const prefix = input.PathPrefix ?? '/';
    const rows = await this.deps.store.db.selectFrom('iam_users').selectAll().execute();
    const matching = rows.filter((r) => r.path.startsWith(prefix)).map((r) => toUser(r, false));
    return pageOf(matching, (u) => u.UserName, input.Marker, input.MaxItems);
  }

  async deleteUser(name: string | undefined): Promise<void> {
    const userName = checkName(name, 'userName');
    await this.deps.store.transaction(async (trx) => {
      await userRow(trx, userName);
      const key = await trx
        .selectFrom('iam_access_keys')
        .select('access_key_id')
        .where('user_name', '=', userName)
        .executeTakeFirst();
      if (key) throw new DeleteConflict('Cannot delete entity, must delete access keys first.');
      const inline = await trx
        .selectFrom('iam_user_policies')
        .select('policy_name')
        .where('user_name', '=', userName)
        .executeTakeFirst();
      if (inline) throw new DeleteConflict('Cannot delete entity, must delete policies first.');
      const attached = await trx
        .selectFrom('iam_user_attachments')
        .select('policy_arn')
        .where('user_name', '=', userName)
        .executeTakeFirst();
      if (attached) {
        throw new DeleteConflict('Cannot delete entity, must detach all policies first.');
      }
      await trx.deleteFrom('iam_users').where('name', '=', userName).execute();
    });
  }
}
