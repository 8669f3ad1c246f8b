/**
 * AssumeRole's member rules (STS model 2011-06-15): session name, duration, session policies and
 * tags, external id and source identity. Model-constraint violations are `ValidationError` with
 * the `1 validation error detected: …` text; a session policy that is not a policy is
 * `MalformedPolicyDocument`, as IAM words it.
 */
import { ValidationError } from './iam.errors.ts';
import { checkTags } from './iam.model.ts';
import type { IamTag } from './iam.types.ts';
import { checkPolicyArn, checkPolicyDocument } from './iam.validate.ts';

/** STS's shortest and longest session (15 minutes, 12 hours). */
export const MIN_SESSION_SECONDS = 900;
export const MAX_SESSION_SECONDS = 43_200;
/** A session assumed by another role's session lasts one hour at most (role chaining). */
export const CHAINED_SESSION_SECONDS = 3600;
/** At most 10 managed session policies, and the inline one at most 2048 characters. */
export const MAX_POLICY_ARNS = 10;
export const MAX_POLICY_CHARS = 2048;

const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;

function violation(value: string | null, member: string, constraint: string): ValidationError {
  const shown = value === null ? 'null' : `'${value}'`;
  return new ValidationError(
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A required string member. */
export function required(value: string | undefined, member: string): string {
  if (value === undefined) throw violation(null, member, 'Member must not be null');
  return value;
}

/** A string of `min`–`max` characters matching `pattern` (shown as `patternText`). */
function checkString(
  value: string,
  member: string,
  min: number,
  max: number,
  pattern: RegExp,
  patternText: string,
): string {
  if (value.length < min) {
    throw violation(value, member, `Member must have length greater than or equal to ${min}`);
  }
  if (value.length > max) {
    throw violation(value, member, `Member must have length less than or equal to ${max}`);
  }
  if (!pattern.test(value)) {
    throw violation(
      value,
      member,
      `Member must satisfy regular expression pattern: ${patternText}`,
    );
  }
  return value;
}

/** RoleArn: 20–2048 characters. Whether it names a role is the trust check's business. */
export function checkRoleArn(value: string | undefined): string {
  return checkString(required(value, 'roleArn'), 'roleArn', 20, 2048, /^[^\s]+$/, '[\\S]+');
}

/** RoleSessionName: 2–64 characters of `[\w+=,.@-]`. */
export function checkSessionName(value: string | undefined): string {
  const name = required(value, 'roleSessionName');
  return checkString(name, 'roleSessionName', 2, 64, SESSION_NAME, '[\\w+=,.@-]*');
}

/** ExternalId: 2–1224 characters of `[\w+=,.@:/-]`. */
export function checkExternalId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return checkString(value, 'externalId', 2, 1224, EXTERNAL_ID, '[\\w+=,.@:\\/-]*');
}

/** SourceIdentity: 2–64 characters of `[\w+=,.@-]`. */
export function checkSourceIdentity(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return checkString(value, 'sourceIdentity', 2, 64, SESSION_NAME, '[\\w+=,.@-]*');
}

/**
 * DurationSeconds: 900 up to the role's MaxSessionDuration (one hour when a role session assumes
 * another role); absent means one hour, or the limit when that is lower.
 */
export function checkDuration(
  value: number | undefined,
  roleMaxSeconds: number,
  chained: boolean,
): number {
  const limit = chained ? Math.min(CHAINED_SESSION_SECONDS, roleMaxSeconds) : roleMaxSeconds;
  if (value === undefined) return Math.min(3600, limit);
  if (!Number.isInteger(value)) {
    throw violation(String(value), 'durationSeconds', 'Member must be an integer');
  }
  if (value < MIN_SESSION_SECONDS) {
    throw violation(
      String(value),
      'durationSeconds',
      `Member must have value greater than or equal to ${MIN_SESSION_SECONDS}`,
    );
  }
  if (value > MAX_SESSION_SECONDS) {
    throw violation(
      String(value),
      'durationSeconds',
      `Member must have value less than or equal to ${MAX_SESSION_SECONDS}`,
    );
  }
  if (chained && value > CHAINED_SESSION_SECONDS) {
    throw new ValidationError(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (value > roleMaxSeconds) {
    throw new ValidationError(
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  return value;
}

/** The inline session policy: ≤ 2048 characters, and a valid identity-policy document. */
export function checkSessionPolicy(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.length > MAX_POLICY_CHARS) {
    throw violation(
      text,
      'policy',
      `Member must have length less than or equal to ${MAX_POLICY_CHARS}`,
    );
  }
  return checkPolicyDocument(text, 'policy', 'identity');
}

/** PolicyArns: at most 10 ARNs. */
export function checkPolicyArns(arns: readonly string[]): string[] {
  if (arns.length > MAX_POLICY_ARNS) {
    throw new ValidationError(
      `1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_POLICY_ARNS}`,
    );
  }
  return arns.map((arn) => checkPolicyArn(arn));
}

/** Session tags: IAM's tag rules, and keys unique regardless of case (AWS compares them so). */
export function checkSessionTags(tags: IamTag[] | undefined): IamTag[] {
  const list = checkTags(tags);
  const seen = new Set<string>();
  for (const tag of list) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key)) {
      throw new ValidationError(
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
    }
    seen.add(key);
  }
  return list;
}

/** TransitiveTagKeys: at most 50, each one of the session's tag keys. */
export function checkTransitiveKeys(keys: readonly string[], tags: readonly IamTag[]): string[] {
  if (keys.length > 50) {
    throw new ValidationError(
      "1 validation error detected: Value at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
  }
  const known = new Set(tags.map((t) => t.Key.toLowerCase()));
  for (const key of keys) {
    if (!known.has(key.toLowerCase())) {
      throw new ValidationError(`The transitive tag key ${key} is not a session tag key.`);
    }
  }
  return [...keys];
}
