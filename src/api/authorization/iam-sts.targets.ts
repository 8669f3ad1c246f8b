/**
 * IAM and STS operations → IAM targets (Service Authorization Reference, "AWS Identity and Access
 * Management" and "AWS Security Token Service"). Query-protocol inputs are flat
 * (`Tags.member.1.Key`). A role's ARN carries its path, which only CreateRole's input has; the
 * `roleArn` resolver supplies it for the others, else the root path `/` is assumed.
 */
import type { ContextValue } from '../../iam/policy-evaluation/policy-evaluator.ts';
import {
  arnOf,
  listKey,
  numbered,
  requestTags,
  str,
  wildcard,
  type Input,
  type TargetContext,
  type TargetTable,
} from './target-helpers.ts';

async function roleArn(ctx: TargetContext, input: Input): Promise<string> {
  const name = str(input, 'RoleName') ?? '';
  const resolved = await ctx.resolvers?.roleArn?.(name);
  return resolved ?? arnOf(ctx, 'iam', `role/${name}`, false);
}

async function userArn(ctx: TargetContext, input: Input): Promise<string> {
  const name = str(input, 'UserName') ?? '';
  const resolved = await ctx.resolvers?.userArn?.(name);
  return resolved ?? arnOf(ctx, 'iam', `user/${name}`, false);
}

function memberTags(input: Input): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (let i = 1; typeof input[`Tags.member.${i}.Key`] === 'string'; i++) {
    out.push({
      key: input[`Tags.member.${i}.Key`] as string,
      value: (input[`Tags.member.${i}.Value`] as string | undefined) ?? '',
    });
  }
  return out;
}

const roleOp = (action: string) => ({
  action,
  build: async (input: Input, ctx: TargetContext) => ({ resources: [await roleArn(ctx, input)] }),
});

const userOp = (action: string) => ({
  action,
  build: async (input: Input, ctx: TargetContext) => ({ resources: [await userArn(ctx, input)] }),
});

/** An operation whose omitted `UserName` means the calling IAM user (GetUser, access keys). */
const selfOrUserOp = (action: string) => ({
  action,
  build: async (input: Input, ctx: TargetContext) => {
    const self = ctx.callerArn?.split(':')[5]?.startsWith('user/') ? ctx.callerArn : undefined;
    const named = str(input, 'UserName') === undefined ? self : undefined;
    return { resources: [named ?? (await userArn(ctx, input))] };
  },
});

const policyOp = (action: string) => ({
  action,
  build: (input: Input) => ({ resources: [str(input, 'PolicyArn') ?? ''] }),
});

/** Attach/Detach of a role's or a user's managed policy: `iam:PolicyARN` names the policy. */
const attachOp = (action: string, arnOfEntity: typeof roleArn = roleArn) => ({
  action,
  build: async (input: Input, ctx: TargetContext) => {
    const policy = str(input, 'PolicyArn');
    return {
      resources: [await arnOfEntity(ctx, input)],
      context: policy ? { 'iam:PolicyARN': policy } : ({} as Record<string, ContextValue>),
    };
  },
});

