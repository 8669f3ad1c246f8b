/**
 * Managed policies: the AWS-managed catalogue (read-only data) and customer-managed policies
 * (one version, `v1`; CreatePolicyVersion is not served yet).
 */
import type { Db } from '../store/store.ts';
import type { IamPolicyRow } from '../store/tables/iam.tables.ts';
import {
  AWS_MANAGED_POLICIES,
  awsManagedPolicyArn,
  type AwsManagedPolicy,
} from './aws-managed-policies.ts';
import {
  DeleteConflict,
  EntityAlreadyExists,
  NoSuchEntity,
  ValidationError,
} from './iam.errors.ts';
import {
  checkTags,
  encodeDocument,
  isoDate,
  pageOf,
  parseTags,
  uniqueId,
  type IamDeps,
} from './iam.model.ts';
import type {
  CreatePolicyInput,
  ManagedPolicy,
  Page,
  PageInput,
  PolicyVersion,
} from './iam.types.ts';
import {
  checkName,
  checkPath,
  checkPolicyArn as checkArn,
  checkPolicyDocument,
} from './iam.validate.ts';

/** ListPolicies' `Scope`. */
export type PolicyScope = 'All' | 'AWS' | 'Local';

export class IamPolicies {
  constructor(private readonly deps: IamDeps) {}

  async createPolicy(input: CreatePolicyInput): Promise<ManagedPolicy> {
    const name = checkName(input.PolicyName, 'policyName', 128);
    const path = checkPath(input.Path);
    const document = checkPolicyDocument(input.PolicyDocument, 'policyDocument', 'identity');
    const tags = checkTags(input.Tags);
    const { partition, accountId } = this.deps.context;
    const row: IamPolicyRow = {
      arn: `arn:${partition}:iam::${accountId}:policy${path}${name}`,
      name,
      policy_id: uniqueId('ANPA'),
      path,
      document,
      description: input.Description ?? null,
      create_date: this.deps.clock.now(),
      tags: JSON.stringify(tags),
    };
    await this.deps.store.transaction(async (trx) => {
      // Names are unique per account whatever the path.
      const existing = await trx
        .selectFrom('iam_policies')
        .select('arn')
        .where('name', '=', name)
        .executeTakeFirst();
      if (existing) {
        throw new EntityAlreadyExists(
          `A policy called ${name} already exists. Duplicate names are not allowed.`,
        );
      }
      await trx.insertInto('iam_policies').values(row).execute();
    });
    return this.customer(row, 0);
  }

  async getPolicy(arn: string | undefined): Promise<ManagedPolicy> {
    const policyArn = checkArn(arn);
    const db = this.deps.store.db;
    const count = await attachments(db, policyArn);
    const aws = this.awsPolicy(policyArn);
    if (aws) return this.awsManaged(aws, count);
    const row = await db
      .selectFrom('iam_policies')
      .selectAll()
      .where('arn', '=', policyArn)
      .executeTakeFirst();
    if (!row) throw new NoSuchEntity(`Policy ${policyArn} was not found.`);
    return this.customer(row, count);
  }

  async getPolicyVersion(
    arn: string | undefined,
    versionId: string | undefined,
  ): Promise<PolicyVersion> {
    const policyArn = checkArn(arn);
    const aws = this.awsPolicy(policyArn);
    const row = aws
      ? undefined
      : await this.deps.store.db
          .selectFrom('iam_policies')
          .selectAll()
          .where('arn', '=', policyArn)
          .executeTakeFirst();
    if (!aws && !row) throw new NoSuchEntity(`Policy ${policyArn} was not found.`);
    const current = aws ? aws.versionId : 'v1';
    if (versionId !== current) {
      throw new NoSuchEntity(
        `Policy ${policyArn} version ${versionId ?? ''} does not exist or is not attachable.`,
      );
    }
    const text = aws ? JSON.stringify(aws.document) : (row as IamPolicyRow).document;
    const created = aws ? aws.updateDate : (row as IamPolicyRow).create_date;
    return {
      Document: encodeDocument(text),
      VersionId: current,
      IsDefaultVersion: true,
      CreateDate: isoDate(created),
    };
  }

