/**
 * The policy authorizer on its own, with a recording decision point: who is not evaluated (root,
 * a server without verification, always-allowed actions), what an assumed-role session is asked
 * as (its session ARN, its session policy, the request's region and time), dependent actions
 * after the main one, and the denial's code and status per protocol.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AccessRequest, PolicyDecision } from '../iam/policy-evaluation/index.ts';
import { ManualClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import type { ServiceModule } from './api.types.ts';
import type { AuthorizationRequest } from './authorizer.ts';
import type { Principal } from './credentials.ports.ts';
import { policyAuthorizer } from './policy-authorizer.ts';
import { ServiceError } from '../platform/errors.ts';

const ACCT = DEFAULT_CONTEXT.accountId;
const aws = { ...DEFAULT_CONTEXT, region: 'ap-northeast-1' };
const SESSION = `arn:aws:sts::${ACCT}:assumed-role/deployer/ci-42`;
const SESSION_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ecs:List*', Resource: '*' }],
};

function module(protocol: ServiceModule['protocol'], signingName: string): ServiceModule {
  return { protocol, signingName, operations: {} } as unknown as ServiceModule;
}

function request(
  principal: Principal | undefined,
  service: string,
  operation: string,
  input: Record<string, unknown> = {},
  protocol: ServiceModule['protocol'] = 'awsJson1.1',
): AuthorizationRequest {
  return {
    requestId: 'r-1',
    caller: {
      region: aws.region,
      verified: principal !== undefined,
      ...(principal ? { principal } : {}),
    },
    aws,
    service,
    module: module(protocol, service),
    operation,
    input,
  };
}

const session: Principal = {
  arn: SESSION,
  userId: 'AROAEXAMPLE:ci-42',
  accountId: ACCT,
  type: 'assumed-role',
  sessionPolicy: SESSION_POLICY,
};
const root: Principal = {
  arn: `arn:aws:iam::${ACCT}:root`,
  userId: ACCT,
  accountId: ACCT,
  type: 'root',
};

/** A decision point that records each question and denies the actions listed. */
function recorder(deny: string[] = []) {
  const asked: AccessRequest[] = [];
  return {
    asked,
    decider: {
      authorize: async (r: AccessRequest): Promise<PolicyDecision> => {
        asked.push(r);
        const allowed = !deny.includes(r.action);
        return {
          outcome: allowed ? 'Allowed' : 'ImplicitlyDenied',
          allowed,
          ...(allowed ? {} : { deniedBy: 'identity' as const }),
          principal: r.principal,
          action: r.action,
          resource: r.resources[0] ?? '*',
        };
      },
    },
  };
}

async function denial(promise: Promise<void> | void) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    return { code: error.code, status: error.httpStatus, message: error.message };
  }
  assert.fail('expected a denial');
}

describe('policyAuthorizer', () => {
  const clock = new ManualClock('2026-03-01T12:00:00Z');

  it('never evaluates the root user, an unverified server, or an always-allowed action', async () => {
    const { asked, decider } = recorder(['ecs:DeleteCluster', 'sts:GetCallerIdentity']);
    const authorize = policyAuthorizer({ decider, clock });
    await authorize(request(root, 'ecs', 'DeleteCluster', { cluster: 'c' }));
    await authorize(request(undefined, 'ecs', 'DeleteCluster', { cluster: 'c' }));
    await authorize(request(session, 'sts', 'GetCallerIdentity', {}, 'query'));
    assert.deepEqual(asked, []);
  });

  it('asks as the session, with its session policy, region and time, then the dependent actions', async () => {
    const { asked, decider } = recorder();
    const authorize = policyAuthorizer({
      decider,
      clock,
      resolvers: (ctx) => ({
        taskDefinitionArn: async (ref) =>
          `arn:aws:ecs:${ctx.region}:${ACCT}:task-definition/${ref}:7`,
        taskDefinitionRoles: async () => ({ executionRoleArn: `arn:aws:iam::${ACCT}:role/exec` }),
      }),
    });
    await authorize(request(session, 'ecs', 'RunTask', { cluster: 'c', taskDefinition: 'job' }));
    assert.deepEqual(
      asked.map((a) => [a.principal, a.action, a.resources, a.region, a.now, a.sessionPolicy]),
      [
        [
          SESSION,
          'ecs:RunTask',
          [`arn:aws:ecs:ap-northeast-1:${ACCT}:task-definition/job:7`],
          'ap-northeast-1',
          clock.now(),
          SESSION_POLICY,
        ],
        [
          SESSION,
          'iam:PassRole',
          [`arn:aws:iam::${ACCT}:role/exec`],
          'ap-northeast-1',
          clock.now(),
          SESSION_POLICY,
        ],
      ],
    );
    assert.deepEqual(asked[1]?.context, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' });
    assert.equal(
      asked[0]?.context?.['ecs:cluster'],
      `arn:aws:ecs:ap-northeast-1:${ACCT}:cluster/c`,
    );
  });

  it('words the denial in the addressed protocol', async () => {
    const { decider } = recorder([
      'ecs:ListClusters',
      'logs:DescribeLogGroups',
      'iam:ListRoles',
      'ec2:DescribeVpcs',
      'scheduler:ListSchedules',
    ]);
    const authorize = policyAuthorizer({ decider, clock });
    const says = (action: string) =>
      `User: ${SESSION} is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`;
    assert.deepEqual(await denial(authorize(request(session, 'ecs', 'ListClusters'))), {
      code: 'AccessDeniedException',
      status: 403,
      message: says('ecs:ListClusters'),
    });
    assert.deepEqual(await denial(authorize(request(session, 'logs', 'DescribeLogGroups'))), {
      code: 'AccessDeniedException',
      status: 400,
      message: says('logs:DescribeLogGroups'),
    });
    assert.deepEqual(await denial(authorize(request(session, 'iam', 'ListRoles', {}, 'query'))), {
      code: 'AccessDenied',
      status: 403,
      message: says('iam:ListRoles'),
    });
    assert.deepEqual(await denial(authorize(request(session, 'ec2', 'DescribeVpcs', {}, 'ec2'))), {
      code: 'UnauthorizedOperation',
      status: 403,
      message: `You are not authorized to perform this operation. ${says('ec2:DescribeVpcs')}`,
    });
  });
});
