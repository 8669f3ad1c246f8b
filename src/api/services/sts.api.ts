/**
 * STS on the wire (query protocol, `Version=2011-06-15`): GetCallerIdentity, which Terraform
 * calls at provider start (it needs no permissions and cannot be denied), and AssumeRole.
 *
 * Both act for the verified caller's principal (sigv4-verify.ts). With verification switched off
 * the caller is taken to be the account's root user: ARN `arn:<partition>:iam::<account>:root`,
 * and AWS reports a root user's UserId as the account id.
 */
import type { StsSessions } from '../../iam/sts-sessions.service.ts';
import type {
  QueryOperation,
  QueryParams,
  QueryServiceModule,
  RequestContext,
} from '../api.types.ts';
import type { Principal } from '../credentials.ports.ts';
import { integer, memberList, tagList } from './iam-params.ts';

function callerOf(ctx: RequestContext): Pick<Principal, 'arn' | 'userId' | 'accountId'> {
  return (
    ctx.caller.principal ?? {
      arn: `arn:${ctx.aws.partition}:iam::${ctx.aws.accountId}:root`,
      userId: ctx.aws.accountId,
      accountId: ctx.aws.accountId,
    }
  );
}

/** `PolicyArns.member.N.arn`, until the first gap. */
function policyArns(params: QueryParams): string[] {
  const out: string[] = [];
  for (let i = 1; params[`PolicyArns.member.${i}.arn`] !== undefined; i++) {
    out.push(params[`PolicyArns.member.${i}.arn`] as string);
  }
  return out;
}

/**
 * The STS module for `createApiServer`; AssumeRole is served when `sessions` is given (the
 * engine's), so protocol tests can mount GetCallerIdentity alone.
 */
export function stsApi(sessions?: StsSessions): QueryServiceModule {
  return {
    protocol: 'query',
    signingName: 'sts',
    version: '2011-06-15',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    operations: {
      GetCallerIdentity: {
        handler: async (_params, ctx) => {
          const caller = callerOf(ctx);
          return { Arn: caller.arn, UserId: caller.userId, Account: caller.accountId };
        },
      },
      ...(sessions ? { AssumeRole: assumeRole(sessions) } : {}),
    },
  };
}

function assumeRole(sessions: StsSessions): QueryOperation {
  return {
    handler: async (p, ctx) => {
      const tags = tagList(p);
      const transitive = memberList(p, 'TransitiveTagKeys');
      const duration = integer(p.DurationSeconds);
      const arns = policyArns(p);
      const result = await sessions.assumeRole(
        callerOf(ctx).arn,
        {
          ...(p.RoleArn === undefined ? {} : { RoleArn: p.RoleArn }),
          ...(p.RoleSessionName === undefined ? {} : { RoleSessionName: p.RoleSessionName }),
          ...(duration === undefined ? {} : { DurationSeconds: duration }),
          ...(p.Policy === undefined ? {} : { Policy: p.Policy }),
          ...(arns.length > 0 ? { PolicyArns: arns } : {}),
          ...(tags ? { Tags: tags } : {}),
          ...(transitive.length > 0 ? { TransitiveTagKeys: transitive } : {}),
          ...(p.ExternalId === undefined ? {} : { ExternalId: p.ExternalId }),
          ...(p.SourceIdentity === undefined ? {} : { SourceIdentity: p.SourceIdentity }),
        },
        ctx.aws.region,
      );
      return { ...result };
    },
  };
}
