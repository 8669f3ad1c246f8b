/**
 * STS AssumeRole: temporary credentials for a role whose trust policy admits the caller. A
 * session is a row of `sts_sessions`, committed before the credentials are answered, so a crash
 * never hands out a key the server does not know. The row keeps the secret (SigV4 needs it as an
 * HMAC key) and only a SHA-256 digest of the session token.
 *
 * A session is tied to its role's unique id: once the role is deleted (or deleted and made
 * again under the same name) the session's key is unknown. AWS keeps such sessions until they
 * expire, but with the role's policies gone they could do nothing but GetCallerIdentity; we
 * refuse them outright. Expired sessions stay a day so clients are told `ExpiredToken`, then
 * they are pruned when the next session is issued.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { StsSessionRow } from '../store/tables/sts.tables.ts';
import { AccessDenied } from './iam.errors.ts';
import { isoDate, uniqueId, type IamDeps } from './iam.model.ts';
import type { IamTag } from './iam.types.ts';
import type { AssumeRoleRequest } from './policy-evaluation/iam-authorization.ts';
import type {
  ContextValue,
  PolicyDecision,
  PolicyDocument,
} from './policy-evaluation/policy-evaluator.ts';
import { parsePrincipal } from './policy-evaluation/request-context.ts';
import { combinedSessionPolicy, packedPercent } from './sts-session-policy.ts';
import { PackedPolicyTooLarge, assumeRoleDeniedMessage } from './sts.errors.ts';
import {
  checkDuration,
  checkExternalId,
  checkPolicyArns,
  checkRoleArn,
  checkSessionName,
  checkSessionPolicy,
  checkSessionTags,
  checkSourceIdentity,
  checkTransitiveKeys,
} from './sts.validate.ts';

/** Expired sessions are answered `ExpiredToken` for this long, then forgotten. */
export const EXPIRED_SESSION_RETENTION_MS = 24 * 3600_000;

/** What decides whether a caller may assume a role (IamAuthorization implements it). */
export interface TrustCheck {
  assumeRole(request: AssumeRoleRequest): Promise<PolicyDecision>;
}

/** AssumeRole's input members (STS 2011-06-15). */
export interface AssumeRoleInput {
  RoleArn?: string;
  RoleSessionName?: string;
  DurationSeconds?: number;
  Policy?: string;
  PolicyArns?: string[];
  Tags?: IamTag[];
  TransitiveTagKeys?: string[];
  ExternalId?: string;
  SourceIdentity?: string;
}

/** AssumeRole's result members. */
export interface AssumeRoleOutput {
  Credentials: {
    AccessKeyId: string;
    SecretAccessKey: string;
    SessionToken: string;
    /** ISO-8601 UTC. */
    Expiration: string;
  };
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  /** Percent of the token's room the session policies and tags take; set when any were given. */
  PackedPolicySize?: number;
  SourceIdentity?: string;
}

/** What SigV4 verification needs of a session key. */
export interface SessionIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** SHA-256 hex digest of the session token. */
  readonly sessionTokenSha256: string;
  /** True once the session's expiry has passed on the service's clock. */
  readonly expired: boolean;
  /** `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  /** `AROA…:<session>`. */
  readonly userId: string;
  /** The role's ARN (path included). */
  readonly roleArn: string;
  /** The combined session policy (inline + managed PolicyArns), when the session has one. */
  readonly sessionPolicy?: PolicyDocument;
  readonly tags: IamTag[];
  readonly sourceIdentity?: string;
}

/** The SHA-256 hex digest a session token is stored and compared as. */
export function sessionTokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function newSecret(): string {
  return randomBytes(30).toString('base64').slice(0, 40);
}

/** Long and opaque, like AWS's tokens (which are several hundred characters of base64). */
function newSessionToken(): string {
  return randomBytes(192).toString('base64');
}

export class StsSessions {
  constructor(
    private readonly deps: IamDeps,
    private readonly trust: TrustCheck,
  ) {}

