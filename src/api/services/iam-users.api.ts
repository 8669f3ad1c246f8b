/**
 * IAM users and access keys on the wire (part of the IAM query module). `UserName` is required
 * here: AWS lets a caller omit it to mean "myself", which needs the verified caller (a later step
 * of the IAM enforcement issue).
 */
import type { IamService } from '../../iam/iam.service.ts';
import type { QueryOperation } from '../api.types.ts';
import { listResult, page, tagList } from './iam-params.ts';

export function iamUserOperations(iam: IamService): Record<string, QueryOperation> {
  const { users, accessKeys } = iam;
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
  };
}
