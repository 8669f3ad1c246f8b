/**
 * IAM users, their access keys and their inline and attached policies on the wire (part of the
 * IAM query module). GetUser and the access-key operations take an omitted `UserName` to mean the
 * IAM user who signed the request, as AWS does; other callers (root, role sessions) must name one.
 */
import type { IamService } from '../../iam/iam.service.ts';
import type { QueryOperation, QueryParams, RequestContext } from '../api.types.ts';
import { listResult, page, tagList } from './iam-params.ts';

/** `UserName`, else the signing IAM user's name; undefined for other callers. */
export function userNameOrCaller(p: QueryParams, ctx: RequestContext): string | undefined {
  if (p.UserName !== undefined) return p.UserName;
  const principal = ctx.caller.principal;
  return principal?.type === 'user'
    ? principal.arn.slice(principal.arn.lastIndexOf('/') + 1)
    : undefined;
}

export function iamUserOperations(iam: IamService): Record<string, QueryOperation> {
  const { users, accessKeys, userPolicies } = iam;
  return {
    CreateUser: {
      handler: async (p) => {
        const tags = tagList(p);
        const user = await users.createUser({
          ...(p.UserName === undefined ? {} : { UserName: p.UserName }),
          ...(p.Path === undefined ? {} : { Path: p.Path }),
          ...(tags ? { Tags: tags } : {}),
        });
        return { User: user };
      },
    },
    GetUser: {
      handler: async (p, ctx) => ({ User: await users.getUser(userNameOrCaller(p, ctx)) }),
    },
    ListUsers: {
      handler: async (p) =>
        listResult(
          'Users',
          await users.listUsers({
            ...page(p),
            ...(p.PathPrefix === undefined ? {} : { PathPrefix: p.PathPrefix }),
          }),
        ),
    },
    DeleteUser: {
      handler: async (p) => {
        await users.deleteUser(p.UserName);
        return {};
      },
    },
    CreateAccessKey: {
      handler: async (p, ctx) => ({
        AccessKey: await accessKeys.createAccessKey(userNameOrCaller(p, ctx)),
      }),
    },
    ListAccessKeys: {
      handler: async (p, ctx) => {
        const userName = userNameOrCaller(p, ctx);
        return {
          UserName: userName,
          ...listResult('AccessKeyMetadata', await accessKeys.listAccessKeys(userName, page(p))),
        };
      },
    },
    UpdateAccessKey: {
      handler: async (p, ctx) => {
        await accessKeys.updateAccessKey(userNameOrCaller(p, ctx), p.AccessKeyId, p.Status);
        return {};
      },
    },
    DeleteAccessKey: {
      handler: async (p, ctx) => {
        await accessKeys.deleteAccessKey(userNameOrCaller(p, ctx), p.AccessKeyId);
        return {};
      },
    },
    PutUserPolicy: {
      handler: async (p) => {
        await userPolicies.putUserPolicy(p.UserName, p.PolicyName, p.PolicyDocument);
        return {};
      },
    },
    GetUserPolicy: {
      handler: async (p) => userPolicies.getUserPolicy(p.UserName, p.PolicyName),
    },
    DeleteUserPolicy: {
      handler: async (p) => {
        await userPolicies.deleteUserPolicy(p.UserName, p.PolicyName);
        return {};
      },
    },
    ListUserPolicies: {
      handler: async (p) =>
        listResult('PolicyNames', await userPolicies.listUserPolicies(p.UserName, page(p))),
    },
    AttachUserPolicy: {
      handler: async (p) => {
        await userPolicies.attachUserPolicy(p.UserName, p.PolicyArn);
        return {};
      },
    },
    DetachUserPolicy: {
      handler: async (p) => {
        await userPolicies.detachUserPolicy(p.UserName, p.PolicyArn);
        return {};
      },
    },
    ListAttachedUserPolicies: {
      handler: async (p) =>
        listResult(
          'AttachedPolicies',
          await userPolicies.listAttachedUserPolicies(p.UserName, {
            ...page(p),
            ...(p.PathPrefix === undefined ? {} : { PathPrefix: p.PathPrefix }),
          }),
        ),
    },
  };
}