  /**
   * Issues a session of `input.RoleArn` to `callerArn` (the verified caller) if the role's trust
   * policy admits it; `region` is the request's (for `aws:RequestedRegion` in trust conditions).
   */
  async assumeRole(
    callerArn: string,
    input: AssumeRoleInput,
    region?: string,
  ): Promise<AssumeRoleOutput> {
    const roleArn = checkRoleArn(input.RoleArn);
    const sessionName = checkSessionName(input.RoleSessionName);
    const externalId = checkExternalId(input.ExternalId);
    const sourceIdentity = checkSourceIdentity(input.SourceIdentity);
    const inline = checkSessionPolicy(input.Policy);
    const policyArns = checkPolicyArns(input.PolicyArns ?? []);
    const tags = checkSessionTags(input.Tags);
    const transitive = checkTransitiveKeys(input.TransitiveTagKeys ?? [], tags);
    const now = this.deps.clock.now();

    const context: Record<string, ContextValue> = { 'sts:RoleSessionName': sessionName };
    if (externalId !== undefined) context['sts:ExternalId'] = externalId;
    if (sourceIdentity !== undefined) context['sts:SourceIdentity'] = sourceIdentity;
    if (tags.length > 0) {
      for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
      context['aws:TagKeys'] = tags.map((t) => t.Key);
    }
    if (transitive.length > 0) context['sts:TransitiveTagKeys'] = transitive;
    const decision = await this.trust.assumeRole({
      principal: callerArn,
      roleArn,
      context,
      now,
      ...(region === undefined ? {} : { region }),
    });
    const denied = () => new AccessDenied(assumeRoleDeniedMessage(callerArn, roleArn));
    if (!decision.allowed) throw denied();

    const db = this.deps.store.db;
    const role = await db
      .selectFrom('iam_roles')
      .select(['name', 'role_id', 'max_session_duration'])
      .where('arn', '=', roleArn)
      .executeTakeFirst();
    if (!role) throw denied();
    const chained = parsePrincipal(callerArn).kind === 'assumed-role';
    const duration = checkDuration(input.DurationSeconds, role.max_session_duration, chained);

    const sessionPolicy = await combinedSessionPolicy(
      db,
      this.deps.context.partition,
      inline,
      policyArns,
    );
    const packed = packedPercent(inline, policyArns, tags);
    if (packed > 100) {
      throw new PackedPolicyTooLarge(
        `Packed policy consumes ${packed}% of allotted space, please use smaller policy.`,
      );
    }

    const token = newSessionToken();
    const row: StsSessionRow = {
      access_key_id: uniqueId('ASIA').slice(0, 20),
      secret_access_key: newSecret(),
      token_sha256: sessionTokenDigest(token),
      role_id: role.role_id,
      role_name: role.name,
      session_name: sessionName,
      source_identity: sourceIdentity ?? null,
      session_policy: sessionPolicy === undefined ? null : JSON.stringify(sessionPolicy),
      tags: JSON.stringify(tags),
      transitive_tag_keys: JSON.stringify(transitive),
      issued_by: callerArn,
      create_date: now,
      expires_at: now + duration * 1000,
    };
    await this.deps.store.transaction(async (trx) => {
      // Pruning here keeps the table small without a timer: it grows only when sessions are issued.
      await trx
        .deleteFrom('sts_sessions')
        .where('expires_at', '<', now - EXPIRED_SESSION_RETENTION_MS)
        .execute();
      await trx.insertInto('sts_sessions').values(row).execute();
    });
    const given = inline !== undefined || policyArns.length > 0 || tags.length > 0;
    return {
      Credentials: {
        AccessKeyId: row.access_key_id,
        SecretAccessKey: row.secret_access_key,
        SessionToken: token,
        Expiration: isoDate(row.expires_at),
      },
      AssumedRoleUser: {
        AssumedRoleId: `${role.role_id}:${sessionName}`,
        Arn: this.sessionArn(role.name, sessionName),
      },
      ...(given ? { PackedPolicySize: packed } : {}),
      ...(sourceIdentity === undefined ? {} : { SourceIdentity: sourceIdentity }),
    };
  }

  /**
   * The session behind an `ASIA…` key id, for SigV4 verification: undefined for any other key, an
   * unknown one, or one whose role is gone. An expired session is returned with `expired` set, so
   * the verifier can answer `ExpiredToken` instead of "invalid token".
   */
  async lookup(accessKeyId: string): Promise<SessionIdentity | undefined> {
    if (!accessKeyId.startsWith('ASIA')) return undefined;
    const row = await this.deps.store.db
      .selectFrom('sts_sessions')
      .innerJoin('iam_roles', 'iam_roles.role_id', 'sts_sessions.role_id')
      .selectAll('sts_sessions')
      .select(['iam_roles.arn as role_arn', 'iam_roles.name as current_role_name'])
      .where('sts_sessions.access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      accessKeyId: row.access_key_id,
      secretAccessKey: row.secret_access_key,
      sessionTokenSha256: row.token_sha256,
      expired: this.deps.clock.now() >= row.expires_at,
      arn: this.sessionArn(row.current_role_name, row.session_name),
      userId: `${row.role_id}:${row.session_name}`,
      roleArn: row.role_arn,
      ...(row.session_policy === null
        ? {}
        : { sessionPolicy: JSON.parse(row.session_policy) as PolicyDocument }),
      tags: JSON.parse(row.tags) as IamTag[],
      ...(row.source_identity === null ? {} : { sourceIdentity: row.source_identity }),
    };
  }

  private sessionArn(roleName: string, sessionName: string): string {
    const { partition, accountId } = this.deps.context;
    // AWS leaves the role's path out of assumed-role ARNs.
    return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
  }
}
