/**
 * IAM's member rules: names, paths and policy documents. Violations of the model's constraints
 * are `ValidationError` with the `1 validation error detected: …` text every AWS service uses;
 * documents that fail as policies are `MalformedPolicyDocument`.
 */
import { MalformedPolicyDocument, ValidationError } from './iam.errors.ts';

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\u002F)|(\u002F[\u0021-\u007E]+\u002F)$/;
const POLICY_VERSIONS = new Set(['2012-10-17', '2008-10-17']);

function violation(value: string, member: string, constraint: string): ValidationError {
  return new ValidationError(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** Role and policy names: 1–`max` characters of `[\w+=,.@-]`. */
export function checkName(value: string | undefined, member: string, max = 64): string {
  if (value === undefined || value === '') {
    throw new ValidationError(
      `The specified value for ${member} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-`,
    );
  }
  if (value.length > max) {
    throw violation(value, member, `Member must have length less than or equal to ${max}`);
  }
  if (!NAME.test(value)) {
    throw violation(value, member, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  }
  return value;
}

/** Paths: `/` or `/…/`, printable ASCII, at most 512 characters; absent → `/`. */
export function checkPath(value: string | undefined): string {
  if (value === undefined) return '/';
  if (value.length > 512) {
    throw violation(value, 'path', 'Member must have length less than or equal to 512');
  }
  const ok =
    value === '/' ||
    (value.length >= 2 && PATH.test(value) && value.endsWith('/') && value.startsWith('/'));
  if (!ok) {
    throw violation(
      value,
      'path',
      'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
    );
  }
  return value;
}

/** Which kind of document: a role's trust policy needs principals, the others must not have one. */
export type PolicyKind = 'trust' | 'identity';

/**
 * Parses and checks a policy document; returns the text unchanged (AWS keeps the caller's
 * spelling and whitespace). Checks the grammar's skeleton only: Version, Statement, Effect,
 * Action/NotAction, Resource (identity) or Principal (trust).
 */
export function checkPolicyDocument(
  text: string | undefined,
  member: string,
  kind: PolicyKind,
): string {
  if (text === undefined || text === '') {
    throw violation('', member, 'Member must have length greater than or equal to 1');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new MalformedPolicyDocument('This policy contains invalid Json');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new MalformedPolicyDocument('This policy contains invalid Json');
  }
  const record = doc as Record<string, unknown>;
  if (record.Version !== undefined && !POLICY_VERSIONS.has(String(record.Version))) {
    throw new MalformedPolicyDocument('The policy failed legacy parsing');
  }
  const statements = record.Statement;
  if (statements === undefined) throw new MalformedPolicyDocument('Syntax errors in policy.');
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) throw new MalformedPolicyDocument('Syntax errors in policy.');
  for (const statement of list) checkStatement(statement, kind);
  return text;
}

function checkStatement(statement: unknown, kind: PolicyKind): void {
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) {
    throw new MalformedPolicyDocument('Syntax errors in policy.');
  }
  const s = statement as Record<string, unknown>;
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
    throw new MalformedPolicyDocument(
      s.Effect === undefined ? 'Missing required field Effect' : 'Syntax errors in policy.',
    );
  }
  if (s.Action === undefined && s.NotAction === undefined) {
    throw new MalformedPolicyDocument('Missing required field Action');
  }
  const hasPrincipal = s.Principal !== undefined || s.NotPrincipal !== undefined;
  if (kind === 'trust') {
    if (!hasPrincipal) throw new MalformedPolicyDocument('Missing required field Principal');
    checkPrincipal(s.Principal ?? s.NotPrincipal);
  } else {
    if (hasPrincipal) {
      throw new MalformedPolicyDocument('Policy document should not specify a principal.');
    }
    if (s.Resource === undefined && s.NotResource === undefined) {
      throw new MalformedPolicyDocument('Missing required field Resource');
    }
  }
}

/** `"*"` or an object of `AWS`/`Service`/`Federated`/`CanonicalUser` → string or string list. */
function checkPrincipal(principal: unknown): void {
  if (principal === '*') return;
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) {
    throw new MalformedPolicyDocument('Invalid principal in policy');
  }
  for (const [type, value] of Object.entries(principal)) {
    if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(type)) {
      throw new MalformedPolicyDocument(`Invalid principal in policy: "${type}"`);
    }
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string' || v === '') {
        throw new MalformedPolicyDocument('Invalid principal in policy');
      }
    }
  }
}

/** A managed policy's ARN: 20–2048 characters starting `arn:`. */
export function checkPolicyArn(arn: string | undefined): string {
  if (arn === undefined || arn.length < 20 || arn.length > 2048) {
    throw violation(arn ?? '', 'policyArn', 'Member must have length greater than or equal to 20');
  }
  if (!arn.startsWith('arn:')) throw new ValidationError(`ARN ${arn} is not valid.`);
  return arn;
}
