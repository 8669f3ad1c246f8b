/**
 * The credential lookup behind SigV4 verification: access key id → secret and principal.
 *
 * The seam for later steps of issue 14: IAM users' access keys (`CreateAccessKey`) and STS
 * session credentials (`AssumeRole`) are further {@link CredentialLookup}s chained after the root
 * key with {@link chainCredentials}. A session credential sets `sessionToken` (or only its digest,
 * `sessionTokenSha256`); the verifier then requires the request's `X-Amz-Security-Token` to match
 * it, and refuses a token sent with a key that has none. Lookups are async so a store-backed one
 * (SQLite, IAM's key table) fits without changing the verifier.
 */
import type { PolicyDocument } from '../iam/policy-evaluation/policy-evaluator.ts';

/** Who signed: what authorizers and `GetCallerIdentity` report. */
export interface Principal {
  /** `arn:aws:iam::<account>:root`, `…:user/name`, `arn:aws:sts::<account>:assumed-role/r/s`. */
  readonly arn: string;
  /** `UserId` of GetCallerIdentity: the account id for root, `AIDA…`, `AROA…:session`. */
  readonly userId: string;
  readonly accountId: string;
  readonly type: 'root' | 'user' | 'assumed-role';
  /**
   * An assumed-role session's session policy (its inline `Policy` and managed `PolicyArns`
   * combined into one document): authorization passes it to `IamAuthorization.authorize`, which
   * intersects it with the role's policies.
   */
  readonly sessionPolicy?: PolicyDocument;
}

/** A known access key. */
export interface KnownCredential {
  readonly secretAccessKey: string;
  /** Set for temporary (STS) credentials; the request must carry the same token. */
  readonly sessionToken?: string;
  /**
   * For temporary credentials whose token is kept only as a digest: SHA-256 hex of the token the
   * request must carry.
   */
  readonly sessionTokenSha256?: string;
  /** A temporary credential past its expiry: answered `ExpiredToken` once the signature holds. */
  readonly expired?: boolean;
  readonly principal: Principal;
}

/** Resolves an access key id; undefined when no such (active) key exists. */
export interface CredentialLookup {
  find(accessKeyId: string): Promise<KnownCredential | undefined>;
}

/** The account's root access key pair, from the configuration. */
export interface RootKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The well-known local pair (LocalStack's habit); refused on a non-loopback listener. */
export const DEFAULT_ROOT_KEY: RootKey = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A lookup that knows only the root key of `accountId`. */
export function rootCredentials(
  key: RootKey,
  account: { partition: string; accountId: string },
): CredentialLookup {
  const known: KnownCredential = {
    secretAccessKey: key.secretAccessKey,
    principal: {
      arn: `arn:${account.partition}:iam::${account.accountId}:root`,
      userId: account.accountId,
      accountId: account.accountId,
      type: 'root',
    },
  };
  return { find: async (id) => (id === key.accessKeyId ? known : undefined) };
}

/** Asks each lookup in turn; the first that knows the key answers. */
export function chainCredentials(...lookups: readonly CredentialLookup[]): CredentialLookup {
  return {
    async find(id) {
      for (const lookup of lookups) {
        const found = await lookup.find(id);
        if (found) return found;
      }
      return undefined;
    },
  };
}
