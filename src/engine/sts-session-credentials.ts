/**
 * STS sessions (AssumeRole's `ASIA…` keys) as a credential lookup for SigV4 verification:
 * requests signed with a session key and carrying its token act as the assumed-role session,
 * with the session policy attached for authorization. Sessions of a deleted role are unknown;
 * expired ones are reported so the verifier answers `ExpiredToken`.
 */
import type { CredentialLookup } from '../api/credentials.ports.ts';
import type { IamService } from '../iam/iam.service.ts';

export function stsSessionCredentials(iam: IamService, accountId: string): CredentialLookup {
  return {
    async find(accessKeyId) {
      const session = await iam.sessions.lookup(accessKeyId);
      if (!session) return undefined;
      return {
        secretAccessKey: session.secretAccessKey,
        sessionTokenSha256: session.sessionTokenSha256,
        ...(session.expired ? { expired: true } : {}),
        principal: {
          arn: session.arn,
          userId: session.userId,
          accountId,
          type: 'assumed-role',
          ...(session.sessionPolicy ? { sessionPolicy: session.sessionPolicy } : {}),
        },
      };
    },
  };
}
