/** Tables of STS (kept by the IAM domain, src/iam/sts-sessions.service.ts). Times are epoch ms. */

/**
 * One AssumeRole session. The secret is kept as issued (SigV4 needs it as an HMAC key); the
 * session token only as its SHA-256 hex digest. `role_id` ties the session to the role as it was
 * when assumed: a deleted (or deleted and re-created) role leaves its sessions unusable.
 */
export interface StsSessionRow {
  access_key_id: string;
  secret_access_key: string;
  token_sha256: string;
  role_id: string;
  role_name: string;
  session_name: string;
  source_identity: string | null;
  /** The combined session policy (inline + managed PolicyArns) as JSON, or null for none. */
  session_policy: string | null;
  /** JSON array of `{Key, Value}`. */
  tags: string;
  /** JSON array of tag keys. */
  transitive_tag_keys: string;
  /** ARN of the principal that called AssumeRole. */
  issued_by: string;
  create_date: number;
  expires_at: number;
}

export interface StsTables {
  sts_sessions: StsSessionRow;
}
