/**
 * IAM on the wire (query protocol, `Version=2010-05-08`, signing name `iam`): roles with their
 * inline and attached policies and tags, and managed policies, over `IamService`. Lists are
 * `Name.member.N` in requests and `<member>` items in responses; policy documents go out
 * URL-encoded, as AWS sends them.
 */
import type { IamService } from '../../iam/iam.service.ts';
import type { QueryServiceModule } from '../api.types.ts';
import { iamUserOperations } from './iam-users.api.ts';
import { integer, listResult, memberList, page, tagList } from './iam-params.ts';

/** The IAM module for `createApiServer`. */
export function iamApi(iam: IamService): QueryServiceModule {
  const { roles, policies } = iam;
  return {
    protocol: 'query',
    signingName: 'iam',
    version: '2010-05-08',
    xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
    operations: {
      CreateRole: {
        handler: async (p) => {
          const tags = tagList(p);
          const duration = integer(p.MaxSessionDuration);
          const role = await roles.createRole({
            ...(p.RoleName === undefined ? {} : { RoleName: p.RoleName }),
            ...(p.Path === undefined ? {} : { Path: p.Path }),
            ...(p.AssumeRolePolicyDocument === undefined
              ? {}
              : { AssumeRolePolicyDocument: p.AssumeRolePolicyDocument }),
            ...(p.Description === undefined ? {} : { Description: p.Description }),
            ...(duration === undefined ? {} : { MaxSessionDuration: duration }),
            ...(tags ? { Tags: tags } : {}),
          });
          return { Role: role };
        },
      },
      GetRole: { handler: async (p) => ({ Role: await roles.getRole(p.RoleName) }) },
      DeleteRole: {
        handler: async (p) => {
          await roles.deleteRole(p.RoleName);
          return {};
        },
      },
      ListRoles: {
        handler: async (p) =>
          listResult(
            'Roles',
            await roles.listRoles({
              ...page(p),
              ...(p.PathPrefix === undefined ? {} : { PathPrefix: p.PathPrefix }),
            }),
          ),
      },
      UpdateAssumeRolePolicy: {
        handler: async (p) => {
          await roles.updateAssumeRolePolicy(p.RoleName, p.PolicyDocument);
          return {};
        },
      },
      PutRolePolicy: {
        handler: async (p) => {
          await roles.putRolePolicy(p.RoleName, p.PolicyName, p.PolicyDocument);
          return {};
        },
      },
      GetRolePolicy: { handler: async (p) => roles.getRolePolicy(p.RoleName, p.PolicyName) },
      DeleteRolePolicy: {
        handler: async (p) => {
          await roles.deleteRolePolicy(p.RoleName, p.PolicyName);
          return {};
        },
      },
      ListRolePolicies: {
        handler: async (p) =>
          listResult('PolicyNames', await roles.listRolePolicies(p.RoleName, page(p))),
      },
      AttachRolePolicy: {
        handler: async (p) => {
          await roles.attachRolePolicy(p.RoleName, p.PolicyArn);
          return {};
        },
      },
      DetachRolePolicy: {
        handler: async (p) => {
          await roles.detachRolePolicy(p.RoleName, p.PolicyArn);
          return {};
        },
      },
      ListAttachedRolePolicies: {
        handler: async (p) =>
          listResult(
            'AttachedPolicies',
            await roles.listAttachedRolePolicies(p.RoleName, {
              ...page(p),
              ...(p.PathPrefix === undefined ? {} : { PathPrefix: p.PathPrefix }),
            }),
          ),
      },
      TagRole: {
        handler: async (p) => {
          await roles.tagRole(p.RoleName, tagList(p) ?? []);
          return {};
        },
      },
      UntagRole: {
        handler: async (p) => {
          await roles.untagRole(p.RoleName, memberList(p, 'TagKeys'));
          return {};
        },
      },
      ListRoleTags: {
        handler: async (p) => listResult('Tags', await roles.listRoleTags(p.RoleName, page(p))),
      },
      ListInstanceProfilesForRole: {
        handler: async (p) =>
          listResult('InstanceProfiles', await roles.listInstanceProfilesForRole(p.RoleName)),
      },
      CreatePolicy: {
        handler: async (p) => {
          const tags = tagList(p);
          const policy = await policies.createPolicy({
            ...(p.PolicyName === undefined ? {} : { PolicyName: p.PolicyName }),
            ...(p.Path === undefined ? {} : { Path: p.Path }),
            ...(p.PolicyDocument === undefined ? {} : { PolicyDocument: p.PolicyDocument }),
            ...(p.Description === undefined ? {} : { Description: p.Description }),
            ...(tags ? { Tags: tags } : {}),
          });
          return { Policy: policy };
        },
      },
      GetPolicy: { handler: async (p) => ({ Policy: await policies.getPolicy(p.PolicyArn) }) },
      GetPolicyVersion: {
        handler: async (p) => ({
          PolicyVersion: await policies.getPolicyVersion(p.PolicyArn, p.VersionId),
        }),
      },
      DeletePolicy: {
        handler: async (p) => {
          await policies.deletePolicy(p.PolicyArn);
          return {};
        },
      },
      ListPolicies: {
        handler: async (p) =>
          listResult(
            'Policies',
            await policies.listPolicies({
              ...page(p),
              ...(p.Scope === undefined ? {} : { Scope: p.Scope }),
              ...(p.OnlyAttached === undefined ? {} : { OnlyAttached: p.OnlyAttached === 'true' }),
              ...(p.PathPrefix === undefined ? {} : { PathPrefix: p.PathPrefix }),
            }),
          ),
      },
      ...iamUserOperations(iam),
    },
  };
}
