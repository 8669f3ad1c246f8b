/**
 * The seed system as a newcomer builds it: examples/seed/create-seed-system.sh, run with Debian's
 * AWS CLI v2 against an in-process engine (real Docker, the API on a loopback port). Then the
 * CLI checks what the script left behind — the stopped task, its log stream and lines, the rule
 * and its ECS target exactly as put — and that bad calls get AWS's error codes
 * (`../shared/reference/aws-semantics.md` beside the project root, §2.3, §4.4, §4.6, §5.2).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  AWS_CLI,
  awsCli,
  awsCliEnv,
  awsCliGate,
  runProcess,
  type AwsCli,
} from '../support/aws-cli.ts';
import { integrationGate, TEST_IMAGE } from '../support/docker.ts';
import { testEngine, type TestEngine } from '../support/test-engine.ts';

const skip = (await integrationGate()) || awsCliGate();
const SCRIPT = fileURLToPath(new URL('../../examples/seed/create-seed-system.sh', import.meta.url));

/** The names the script derives from SEED_NAME=seed. */
const CLUSTER = 'seed';
const LOG_GROUP = '/ecs/seed-job';
const RULE = 'seed-every-minute';
const ACCOUNT = '000000000000';
const JOB_LINES = ['seed job: starting', 'seed job: processed 3 items', 'seed job: finished'];

interface Task {
  taskArn: string;
  lastStatus: string;
  desiredStatus: string;
  stopCode?: string;
  launchType?: string;
  platformVersion?: string;
  group?: string;
  tags?: { key: string; value: string }[];
  containers: { name: string; exitCode?: number; lastStatus: string }[];
  attachments?: { type: string; details: { name: string; value: string }[] }[];
}

