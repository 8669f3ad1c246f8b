/**
 * IAM users, their access keys and their inline and attached policies on the wire (part of the
 * IAM query module). `UserName` is required
 * here: AWS lets a caller omit it to mean "myself", which needs the verified caller (a later step
 * of the IAM enforcement issue).
 */
import type { IamService } from '../../iam/iam.service.ts';
import type { QueryOperation } from '../api.types.ts';
import { listResult, page, tagList } from './iam-params.ts';

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
    GetUser: { handler: async (p) => ({ User: await users.getUser(p.UserName) }) },
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
      handler: async (p) => ({ AccessKey: await accessKeys.createAccessKey(p.UserName) }),
    },
    ListAccessKeys: {
      handler: async (p) => ({
        UserName: p.UserName,
        ...listResult('AccessKeyMetadata', await accessKeys.listAccessKeys(p.UserName, page(p))),
      }),
    },
    UpdateAccessKey: {
      handler: async (p) => {
        await accessKeys.updateAccessKey(p.UserName, p.AccessKeyId, p.Status);
        return {};
      },
    },
    DeleteAccessKey: {
      handler: async (p) => {
        await accessKeys.deleteAccessKey(p.UserName, p.AccessKeyId);
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
