/**
 * Debian's AWS CLI v2 (/usr/bin/aws) as a limited IAM user, the way the README tells people to
 * set one up: the root key makes a user with only `ecs:List*`/`ecs:Describe*` and an access key,
 * the key goes into a profile, and that profile lists clusters but is refused RunTask,
 * DeleteCluster, IAM CreateRole and EC2 DescribeVpcs with each service's code and AWS's message;
 * RunTask then needs `iam:PassRole` on the task definition's roles. The engine runs on the memory
 * runtime (no Docker); skips when the CLI is missing, unless RUN_INTEGRATION_TESTS=1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  JOB_IMAGE,
  memoryEngine,
  type MemoryEngine,
} from '../../src/cli/client/client.test-support.ts';
import { AWS_CLI, awsCliEnv, awsCliGate, runProcess, type CliResult } from '../support/aws-cli.ts';
import { trustPolicy } from '../../src/iam/iam.test-support.ts';

const skip = awsCliGate();
if (skip) console.log(`# ${skip}`);

const ACCT = '000000000000';
const REGION = 'ap-northeast-1';
const TASK_ROLE = `arn:aws:iam::${ACCT}:role/app-task`;
const EXEC_ROLE = `arn:aws:iam::${ACCT}:role/app-exec`;
const CLUSTER = `arn:aws:ecs:${REGION}:${ACCT}:cluster/jobs`;
const TRUST = trustPolicy({ Service: 'ecs-tasks.amazonaws.com' });
const READ_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ecs:List*', 'ecs:Describe*'], Resource: '*' }],
});

function implicit(action: string, resource: string): string {
  return `User: arn:aws:iam::${ACCT}:user/viewer is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

/** The AWS error code and message the CLI printed. */
function awsError(res: CliResult): { code: string; message: string } {
  assert.notEqual(res.code, 0, `expected a failure: ${res.stdout}`);
  const m =
    /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)/s.exec(
      res.stderr,
    );
  assert.ok(m, `no AWS error in: ${res.stderr}`);
  return { code: m[1] ?? '', message: (m[2] ?? '').trim() };
}

describe('AWS CLI v2 as a limited IAM user', { skip }, () => {
  let fx: MemoryEngine;
  let dir: string;

  before(async () => {
    fx = await memoryEngine();
    dir = mkdtempSync(join(tmpdir(), 'cronbridge-authz-cli-'));
  });
  after(async () => {
    await fx?.[Symbol.asyncDispose]();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** As the root key (test/test). */
  const root = (...args: string[]) =>
    runProcess(AWS_CLI, ['--endpoint-url', fx.url, '--output', 'json', ...args], {
      env: awsCliEnv({ AWS_DEFAULT_REGION: REGION }),
    });
  const rootJson = async (...args: string[]) => {
    const res = await root(...args);
    assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
    return (res.stdout.trim() ? JSON.parse(res.stdout) : {}) as Record<string, unknown>;
  };
  /** As the `limited` profile of the files the test wrote, like a user's ~/.aws. */
  const limited = (...args: string[]) => {
    const env = awsCliEnv({
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    });
    // The profile, not the environment, must supply the key and the region.
    delete env['AWS_ACCESS_KEY_ID'];
    delete env['AWS_SECRET_ACCESS_KEY'];
    delete env['AWS_DEFAULT_REGION'];
    return runProcess(
      AWS_CLI,
      ['--profile', 'limited', '--endpoint-url', fx.url, '--output', 'json', ...args],
      { env },
    );
  };

  it('the root makes a read-only user; its profile lists, and is refused everything else', async () => {
    for (const role of ['app-task', 'app-exec']) {
      await rootJson(
        'iam',
        'create-role',
        '--role-name',
        role,
        '--assume-role-policy-document',
        TRUST,
      );
    }
    await rootJson('ecs', 'create-cluster', '--cluster-name', 'jobs');
    const containers = JSON.stringify([{ name: 'app', image: JOB_IMAGE, memory: 64 }]);
    await rootJson(
      'ecs',
      'register-task-definition',
      '--family',
      'job',
      '--task-role-arn',
      TASK_ROLE,
      '--execution-role-arn',
      EXEC_ROLE,
      '--container-definitions',
      containers,
    );
    await rootJson('iam', 'create-user', '--user-name', 'viewer');
    await rootJson(
      'iam',
      'put-user-policy',
      '--user-name',
      'viewer',
      '--policy-name',
      'ecs-read-only',
      '--policy-document',
      READ_ONLY,
    );
    const { AccessKey } = (await rootJson('iam', 'create-access-key', '--user-name', 'viewer')) as {
      AccessKey: { AccessKeyId: string; SecretAccessKey: string };
    };
    writeFileSync(
      join(dir, 'credentials'),
      `[limited]\naws_access_key_id = ${AccessKey.AccessKeyId}\naws_secret_access_key = ${AccessKey.SecretAccessKey}\n`,
    );
    writeFileSync(join(dir, 'config'), `[profile limited]\nregion = ${REGION}\n`);

    const me = await limited('sts', 'get-caller-identity');
    assert.equal(me.code, 0, me.stderr);
    assert.equal(JSON.parse(me.stdout).Arn, `arn:aws:iam::${ACCT}:user/viewer`);
    const list = await limited('ecs', 'list-clusters');
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout).clusterArns, [CLUSTER]);

    assert.deepEqual(
      awsError(await limited('ecs', 'run-task', '--cluster', 'jobs', '--task-definition', 'job')),
      {
        code: 'AccessDeniedException',
        message: implicit('ecs:RunTask', `arn:aws:ecs:${REGION}:${ACCT}:task-definition/job:1`),
      },
    );
    assert.deepEqual(awsError(await limited('ecs', 'delete-cluster', '--cluster', 'jobs')), {
      code: 'AccessDeniedException',
      message: implicit('ecs:DeleteCluster', CLUSTER),
    });
    assert.deepEqual(
      awsError(
        await limited(
          'iam',
          'create-role',
          '--role-name',
          'x',
          '--assume-role-policy-document',
          TRUST,
        ),
      ),
      { code: 'AccessDenied', message: implicit('iam:CreateRole', `arn:aws:iam::${ACCT}:role/x`) },
    );
    assert.deepEqual(awsError(await limited('ec2', 'describe-vpcs')), {
      code: 'UnauthorizedOperation',
      message: `You are not authorized to perform this operation. ${implicit('ec2:DescribeVpcs', '*')}`,
    });
  });

  it('with ecs:RunTask but not iam:PassRole the task is refused; with both it runs', async () => {
    const policy = (pass: boolean) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['ecs:List*', 'ecs:Describe*', 'ecs:RunTask'], Resource: '*' },
          ...(pass
            ? [
                {
                  Effect: 'Allow',
                  Action: 'iam:PassRole',
                  Resource: [TASK_ROLE, EXEC_ROLE],
                  Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
                },
              ]
            : []),
        ],
      });
    const put = (pass: boolean) =>
      rootJson(
        'iam',
        'put-user-policy',
        '--user-name',
        'viewer',
        '--policy-name',
        'ecs-read-only',
        '--policy-document',
        policy(pass),
      );
    await put(false);
    const run = () => limited('ecs', 'run-task', '--cluster', 'jobs', '--task-definition', 'job');
    assert.deepEqual(awsError(await run()), {
      code: 'AccessDeniedException',
      message: implicit('iam:PassRole', TASK_ROLE),
    });
    await put(true);
    const ok = await run();
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).tasks.length, 1);
  });
});