  /** AWS refuses while the policy is attached to any role or user. */
  async deletePolicy(arn: string | undefined): Promise<void> {
    const policyArn = checkArn(arn);
    if (this.awsPolicy(policyArn)) {
      throw new ValidationError(`Cannot delete policies outside your own account.`);
    }
    await this.deps.store.transaction(async (trx) => {
      const row = await trx
        .selectFrom('iam_policies')
        .select('arn')
        .where('arn', '=', policyArn)
        .executeTakeFirst();
      if (!row) throw new NoSuchEntity(`Policy ${policyArn} was not found.`);
      if ((await attachments(trx, policyArn)) > 0) {
        throw new DeleteConflict('Cannot delete a policy attached to entities.');
      }
      await trx.deleteFrom('iam_policies').where('arn', '=', policyArn).execute();
    });
  }

  async listPolicies(
    input: PageInput & { Scope?: string; OnlyAttached?: boolean; PathPrefix?: string },
  ): Promise<Page<ManagedPolicy>> {
    const scope = input.Scope ?? 'All';
    if (!['All', 'AWS', 'Local'].includes(scope)) {
      throw new ValidationError(
        `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`,
      );
    }
    const db = this.deps.store.db;
    const counts = new Map<string, number>();
    const roleRows = await db.selectFrom('iam_role_attachments').select('policy_arn').execute();
    const userRows = await db.selectFrom('iam_user_attachments').select('policy_arn').execute();
    for (const r of [...roleRows, ...userRows]) {
      counts.set(r.policy_arn, (counts.get(r.policy_arn) ?? 0) + 1);
    }
    const all: ManagedPolicy[] = [];
    if (scope !== 'Local') {
      for (const p of AWS_MANAGED_POLICIES) {
        all.push(this.awsManaged(p, counts.get(this.arnOf(p)) ?? 0));
      }
    }
    if (scope !== 'AWS') {
      for (const row of await db.selectFrom('iam_policies').selectAll().execute()) {
        all.push(this.customer(row, counts.get(row.arn) ?? 0, false));
      }
    }
    const prefix = input.PathPrefix ?? '/';
    const matching = all.filter(
      (p) => p.Path.startsWith(prefix) && (!input.OnlyAttached || p.AttachmentCount > 0),
    );
    return pageOf(matching, (p) => p.Arn, input.Marker, input.MaxItems);
  }

  /** True when `arn` names an AWS-managed or an existing customer-managed policy. */
  async exists(db: Db, arn: string): Promise<boolean> {
    if (this.awsPolicy(arn)) return true;
    const row = await db
      .selectFrom('iam_policies')
      .select('arn')
      .where('arn', '=', arn)
      .executeTakeFirst();
    return row !== undefined;
  }

  private arnOf(policy: AwsManagedPolicy): string {
    return awsManagedPolicyArn(this.deps.context.partition, policy);
  }

  private awsPolicy(arn: string): AwsManagedPolicy | undefined {
    return AWS_MANAGED_POLICIES.find((p) => this.arnOf(p) === arn);
  }

  private awsManaged(p: AwsManagedPolicy, count: number): ManagedPolicy {
    return {
      PolicyName: p.name,
      PolicyId: `ANPA${p.name
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .padEnd(17, 'X')
        .slice(0, 17)}`,
      Arn: this.arnOf(p),
      Path: p.path,
      DefaultVersionId: p.versionId,
      AttachmentCount: count,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Description: p.description,
      CreateDate: isoDate(p.createDate),
      UpdateDate: isoDate(p.updateDate),
    };
  }

  private customer(row: IamPolicyRow, count: number, withTags = true): ManagedPolicy {
    const tags = parseTags(row.tags);
    return {
      PolicyName: row.name,
      PolicyId: row.policy_id,
      Arn: row.arn,
      Path: row.path,
      DefaultVersionId: 'v1',
      AttachmentCount: count,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      ...(row.description === null ? {} : { Description: row.description }),
      CreateDate: isoDate(row.create_date),
      UpdateDate: isoDate(row.create_date),
      ...(withTags && tags.length > 0 ? { Tags: tags } : {}),
    };
  }
}

/** How many roles and users the policy is attached to (its `AttachmentCount`). */
async function attachments(db: Db, arn: string): Promise<number> {
  const roles = await db
    .selectFrom('iam_role_attachments')
    .select('role_name')
    .where('policy_arn', '=', arn)
    .execute();
  const users = await db
    .selectFrom('iam_user_attachments')
    .select('user_name')
    .where('policy_arn', '=', arn)
    .execute();
  return roles.length + users.length;
}