export const IAM_TARGETS: TargetTable = {
  CreateRole: {
    action: 'iam:CreateRole',
    build: (input, ctx) => ({
      resources: [
        arnOf(ctx, 'iam', `role${str(input, 'Path') ?? '/'}${str(input, 'RoleName') ?? ''}`, false),
      ],
      context: requestTags(memberTags(input)),
    }),
  },
  GetRole: roleOp('iam:GetRole'),
  DeleteRole: roleOp('iam:DeleteRole'),
  ListRoles: wildcard('iam:ListRoles'),
  UpdateAssumeRolePolicy: roleOp('iam:UpdateAssumeRolePolicy'),
  PutRolePolicy: roleOp('iam:PutRolePolicy'),
  GetRolePolicy: roleOp('iam:GetRolePolicy'),
  DeleteRolePolicy: roleOp('iam:DeleteRolePolicy'),
  ListRolePolicies: roleOp('iam:ListRolePolicies'),
  AttachRolePolicy: attachOp('iam:AttachRolePolicy'),
  DetachRolePolicy: attachOp('iam:DetachRolePolicy'),
  ListAttachedRolePolicies: roleOp('iam:ListAttachedRolePolicies'),
  ListInstanceProfilesForRole: roleOp('iam:ListInstanceProfilesForRole'),
  TagRole: {
    action: 'iam:TagRole',
    build: async (input, ctx) => ({
      resources: [await roleArn(ctx, input)],
      context: requestTags(memberTags(input)),
    }),
  },
  UntagRole: {
    action: 'iam:UntagRole',
    build: async (input, ctx) => {
      const keys = numbered(input, 'TagKeys.member');
      return {
        resources: [await roleArn(ctx, input)],
        context: listKey('aws:TagKeys', keys),
      };
    },
  },
  ListRoleTags: roleOp('iam:ListRoleTags'),
  CreatePolicy: {
    action: 'iam:CreatePolicy',
    build: (input, ctx) => ({
      resources: [
        arnOf(
          ctx,
          'iam',
          `policy${str(input, 'Path') ?? '/'}${str(input, 'PolicyName') ?? ''}`,
          false,
        ),
      ],
      context: requestTags(memberTags(input)),
    }),
  },
  GetPolicy: policyOp('iam:GetPolicy'),
  GetPolicyVersion: policyOp('iam:GetPolicyVersion'),
  DeletePolicy: policyOp('iam:DeletePolicy'),
  ListPolicies: wildcard('iam:ListPolicies'),
  CreateUser: {
    action: 'iam:CreateUser',
    build: (input, ctx) => ({
      resources: [
        arnOf(ctx, 'iam', `user${str(input, 'Path') ?? '/'}${str(input, 'UserName') ?? ''}`, false),
      ],
      context: requestTags(memberTags(input)),
    }),
  },
  GetUser: selfOrUserOp('iam:GetUser'),
  ListUsers: wildcard('iam:ListUsers'),
  DeleteUser: userOp('iam:DeleteUser'),
  CreateAccessKey: selfOrUserOp('iam:CreateAccessKey'),
  ListAccessKeys: selfOrUserOp('iam:ListAccessKeys'),
  UpdateAccessKey: selfOrUserOp('iam:UpdateAccessKey'),
  DeleteAccessKey: selfOrUserOp('iam:DeleteAccessKey'),
  PutUserPolicy: userOp('iam:PutUserPolicy'),
  GetUserPolicy: userOp('iam:GetUserPolicy'),
  DeleteUserPolicy: userOp('iam:DeleteUserPolicy'),
  ListUserPolicies: userOp('iam:ListUserPolicies'),
  AttachUserPolicy: attachOp('iam:AttachUserPolicy', userArn),
  DetachUserPolicy: attachOp('iam:DetachUserPolicy', userArn),
  ListAttachedUserPolicies: userOp('iam:ListAttachedUserPolicies'),
};

/**
 * GetCallerIdentity needs no permission and AWS never denies it. AssumeRole is decided by the STS
 * service itself (src/iam/sts-sessions.service.ts through `IamAuthorization.assumeRole`), which
 * weighs the caller's identity policies and the role's trust policy together, as AWS does (a
 * principal the trust policy names needs no identity grant): the authorizer must not deny it
 * first on identity policies alone. The target still says what AWS would evaluate.
 */
export const STS_TARGETS: TargetTable = {
  GetCallerIdentity: { ...wildcard('sts:GetCallerIdentity'), alwaysAllowed: true },
  AssumeRole: {
    action: 'sts:AssumeRole',
    alwaysAllowed: true,
    build: (input, ctx) => {
      const context: Record<string, ContextValue> = {
        ...requestTags(memberTags(input)),
        ...listKey('sts:TransitiveTagKeys', numbered(input, 'TransitiveTagKeys.member')),
      };
      const keys = [
        ['RoleSessionName', 'sts:RoleSessionName'],
        ['ExternalId', 'sts:ExternalId'],
        ['SourceIdentity', 'sts:SourceIdentity'],
      ] as const;
      for (const [member, key] of keys) {
        const value = str(input, member);
        if (value !== undefined) context[key] = value;
      }
      return {
        resources: [str(input, 'RoleArn') ?? arnOf(ctx, 'iam', 'role/', false)],
        context,
      };
    },
  },
};
