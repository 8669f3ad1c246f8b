/**
 * IAM users' access keys as a credential lookup for SigV4 verification: requests signed with an
 * active key act as its user. An inactive or deleted key is unknown, which the verifier answers
 * with its protocol's "invalid security token" error, as AWS does.
 */
import type { CredentialLookup } from '../api/credentials.ports.ts';
import type { IamService } from '../iam/iam.service.ts';

export function iamUserCredentials(iam: IamService, accountId: string): CredentialLookup {
  return {
    async find(accessKeyId) {
      const key = await iam.accessKeys.lookup(accessKeyId);
      if (!key?.active) return undefined;
      return {
        secretAccessKey: key.secretAccessKey,
        principal: { arn: key.principalArn, userId: key.userId, accountId, type: 'user' },
      };
    },
  };
}
