/**
 * Access keys of IAM users (at most two each, as AWS's quota), and the lookup SigV4 verification
 * uses to find the secret and the identity behind a key id. Key ids follow AWS's form (`AKIA` +
 * 16 of A–Z/2–7); secrets are 40 characters of base64 alphabet, as AWS issues them.
 */
import { randomBytes } from 'node:crypto';

import type { IamAccessKeyRow } from '../store/tables/iam.tables.ts';
import { LimitExceeded, NoSuchEntity, ValidationError } from './iam.errors.ts';
import { isoDate, pageOf, uniqueId, type IamDeps } from './iam.model.ts';
import type { AccessKey, AccessKeyMetadata, Page, PageInput } from './iam.types.ts';
import { userRow } from './iam-users.service.ts';
import { checkName } from './iam.validate.ts';

/** AWS's quota of access keys per user. */
export const ACCESS_KEYS_PER_USER = 2;

/** What verification needs to know of a key: its secret and whose it is. */
export interface AccessKeyIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  active: boolean;
  userName: string;
  /** The user's ARN: the principal requests signed with this key act as. */
  principalArn: string;
  userId: string;
}

function metadata(row: IamAccessKeyRow): AccessKeyMetadata {
  return {
    UserName: row.user_name,
    AccessKeyId: row.access_key_id,
    Status: row.status,
    CreateDate: isoDate(row.create_date),
  };
}

function newSecret(): string {
  return randomBytes(30).toString('base64').slice(0, 40);
}

function keyNotFound(id: string): NoSuchEntity {
  return new NoSuchEntity(`The Access Key with id ${id} cannot be found.`);
}

export class IamAccessKeys {
  constructor(private readonly deps: IamDeps) {}

  async createAccessKey(name: string | undefined): Promise<AccessKey> {
    const userName = checkName(name, 'userName');
    const row: IamAccessKeyRow = {
      access_key_id: uniqueId('AKIA').slice(0, 20),
      user_name: userName,
      secret_access_key: newSecret(),
      status: 'Active',
      create_date: this.deps.clock.now(),
    };
    await this.deps.store.transaction(async (trx) => {
      await userRow(trx, userName);
      const existing = await trx
        .selectFrom('iam_access_keys')
        .select('access_key_id')
        .where('user_name', '=', userName)
        .execute();
      if (existing.length >= ACCESS_KEYS_PER_USER) {
        throw new LimitExceeded(
          `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`,
        );
      }
      await trx.insertInto('iam_access_keys').values(row).execute();
    });
    return { ...metadata(row), SecretAccessKey: row.secret_access_key };
  }

  async listAccessKeys(
    name: string | undefined,
    page: PageInput,
  ): Promise<Page<AccessKeyMetadata>> {
    const userName = checkName(name, 'userName');
    await userRow(this.deps.store.db, userName);
    const rows = await this.deps.store.db
      .selectFrom('iam_access_keys')
      .selectAll()
      .where('user_name', '=', userName)
      .execute();
    return pageOf(rows.map(metadata), (k) => k.AccessKeyId, page.Marker, page.MaxItems);
  }

  async updateAccessKey(
    name: string | undefined,
    accessKeyId: string | undefined,
    status: string | undefined,
  ): Promise<void> {
    const userName = checkName(name, 'userName');
    if (status !== 'Active' && status !== 'Inactive') {
      throw new ValidationError(
        `1 validation error detected: Value '${status ?? ''}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
      );
    }
    const id = this.#checkId(accessKeyId);
    await userRow(this.deps.store.db, userName);
    const result = await this.deps.store.db
      .updateTable('iam_access_keys')
      .set({ status })
      .where('access_key_id', '=', id)
      .where('user_name', '=', userName)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw keyNotFound(id);
  }

  async deleteAccessKey(name: string | undefined, accessKeyId: string | undefined): Promise<void> {
    const userName = checkName(name, 'userName');
    const id = this.#checkId(accessKeyId);
    await userRow(this.deps.store.db, userName);
    const result = await this.deps.store.db
      .deleteFrom('iam_access_keys')
      .where('access_key_id', '=', id)
      .where('user_name', '=', userName)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw keyNotFound(id);
  }

  /**
   * The identity behind a key id, for SigV4 verification; undefined for an unknown key (the
   * caller answers with its protocol's "invalid token" error). Inactive keys are returned with
   * `active: false` so the verifier can say why.
   */
  async lookup(accessKeyId: string): Promise<AccessKeyIdentity | undefined> {
    // Users' keys are all `AKIA…`: a session's `ASIA…` key (the next lookup in the chain) or the
    // root key costs no store read here, on the path of every signed request.
    if (!accessKeyId.startsWith('AKIA')) return undefined;
    const row = await this.deps.store.db
      .selectFrom('iam_access_keys')
      .innerJoin('iam_users', 'iam_users.name', 'iam_access_keys.user_name')
      .select([
        'iam_access_keys.access_key_id',
        'iam_access_keys.secret_access_key',
        'iam_access_keys.status',
        'iam_users.name',
        'iam_users.arn',
        'iam_users.user_id',
      ])
      .where('iam_access_keys.access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      accessKeyId: row.access_key_id,
      secretAccessKey: row.secret_access_key,
      active: row.status === 'Active',
      userName: row.name,
      principalArn: row.arn,
      userId: row.user_id,
    };
  }

  #checkId(accessKeyId: string | undefined): string {
    if (!accessKeyId || !/^[\w]{16,128}$/.test(accessKeyId)) {
      throw new ValidationError(
        `1 validation error detected: Value '${accessKeyId ?? ''}' at 'accessKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+`,
      );
    }
    return accessKeyId;
  }
}