describe('the seed system built by examples/seed with the AWS CLI v2', { skip }, () => {
  let fx: TestEngine;
  let aws: AwsCli;
  let workDir: string;
  let scriptOut = '';
  let taskArn = '';
  /** The region's default subnets (zone order) and security group, as an AWS CLI user finds them. */
  let subnets: string[] = [];
  let securityGroup = '';

  before(async () => {
    fx = await testEngine({ prefix: 'seed-cli' });
    aws = awsCli(fx.url);
    workDir = await mkdtemp(join(tmpdir(), 'cronbridge-seed-'));
    subnets = await aws.json<string[]>(
      ...['ec2', 'describe-subnets', '--filters', 'Name=default-for-az,Values=true'],
      ...['--query', 'sort_by(Subnets, &AvailabilityZone)[].SubnetId'],
    );
    [securityGroup = ''] = await aws.json<string[]>(
      ...['ec2', 'describe-security-groups', '--group-names', 'default'],
      ...['--query', 'SecurityGroups[].GroupId'],
    );
  });

  after(async () => {
    await fx[Symbol.asyncDispose]();
    await rm(workDir, { recursive: true, force: true });
  });

  it('the script runs to the end: cluster, log group, task definition, rule, target, one run', async () => {
    const res = await runProcess('bash', [SCRIPT], {
      env: awsCliEnv({
        CRONBRIDGE_ENDPOINT: fx.url,
        AWS_CLI,
        IMAGE: TEST_IMAGE,
        SEED_WORK_DIR: workDir,
      }),
      timeoutMs: 180_000,
    });
    scriptOut = res.stdout;
    assert.equal(res.code, 0, `script failed:\n${res.stdout}\n${res.stderr}`);
    taskArn = /task ARN: (\S+)/.exec(res.stdout)?.[1] ?? '';
    assert.match(taskArn, /^arn:aws:ecs:us-east-1:000000000000:task\/seed\/[0-9a-f]{32}$/);
    assert.match(res.stdout, /lastStatus STOPPED, stopCode EssentialContainerExited, exit code 0/);
    // get-log-events and filter-log-events each printed the three lines.
    for (const line of JOB_LINES) {
      assert.equal(res.stdout.split(`   | ${line}\n`).length - 1, 2, `"${line}" twice`);
    }
  });

  it('describe-clusters: Fargate capacity provider and Container Insights as created', async () => {
    const { clusters } = await aws.json<{ clusters: Record<string, unknown>[] }>(
      'ecs',
      'describe-clusters',
      '--clusters',
      CLUSTER,
      '--include',
      'SETTINGS',
    );
    assert.equal(clusters.length, 1);
    const cluster = clusters[0] ?? {};
    assert.equal(cluster['status'], 'ACTIVE');
    assert.deepEqual(cluster['capacityProviders'], ['FARGATE']);
    assert.deepEqual(cluster['settings'], [{ name: 'containerInsights', value: 'enabled' }]);
    const strategy = cluster['defaultCapacityProviderStrategy'] as Record<string, unknown>[];
    assert.equal(strategy[0]?.['capacityProvider'], 'FARGATE');
    assert.equal(strategy[0]?.['weight'], 1);
  });

  it('describe-tasks: STOPPED, exit code 0, Fargate, the definition tags, the first subnet', async () => {
    const { tasks, failures } = await aws.json<{ tasks: Task[]; failures: unknown[] }>(
      'ecs',
      'describe-tasks',
      '--cluster',
      CLUSTER,
      '--tasks',
      taskArn,
      '--include',
      'TAGS',
    );
    assert.deepEqual(failures, []);
    const task = tasks[0];
    assert.ok(task);
    assert.equal(task.lastStatus, 'STOPPED');
    assert.equal(task.desiredStatus, 'STOPPED');
    assert.equal(task.stopCode, 'EssentialContainerExited');
    assert.equal(task.launchType, 'FARGATE');
    assert.equal(task.group, 'family:seed-job');
    assert.deepEqual(
      task.containers.map((c) => [c.name, c.lastStatus, c.exitCode]),
      [['job', 'STOPPED', 0]],
    );
    // --propagate-tags TASK_DEFINITION copied the definition's tags onto the task.
    assert.deepEqual(task.tags, [
      { key: 'app', value: 'seed' },
      { key: 'team', value: 'platform' },
    ]);
    const eni = task.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
    assert.equal(eni?.details.find((d) => d.name === 'subnetId')?.value, subnets[0]);
  });

  it('logs: the stream is ecs/job/<task id>, get-log-events returns the lines in order', async () => {
    const stream = `ecs/job/${taskArn.split('/').at(-1)}`;
    const { logStreams } = await aws.json<{ logStreams: { logStreamName: string }[] }>(
      'logs',
      'describe-log-streams',
      '--log-group-name',
      LOG_GROUP,
    );
    assert.deepEqual(
      logStreams.map((s) => s.logStreamName),
      [stream],
    );
    const got = await aws.json<{ events: { message: string }[]; nextForwardToken: string }>(
      'logs',
      'get-log-events',
      '--log-group-name',
      LOG_GROUP,
      '--log-stream-name',
      stream,
      '--start-from-head',
    );
    assert.deepEqual(
      got.events.map((e) => e.message),
      JOB_LINES,
    );
    assert.match(got.nextForwardToken, /^f\//);
  });

  it('logs: filter-log-events finds the lines across the group and by pattern', async () => {
    const stream = `ecs/job/${taskArn.split('/').at(-1)}`;
    const all = await aws.json<{
      events: { logStreamName: string; message: string; eventId: string }[];
    }>('logs', 'filter-log-events', '--log-group-name', LOG_GROUP);
    assert.deepEqual(
      all.events.map((e) => [e.logStreamName, e.message]),
      JOB_LINES.map((line) => [stream, line]),
    );
    assert.equal(new Set(all.events.map((e) => e.eventId)).size, 3);
    const finished = await aws.json<{ events: { message: string }[] }>(
      'logs',
      'filter-log-events',
      '--log-group-name',
      LOG_GROUP,
      '--log-stream-name-prefix',
      'ecs/job/',
      '--filter-pattern',
      'finished',
    );
    assert.deepEqual(
      finished.events.map((e) => e.message),
      ['seed job: finished'],
    );
  });

  it('describe-rule and list-targets-by-rule return exactly what the script put', async () => {
    const rule = await aws.json('events', 'describe-rule', '--name', RULE);
    assert.deepEqual(rule, {
      Name: RULE,
      Arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/${RULE}`,
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Description: 'Runs seed-job on seed every minute',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
    const sent = JSON.parse(await readFile(join(workDir, 'targets.json'), 'utf8')) as unknown;
    const listed = await aws.json<{ Targets: unknown[] }>(
      'events',
      'list-targets-by-rule',
      '--rule',
      RULE,
    );
    assert.deepEqual(listed.Targets, sent);
    // …and what was sent is the seed's target, member for member.
    assert.deepEqual(sent, [
      {
        Id: 'seed-job',
        Arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/seed`,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsEventsRole`,
        EcsParameters: {
          TaskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/seed-job:1`,
          TaskCount: 1,
          LaunchType: 'FARGATE',
          PlatformVersion: 'LATEST',
          PropagateTags: 'TASK_DEFINITION',
          NetworkConfiguration: {
            awsvpcConfiguration: {
              Subnets: subnets.slice(0, 2),
              SecurityGroups: [securityGroup],
              AssignPublicIp: 'ENABLED',
            },
          },
        },
      },
    ]);
  });

  it('the script printed each step and how to watch and stop the rule', () => {
    for (const heading of [
      /== 1\. Who am I\?/,
      /== 2\. IAM roles: 'ecsTaskExecutionRole' \(awslogs writes\) and 'ecsEventsRole'/,
      /== 3\. ECS cluster 'seed'/,
      /== 4\. CloudWatch Logs group '\/ecs\/seed-job'\n {3}created/,
      /== 6\. EventBridge rule 'seed-every-minute': rate\(1 minute\)/,
      new RegExp(
        `== 7\\. Default subnets and security group of us-east-1 .*\n {3}subnets ${subnets[0]} ${subnets[1]}, security group ${securityGroup}\n`,
      ),
      /list-tasks --cluster seed --started-by events-rule\/seed-every-minute/,
      /events delete-rule --name seed-every-minute/,
    ]) {
      assert.match(scriptOut, heading);
    }
  });

  it('bad calls get the AWS error codes and messages', async () => {
    const vpc = `awsvpcConfiguration={subnets=[${subnets[0]}],assignPublicIp=ENABLED}`;
    const cases: { args: string[]; code: string; message: string | RegExp }[] = [
      {
        args: [
          'ecs',
          'run-task',
          '--cluster',
          'no-such-cluster',
          '--task-definition',
          'seed-job',
          '--launch-type',
          'FARGATE',
          '--network-configuration',
          vpc,
        ],
        code: 'ClusterNotFoundException',
        message: 'Cluster not found.',
      },
      {
        args: ['ecs', 'run-task', '--cluster', CLUSTER, '--task-definition', 'seed-job'],
        code: 'InvalidParameterException',
        message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      },
      {
        // 256 CPU units allow 512, 1024 or 2048 MiB on Fargate.
        args: [
          'ecs',
          'register-task-definition',
          '--family',
          'too-big',
          '--requires-compatibilities',
          'FARGATE',
          '--network-mode',
          'awsvpc',
          '--cpu',
          '256',
          '--memory',
          '4096',
          '--container-definitions',
          JSON.stringify([{ name: 'job', image: TEST_IMAGE }]),
        ],
        code: 'ClientException',
        message: /^No Fargate configuration exists for given values/,
      },
      {
        args: [
          'logs',
          'get-log-events',
          '--log-group-name',
          '/ecs/no-such-group',
          '--log-stream-name',
          'ecs/job/0',
        ],
        code: 'ResourceNotFoundException',
        message: 'The specified log group does not exist.',
      },
      {
        args: ['logs', 'filter-log-events', '--log-group-name', '/ecs/no-such-group'],
        code: 'ResourceNotFoundException',
        message: 'The specified log group does not exist.',
      },
      {
        args: ['events', 'put-rule', '--name', 'bad', '--schedule-expression', 'rate(1 minutes)'],
        code: 'ValidationException',
        message: 'Parameter ScheduleExpression is not valid.',
      },
      {
        args: ['events', 'put-rule', '--name', 'bad', '--schedule-expression', 'cron(0 1 * * * *)'],
        code: 'ValidationException',
        message: 'Parameter ScheduleExpression is not valid.',
      },
      {
        args: ['events', 'describe-rule', '--name', 'no-such-rule'],
        code: 'ResourceNotFoundException',
        message: 'Rule no-such-rule does not exist on EventBus default.',
      },
      {
        args: [
          'events',
          'put-targets',
          '--rule',
          RULE,
          '--targets',
          JSON.stringify([
            {
              Id: 'no-role',
              Arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/seed`,
              EcsParameters: { TaskDefinitionArn: 'seed-job' },
            },
          ]),
        ],
        code: 'ValidationException',
        message: `RoleArn is required for target arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/seed.`,
      },
    ];
    for (const c of cases) {
      const got = await aws.errorCode(...c.args);
      assert.equal(got.code, c.code, `aws ${c.args.slice(0, 2).join(' ')}: ${got.message}`);
      if (typeof c.message === 'string') assert.equal(got.message, c.message);
      else assert.match(got.message, c.message);
      assert.equal(got.exitCode, 254, 'the CLI exits 254 on a service error');
    }
  });

  it('a sixth target on a rule is refused whole with LimitExceededException', async () => {
    const target = (n: number) => ({
      Id: `job-${n}`,
      Arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/seed`,
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsEventsRole`,
      EcsParameters: {
        TaskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/seed-job`,
        LaunchType: 'FARGATE',
        NetworkConfiguration: { awsvpcConfiguration: { Subnets: [subnets[0]!] } },
      },
    });
    // DISABLED: this rule must never start tasks.
    await aws.json(
      'events',
      'put-rule',
      '--name',
      'crowded',
      '--schedule-expression',
      'rate(5 minutes)',
      '--state',
      'DISABLED',
    );
    const five = await aws.json<{ FailedEntryCount: number }>(
      'events',
      'put-targets',
      '--rule',
      'crowded',
      '--targets',
      JSON.stringify([1, 2, 3, 4, 5].map(target)),
    );
    assert.equal(five.FailedEntryCount, 0);
    const sixth = await aws.errorCode(
      'events',
      'put-targets',
      '--rule',
      'crowded',
      '--targets',
      JSON.stringify([target(6)]),
    );
    assert.equal(sixth.code, 'LimitExceededException');
    assert.equal(sixth.message, 'The requested resource exceeds the maximum number allowed.');
    // Nothing of the refused request was kept.
    const listed = await aws.json<{ Targets: { Id: string }[] }>(
      'events',
      'list-targets-by-rule',
      '--rule',
      'crowded',
    );
    assert.deepEqual(
      listed.Targets.map((t) => t.Id),
      ['job-1', 'job-2', 'job-3', 'job-4', 'job-5'],
    );
    // Updating one of the five is an upsert, not a sixth.
    const upsert = await aws.json<{ FailedEntryCount: number }>(
      'events',
      'put-targets',
      '--rule',
      'crowded',
      '--targets',
      JSON.stringify([{ ...target(3), RoleArn: `arn:aws:iam::${ACCOUNT}:role/otherRole` }]),
    );
    assert.equal(upsert.FailedEntryCount, 0);
  });
});
