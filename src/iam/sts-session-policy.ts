/**
 * AssumeRole's session policies: the inline `Policy` and the managed `PolicyArns` combined into
 * the one document authorization intersects with the role's policies, and the approximate
 * `PackedPolicySize`.
 */
import type { Db } from '../store/store.ts';
import { managedPolicyDocument } from './iam-identity-policies.ts';
import { ValidationError } from './iam.errors.ts';
import type { IamTag } from './iam.types.ts';
import type { PolicyDocument } from './policy-evaluation/policy-evaluator.ts';
import { MAX_POLICY_CHARS } from './sts.validate.ts';

/**
 * One document holding the statements of the inline policy and of each managed session policy;
 * undefined when there are none. AWS allows what any session policy allows (then intersects
 * with the role's policies), which is exactly what one document with all their statements
 * allows. Managed documents are read now: the session keeps the permissions it was issued with.
 */
export async function combinedSessionPolicy(
  db: Db,
  partition: string,
  inline: string | undefined,
  policyArns: readonly string[],
): Promise<PolicyDocument | undefined> {
  if (inline === undefined && policyArns.length === 0) return undefined;
  const documents: PolicyDocument[] = [];
  if (inline !== undefined) documents.push(JSON.parse(inline) as PolicyDocument);
  for (const arn of policyArns) {
    const document = await managedPolicyDocument(db, partition, arn);
    // ⚠ STS's code for an unknown managed session policy is not documented; ValidationError.
    if (!document) throw new ValidationError(`Policy ${arn} does not exist or is not attachable.`);
    documents.push(document);
  }
  const statements = documents.flatMap((doc) => {
    const s = doc['Statement'];
    return Array.isArray(s) ? (s as unknown[]) : [s];
  });
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * An approximation of AWS's PackedPolicySize: the session policy without whitespace (AWS does
 * not count it), the managed ARNs and the tags, as a percentage of 2048 characters. AWS packs
 * (compresses) them into the token in a way it does not document, so the figure is indicative.
 */
export function packedPercent(
  inline: string | undefined,
  policyArns: readonly string[],
  tags: readonly IamTag[],
): number {
  const policyChars = inline === undefined ? 0 : JSON.stringify(JSON.parse(inline)).length;
  const arnChars = policyArns.reduce((n, arn) => n + arn.length, 0);
  const tagChars = tags.reduce((n, t) => n + t.Key.length + t.Value.length, 0);
  return Math.ceil(((policyChars + arnChars + tagChars) * 100) / MAX_POLICY_CHARS);
}
