/**
 * STS on the wire (query protocol, `Version=2011-06-15`). Only GetCallerIdentity for now, which
 * Terraform calls at provider start: it needs no permissions and cannot be denied.
 *
 * It answers the verified caller's principal (sigv4-verify.ts). With verification switched off
 * the caller is taken to be the account's root user: ARN `arn:<partition>:iam::<account>:root`,
 * and AWS reports a root user's UserId as the account id.
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
        handler: async (_params, ctx) => {
          const principal = ctx.caller.principal;
          return principal
            ? { Arn: principal.arn, UserId: principal.userId, Account: principal.accountId }
            : {
                Arn: `arn:${ctx.aws.partition}:iam::${ctx.aws.accountId}:root`,
                UserId: ctx.aws.accountId,
                Account: ctx.aws.accountId,
              };
        },
      },
    },
  };
}
