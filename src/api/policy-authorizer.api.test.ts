/**
 * IAM identity policies enforced on the API, through SDK v3 clients signed with IAM users' keys
 * (region ap-northeast-1) against the engine on the memory runtime: the root makes users with
 * policies; a read-only user lists but may not run or delete; each protocol words the denial
 * its own way (ECS `AccessDeniedException` 403, Logs 400, IAM `AccessDenied`, EC2
 * `UnauthorizedOperation`); an explicit Deny beats an Allow; a condition on
 * `aws:RequestedRegion` holds; RunTask needs `iam:PassRole` (with `iam:PassedToService`) on the
 * roles it passes, and PutTargets on its target roles; `aws:PrincipalTag/…` reads the user's
 * tags; a changed policy applies to the next request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  ECSClient,
  ListClustersCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';

import { JOB_IMAGE, memoryEngine, type MemoryEngine } from '../cli/client/client.test-support.ts';
import { trustPolicy } from '../iam/iam.test-support.ts';

const ACCT = '000000000000';
const REGION = 'ap-northeast-1';
const TASK_ROLE = `arn:aws:iam::${ACCT}:role/app-task`;
const EXEC_ROLE = `arn:aws:iam::${ACCT}:role/app-exec`;
const TASK_DEF = `arn:aws:ecs:${REGION}:${ACCT}:task-definition/job:1`;
const CLUSTER = `arn:aws:ecs:${REGION}:${ACCT}:cluster/jobs`;
const ECS_TASKS_TRUST = trustPolicy({ Service: 'ecs-tasks.amazonaws.com' });

type Keys = { accessKeyId: string; secretAccessKey: string };
type Statement = Record<string, unknown>;
const ROOT: Keys = { accessKeyId: 'test', secretAccessKey: 'test' };

function policy(...statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** `User: … is not authorized to perform: … on resource: … because no identity-based policy …` */
function implicit(user: string, action: string, resource: string): string {
  return `User: arn:aws:iam::${ACCT}:user/${user} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

async function rejectsWith(
  promise: Promise<unknown>,
  expected: { name: string; status: number; message: string },
) {
  await assert.rejects(promise, (err: unknown) => {
    const e = err as { name: string; message: string; $metadata: { httpStatusCode?: number } };
    assert.deepEqual(
      { name: e.name, status: e.$metadata.httpStatusCode, message: e.message },
      expected,
    );
    return true;
  });
}

describe('IAM policies enforced on the API (SDK v3)', () => {
  let fx: MemoryEngine;
  const clients: { destroy(): void }[] = [];
  const client = <C extends { destroy(): void }>(
    Make: new (config: Record<string, unknown>) => C,
    keys: Keys,
    region = REGION,
  ): C => {
    const c = new Make({ endpoint: fx.url, region, credentials: keys, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  let rootIam: IAMClient;

  /** A user with one inline policy and an access key, made by the root through the API. */
  async function userWith(
    name: string,
    document: string,
    tags?: { Key: string; Value: string }[],
  ): Promise<Keys> {
    await rootIam.send(new CreateUserCommand({ UserName: name, ...(tags ? { Tags: tags } : {}) }));
    await rootIam.send(
      new PutUserPolicyCommand({ UserName: name, PolicyName: 'main', PolicyDocument: document }),
    );
    const { AccessKey } = await rootIam.send(new CreateAccessKeyCommand({ UserName: name }));
    return {
      accessKeyId: AccessKey?.AccessKeyId as string,
      secretAccessKey: AccessKey?.SecretAccessKey as string,
    };
  }

  before(async () => {
    fx = await memoryEngine();
    rootIam = client(IAMClient, ROOT);
    const rootEcs = client(ECSClient, ROOT);
    for (const name of ['app-task', 'app-exec', 'other']) {
      await rootIam.send(
        new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ECS_TASKS_TRUST }),
      );
    }
    await rootEcs.send(new CreateClusterCommand({ clusterName: 'jobs' }));
    await rootEcs.send(
      new RegisterTaskDefinitionCommand({
        family: 'job',
        taskRoleArn: TASK_ROLE,
        executionRoleArn: EXEC_ROLE,
        containerDefinitions: [{ name: 'app', image: JOB_IMAGE, memory: 64 }],
      }),
    );
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await fx[Symbol.asyncDispose]();
  });

  it('a user allowed only ecs:List* and ecs:Describe* reads, and is refused the rest', async () => {
    const keys = await userWith(
      'viewer',
      policy({ Effect: 'Allow', Action: ['ecs:List*', 'ecs:Describe*'], Resource: '*' }),
    );
    const ecs = client(ECSClient, keys);
    const clusters = await ecs.send(new ListClustersCommand({}));
    assert.deepEqual(clusters.clusterArns, [CLUSTER]);

    await rejectsWith(ecs.send(new RunTaskCommand({ cluster: 'jobs', taskDefinition: 'job' })), {
      name: 'AccessDeniedException',
      status: 403,
      message: implicit('viewer', 'ecs:RunTask', TASK_DEF),
    });
    await rejectsWith(ecs.send(new DeleteClusterCommand({ cluster: 'jobs' })), {
      name: 'AccessDeniedException',
      status: 403,
      message: implicit('viewer', 'ecs:DeleteCluster', CLUSTER),
    });
    await rejectsWith(client(CloudWatchLogsClient, keys).send(new DescribeLogGroupsCommand({})), {
      name: 'AccessDeniedException',
      status: 400,
      message: implicit('viewer', 'logs:DescribeLogGroups', '*'),
    });
    await rejectsWith(
      client(IAMClient, keys).send(
        new CreateRoleCommand({ RoleName: 'sneaky', AssumeRolePolicyDocument: ECS_TASKS_TRUST }),
      ),
      {
        name: 'AccessDenied',
        status: 403,
        message: implicit('viewer', 'iam:CreateRole', `arn:aws:iam::${ACCT}:role/sneaky`),
      },
    );
    await rejectsWith(client(EC2Client, keys).send(new DescribeVpcsCommand({})), {
      name: 'UnauthorizedOperation',
      status: 403,
      message: `You are not authorized to perform this operation. ${implicit('viewer', 'ec2:DescribeVpcs', '*')}`,
    });
    // AWS never denies GetCallerIdentity.
    const me = await client(STSClient, keys).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:iam::${ACCT}:user/viewer`);
    // Nothing was deleted or started.
    assert.deepEqual((await ecs.send(new ListClustersCommand({}))).clusterArns, [CLUSTER]);
  });

  it('an explicit Deny wins over an Allow', async () => {
    const keys = await userWith(
      'almost-admin',
      policy(
        { Effect: 'Allow', Action: 'ecs:*', Resource: '*' },
        { Effect: 'Deny', Action: 'ecs:DeleteCluster', Resource: CLUSTER },
      ),
    );
    const ecs = client(ECSClient, keys);
    await ecs.send(new ListClustersCommand({}));
    await rejectsWith(ecs.send(new DeleteClusterCommand({ cluster: 'jobs' })), {
      name: 'AccessDeniedException',
      status: 403,
      message: `User: arn:aws:iam::${ACCT}:user/almost-admin is not authorized to perform: ecs:DeleteCluster on resource: ${CLUSTER} with an explicit deny in an identity-based policy`,
    });
  });

  it('a condition on aws:RequestedRegion allows one region only', async () => {
    const keys = await userWith(
      'tokyo-only',
      policy({
        Effect: 'Allow',
        Action: 'ecs:ListClusters',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': REGION } },
      }),
    );
    await client(ECSClient, keys).send(new ListClustersCommand({}));
    await rejectsWith(client(ECSClient, keys, 'eu-west-1').send(new ListClustersCommand({})), {
      name: 'AccessDeniedException',
      status: 403,
      message: implicit('tokyo-only', 'ecs:ListClusters', '*'),
    });
  });

  it("a condition on aws:PrincipalTag reads the user's tags", async () => {
    const onlyOps = policy({
      Effect: 'Allow',
      Action: 'ecs:ListClusters',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops' } },
    });
    const ops = await userWith('ops-member', onlyOps, [{ Key: 'team', Value: 'ops' }]);
    const dev = await userWith('dev-member', onlyOps, [{ Key: 'team', Value: 'dev' }]);
    await client(ECSClient, ops).send(new ListClustersCommand({}));
    await rejectsWith(client(ECSClient, dev).send(new ListClustersCommand({})), {
      name: 'AccessDeniedException',
      status: 403,
      message: implicit('dev-member', 'ecs:ListClusters', '*'),
    });
  });

  it('a condition on aws:ResourceTag reads the tags of the resource acted on', async () => {
    const rootEcs = client(ECSClient, ROOT);
    const rootLogs = client(CloudWatchLogsClient, ROOT);
    await rootEcs.send(
      new CreateClusterCommand({ clusterName: 'team-a', tags: [{ key: 'team', value: 'a' }] }),
    );
    await rootEcs.send(
      new CreateClusterCommand({ clusterName: 'team-b', tags: [{ key: 'team', value: 'b' }] }),
    );
    await rootLogs.send(new CreateLogGroupCommand({ logGroupName: '/a', tags: { team: 'a' } }));
    await rootLogs.send(new CreateLogGroupCommand({ logGroupName: '/b', tags: { team: 'b' } }));
    const teamA = await userWith(
      'team-a-admin',
      policy({
        Effect: 'Allow',
        Action: ['ecs:DeleteCluster', 'logs:DeleteLogGroup'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } },
      }),
    );
    const ecs = client(ECSClient, teamA);
    await rejectsWith(ecs.send(new DeleteClusterCommand({ cluster: 'team-b' })), {
      name: 'AccessDeniedException',
      status: 403,
      message: implicit('team-a-admin', 'ecs:DeleteCluster', CLUSTER.replace('jobs', 'team-b')),
    });
    await ecs.send(new DeleteClusterCommand({ cluster: 'team-a' }));
    const logs = client(CloudWatchLogsClient, teamA);
    await rejectsWith(logs.send(new DeleteLogGroupCommand({ logGroupName: '/b' })), {
      name: 'AccessDeniedException',
      status: 400,
      message: implicit(
        'team-a-admin',
        'logs:DeleteLogGroup',
        `arn:aws:logs:${REGION}:${ACCT}:log-group:/b`,
      ),
    });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/a' }));
  });

  it('RunTask needs iam:PassRole, passed to ecs-tasks, on the roles the task gets', async () => {
    const runTask = { Effect: 'Allow', Action: ['ecs:RunTask', 'ecs:List*'], Resource: '*' };
    const passTo = (roles: string[], service = 'ecs-tasks.amazonaws.com') => ({
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: roles,
      Condition: { StringEquals: { 'iam:PassedToService': service } },
    });
    const keys = await userWith('runner', policy(runTask));
    const ecs = client(ECSClient, keys);
    const run = (overrides?: { taskRoleArn?: string }) =>
      ecs.send(
        new RunTaskCommand({
          cluster: 'jobs',
          taskDefinition: 'job',
          ...(overrides ? { overrides } : {}),
        }),
      );
    const denied = (role: string) => ({
      name: 'AccessDeniedException',
      status: 403,
      message: implicit('runner', 'iam:PassRole', role),
    });
    const setPolicy = (...statements: Statement[]) =>
      rootIam.send(
        new PutUserPolicyCommand({
          UserName: 'runner',
          PolicyName: 'main',
          PolicyDocument: policy(...statements),
        }),
      );

    await rejectsWith(run(), denied(TASK_ROLE));
    await setPolicy(runTask, passTo([TASK_ROLE]));
    await rejectsWith(run(), denied(EXEC_ROLE));
    await setPolicy(runTask, passTo([TASK_ROLE, EXEC_ROLE], 'ec2.amazonaws.com'));
    await rejectsWith(run(), denied(TASK_ROLE));
    const rootEcs = client(ECSClient, ROOT);
    const tasks = async () =>
      (await rootEcs.send(new ListTasksCommand({ cluster: 'jobs' }))).taskArns?.length;
    assert.equal(await tasks(), 0);

    // Allowed the moment the policy says so: nothing is cached across requests.
    await setPolicy(runTask, passTo([TASK_ROLE, EXEC_ROLE]));
    const started = await run();
    assert.equal(started.failures?.length, 0);
    assert.equal(started.tasks?.[0]?.taskDefinitionArn, TASK_DEF);
    assert.equal(await tasks(), 1);

    // An override's role replaces the definition's, and must be passable too.
    await rejectsWith(
      run({ taskRoleArn: `arn:aws:iam::${ACCT}:role/other` }),
      denied(`arn:aws:iam::${ACCT}:role/other`),
    );

    await rootIam.send(new DeleteUserPolicyCommand({ UserName: 'runner', PolicyName: 'main' }));
    await rejectsWith(ecs.send(new ListClustersCommand({})), {
      name: 'AccessDeniedException',
      status: 403,
      message: implicit('runner', 'ecs:ListClusters', '*'),
    });
  });

  it('PutTargets with a RoleArn needs iam:PassRole, passed to events', async () => {
    const rules = {
      Effect: 'Allow',
      Action: ['events:PutRule', 'events:PutTargets'],
      Resource: '*',
    };
    const keys = await userWith('scheduler-admin', policy(rules));
    const events = client(EventBridgeClient, keys);
    await events.send(new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'rate(1 day)' }));
    const put = () =>
      events.send(
        new PutTargetsCommand({
          Rule: 'nightly',
          Targets: [
            {
              Id: 'run',
              Arn: CLUSTER,
              RoleArn: TASK_ROLE,
              EcsParameters: { TaskDefinitionArn: TASK_DEF, LaunchType: 'FARGATE' },
            },
          ],
        }),
      );
    await rejectsWith(put(), {
      name: 'AccessDeniedException',
      status: 400,
      message: implicit('scheduler-admin', 'iam:PassRole', TASK_ROLE),
    });
    await rootIam.send(
      new PutUserPolicyCommand({
        UserName: 'scheduler-admin',
        PolicyName: 'main',
        PolicyDocument: policy(rules, {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: TASK_ROLE,
          Condition: { StringEquals: { 'iam:PassedToService': 'events.amazonaws.com' } },
        }),
      }),
    );
    const { FailedEntryCount } = await put();
    assert.equal(FailedEntryCount, 0);
  });

  it('GetUser and the access-key operations without a UserName act on the calling user', async () => {
    // AWS's documented "manage your own keys" policy, with the ${aws:username} variable.
    const keys = await userWith(
      'self-service',
      policy({
        Effect: 'Allow',
        Action: ['iam:GetUser', 'iam:*AccessKey*'],
        Resource: 'arn:aws:iam::*:user/${aws:username}',
      }),
    );
    const iam = client(IAMClient, keys);
    const { User } = await iam.send(new GetUserCommand({}));
    assert.equal(User?.Arn, `arn:aws:iam::${ACCT}:user/self-service`);
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({}));
    assert.equal(AccessKey?.UserName, 'self-service');
    const listed = await iam.send(new ListAccessKeysCommand({}));
    assert.equal(listed.AccessKeyMetadata?.length, 2);
    await rejectsWith(iam.send(new GetUserCommand({ UserName: 'viewer' })), {
      name: 'AccessDenied',
      status: 403,
      message: implicit('self-service', 'iam:GetUser', `arn:aws:iam::${ACCT}:user/viewer`),
    });
  });

  it('a role named without its path is authorized on its full ARN (path looked up)', async () => {
    await rootIam.send(
      new CreateRoleCommand({
        RoleName: 'deep',
        Path: '/service-role/',
        AssumeRolePolicyDocument: ECS_TASKS_TRUST,
      }),
    );
    const keys = await userWith(
      'role-reader',
      policy({
        Effect: 'Allow',
        Action: 'iam:GetRole',
        Resource: `arn:aws:iam::${ACCT}:role/service-role/*`,
      }),
    );
    const iam = client(IAMClient, keys);
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'deep' }));
    assert.equal(Role?.Arn, `arn:aws:iam::${ACCT}:role/service-role/deep`);
    await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'app-task' })), {
      name: 'AccessDenied',
      status: 403,
      message: implicit('role-reader', 'iam:GetRole', TASK_ROLE),
    });
  });
});
