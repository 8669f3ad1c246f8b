/**
 * STS on the wire (query protocol, `Version=2011-06-15`). Only GetCallerIdentity for now, which
 * Terraform calls at provider start: it needs no permissions and cannot be denied.
 *
 * Until IAM exists every caller is the account's root user, whatever access key it signed with:
 * ARN `arn:<partition>:iam::<account>:root`, and AWS reports a root user's UserId as the account
 * id.
 */
import type { QueryServiceModule } from '../api.types.ts';

/** The STS module for `createApiServer`. */
export function stsApi(): QueryServiceModule {
  return {
    protocol: 'query',
    signingName: 'sts',
    version: '2011-06-15',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    operations: {
      GetCallerIdentity: {
        handler: async (_params, ctx) => ({
          Arn: `arn:${ctx.aws.partition}:iam::${ctx.aws.accountId}:root`,
          UserId: ctx.aws.accountId,
          Account: ctx.aws.accountId,
        }),
      },
    },
  };
}
