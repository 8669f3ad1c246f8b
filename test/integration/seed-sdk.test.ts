/**
 * The seed system ("EventBridge scheduled rule → ECS RunTask on Fargate → awslogs") driven end to
 * end by AWS SDK v3 clients — ECS, EventBridge, CloudWatch Logs, STS — with their waiters and
 * paginators, against an in-process engine on real Docker. The engine's clock is a ManualClock:
 * the rule fires only when the test moves the clock past its slot; containers run in real time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  ResourceNotFoundException as LogsResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  paginateListTasks,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
} from '@aws-sdk/client-ecs';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  EventBridgeServiceException,
  LimitExceededException,
  ListRulesCommand,
  type ListRulesCommandOutput,
  ListTargetsByRuleCommand,
  type ListTargetsByRuleCommandOutput,
  PutRuleCommand,
  PutTargetsCommand,
  ResourceNotFoundException as EventsResourceNotFoundException,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { ManualClock } from '../../src/platform/clock.ts';
import { defaultNetwork } from '../support/default-network.ts';
import { integrationGate, TEST_IMAGE } from '../support/docker.ts';
import { AWS_TEST_CLIENT, testEngine, type TestEngine } from '../support/test-engine.ts';

const skip = await integrationGate();
const T0 = Date.parse('2026-07-01T10:00:00Z');

const CLUSTER = 'seed';
const FAMILY = 'seed-job';
const LOG_GROUP = '/ecs/seed-job';
const RULE = 'seed-every-minute';
const JOB_LINES = ['seed job: starting', 'seed job: processed 3 items', 'seed job: finished'];
const TAGS = [
  { key: 'app', value: 'seed' },
  { key: 'team', value: 'platform' },
];
/** Short waits: the SDK's defaults (6 s for ECS) are for AWS, not a local engine. */
const WAIT = { minDelay: 1, maxDelay: 2, maxWaitTime: 90 } as const;

/**
 * `paginateListRules` / `paginateListTargetsByRule`: the EventBridge model declares no
 * paginators, so `@aws-sdk/client-eventbridge` ships none; this walks `NextToken` the way the
 * SDK's generated paginators do (page size in `Limit`, done when no token comes back).
 */
async function* paginateNextToken<O extends { NextToken?: string | undefined }>(
  page: (nextToken: string | undefined) => Promise<O>,
): AsyncGenerator<O> {
  let token: string | undefined;
  do {
    const out = await page(token);
    yield out;
    token = out.NextToken;
  } while (token);
}

async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined) {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    items.push(...(pick(page) ?? []));
  }
  return { items, pages: count };
}

describe('the seed system end to end with AWS SDK v3 clients', { skip }, () => {
  const clock = new ManualClock(T0);
  let fx: TestEngine;
  let ecs: ECSClient;
  let events: EventBridgeClient;
  let logs: CloudWatchLogsClient;
  let sts: STSClient;
  let account = '';
  let clusterArn = '';
  let taskDefinitionArn = '';
  let target: Target;
  /** The region's default subnets (two) and security group, looked up in `before`. */
  let subnets: string[] = [];
  let securityGroup = '';
  const taskArns: string[] = [];

  const paginateListRules = (pageSize: number, input: { NamePrefix?: string }) =>
    paginateNextToken<ListRulesCommandOutput>((NextToken) =>
      events.send(new ListRulesCommand({ ...input, Limit: pageSize, NextToken })),
    );
  const paginateListTargetsByRule = (pageSize: number, input: { Rule: string }) =>
    paginateNextToken<ListTargetsByRuleCommandOutput>((NextToken) =>
      events.send(new ListTargetsByRuleCommand({ ...input, Limit: pageSize, NextToken })),
    );

  /** Every message of a stream, oldest first, `pageSize` events per GetLogEvents call. */
  const streamLines = (stream: string, pageSize = 1) =>
    collect(
      // GetLogEvents hands back the token it was given at the end of the stream.
      paginateGetLogEvents(
        { client: logs, pageSize, stopOnSameToken: true },
        { logGroupName: LOG_GROUP, logStreamName: stream, startFromHead: true },
      ),
      (p) => p.events?.map((e) => e.message ?? ''),
    );

  const describeTask = async (taskArn: string): Promise<Task> => {
    const { tasks, failures } = await ecs.send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn], include: ['TAGS'] }),
    );
    assert.deepEqual(failures, []);
    assert.ok(tasks?.[0]);
    return tasks[0];
  };

  const streamOf = (taskArn: string) => `ecs/job/${taskArn.split('/').at(-1)}`;

  before(async () => {
    fx = await testEngine({ prefix: 'seed-sdk', clock, startFiring: true, serviceRoles: true });
    // Two of the region's default subnets and its default group, as a user finds them.
    const net = await defaultNetwork(fx.url);
    subnets = net.subnets.slice(0, 2);
    securityGroup = net.securityGroups[0]!;
    const config = { ...AWS_TEST_CLIENT, endpoint: fx.url };
    ecs = new ECSClient(config);
    events = new EventBridgeClient(config);
    logs = new CloudWatchLogsClient(config);
    sts = new STSClient(config);
  });

  after(async () => {
    for (const client of [ecs, events, logs, sts]) client.destroy();
    await fx[Symbol.asyncDispose]();
  });

  it('STS: GetCallerIdentity names the account every ARN is built from', async () => {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.match(id.Account ?? '', /^\d{12}$/);
    assert.match(id.Arn ?? '', /^arn:aws:iam::\d{12}:/);
    account = id.Account ?? '';
  });

  it('builds the system: cluster, log group, task definition, rule rate(1 minute), ECS target', async () => {
    const { cluster } = await ecs.send(
      new CreateClusterCommand({
        clusterName: CLUSTER,
        capacityProviders: ['FARGATE'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
        settings: [{ name: 'containerInsights', value: 'enabled' }],
      }),
    );
    clusterArn = cluster?.clusterArn ?? '';
    assert.equal(clusterArn, `arn:aws:ecs:us-east-1:${account}:cluster/${CLUSTER}`);
    const described = await ecs.send(
      new DescribeClustersCommand({ clusters: [CLUSTER], include: ['SETTINGS'] }),
    );
    assert.deepEqual(described.clusters?.[0]?.settings, [
      { name: 'containerInsights', value: 'enabled' },
    ]);
    assert.deepEqual(described.clusters?.[0]?.capacityProviders, ['FARGATE']);

    await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));

    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: FAMILY,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        executionRoleArn: `arn:aws:iam::${account}:role/ecsTaskExecutionRole`,
        containerDefinitions: [
          {
            name: 'job',
            image: TEST_IMAGE,
            essential: true,
            command: ['sh', '-c', JOB_LINES.map((l) => `echo '${l}'`).join('; ')],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': LOG_GROUP,
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'ecs',
              },
            },
          },
        ],
        tags: TAGS,
      }),
    );
    taskDefinitionArn = registered.taskDefinition?.taskDefinitionArn ?? '';
    assert.equal(taskDefinitionArn, `arn:aws:ecs:us-east-1:${account}:task-definition/${FAMILY}:1`);

    const { RuleArn } = await events.send(
      new PutRuleCommand({
        Name: RULE,
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Description: 'Runs seed-job every minute',
      }),
    );
    assert.equal(RuleArn, `arn:aws:events:us-east-1:${account}:rule/${RULE}`);
    const rule = await events.send(new DescribeRuleCommand({ Name: RULE }));
    assert.deepEqual(
      {
        Name: rule.Name,
        Arn: rule.Arn,
        ScheduleExpression: rule.ScheduleExpression,
        State: rule.State,
        Description: rule.Description,
        EventBusName: rule.EventBusName,
        CreatedBy: rule.CreatedBy,
      },
      {
        Name: RULE,
        Arn: RuleArn,
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Description: 'Runs seed-job every minute',
        EventBusName: 'default',
        CreatedBy: account,
      },
    );

    target = {
      Id: 'seed-job',
      Arn: clusterArn,
      RoleArn: `arn:aws:iam::${account}:role/ecsEventsRole`,
      EcsParameters: {
        TaskDefinitionArn: taskDefinitionArn,
        TaskCount: 1,
        LaunchType: 'FARGATE',
        PlatformVersion: 'LATEST',
        PropagateTags: 'TASK_DEFINITION',
        NetworkConfiguration: {
          awsvpcConfiguration: {
            Subnets: subnets,
            SecurityGroups: [securityGroup],
            AssignPublicIp: 'ENABLED',
          },
        },
      },
    };
    const put = await events.send(new PutTargetsCommand({ Rule: RULE, Targets: [target] }));
    assert.equal(put.FailedEntryCount, 0);
    assert.deepEqual(put.FailedEntries, []);
    const listed = await events.send(new ListTargetsByRuleCommand({ Rule: RULE }));
    assert.deepEqual(listed.Targets, [target]);
    assert.equal(listed.NextToken, undefined);
  });

  it('RunTask by hand: waitUntilTasksStopped, exit code 0, its lines paginated from the stream', async () => {
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: taskDefinitionArn,
        count: 1,
        launchType: 'FARGATE',
        platformVersion: 'LATEST',
        propagateTags: 'TASK_DEFINITION',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: subnets,
            securityGroups: [securityGroup],
            assignPublicIp: 'ENABLED',
          },
        },
      }),
    );
    assert.deepEqual(run.failures, []);
    const taskArn = run.tasks?.[0]?.taskArn ?? '';
    assert.match(taskArn, /^arn:aws:ecs:us-east-1:\d{12}:task\/seed\/[0-9a-f]{32}$/);
    taskArns.push(taskArn);

    const waited = await waitUntilTasksStopped(
      { client: ecs, ...WAIT },
      { cluster: CLUSTER, tasks: [taskArn] },
    );
    assert.equal(waited.state, 'SUCCESS');
    const task = await describeTask(taskArn);
    assert.equal(task.lastStatus, 'STOPPED');
    assert.equal(task.stopCode, 'EssentialContainerExited');
    assert.equal(task.containers?.[0]?.exitCode, 0);
    assert.deepEqual(task.tags, TAGS);

    // One event per page: the paginator walks forward tokens until the same one comes back.
    const { items, pages } = await streamLines(streamOf(taskArn));
    assert.deepEqual(items, JOB_LINES);
    assert.ok(pages >= JOB_LINES.length, `${pages} pages`);

    const filtered = await collect(
      paginateFilterLogEvents(
        { client: logs, pageSize: 1 },
        { logGroupName: LOG_GROUP, filterPattern: '"seed job"' },
      ),
      (p) => p.events?.map((e) => [e.logStreamName, e.message]),
    );
    assert.deepEqual(
      filtered.items,
      JOB_LINES.map((line) => [streamOf(taskArn), line]),
    );
    assert.ok(filtered.pages >= JOB_LINES.length, `${filtered.pages} pages`);
  });

  it('waitUntilTasksRunning on a long job, StopTask, waitUntilTasksStopped: UserInitiated', async () => {
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: FAMILY,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: subnets } },
        overrides: {
          containerOverrides: [
            {
              name: 'job',
              // busybox sh as PID 1 ignores SIGTERM unless trapped; the trap lets StopTask end it
              // at once instead of after the stop timeout.
              command: [
                'sh',
                '-c',
                "trap 'echo seed job: stopping; exit 0' TERM; echo 'seed job: waiting'; " +
                  'while true; do sleep 1; done',
              ],
            },
          ],
        },
      }),
    );
    const taskArn = run.tasks?.[0]?.taskArn ?? '';
    taskArns.push(taskArn);
    const running = await waitUntilTasksRunning(
      { client: ecs, ...WAIT },
      { cluster: CLUSTER, tasks: [taskArn] },
    );
    assert.equal(running.state, 'SUCCESS');
    const listed = await ecs.send(new ListTasksCommand({ cluster: CLUSTER }));
    assert.deepEqual(listed.taskArns, [taskArn]);

    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: taskArn, reason: 'seed: done' }));
    const stopped = await waitUntilTasksStopped(
      { client: ecs, ...WAIT },
      { cluster: CLUSTER, tasks: [taskArn] },
    );
    assert.equal(stopped.state, 'SUCCESS');
    const task = await describeTask(taskArn);
    assert.equal(task.stopCode, 'UserInitiated');
    assert.equal(task.stoppedReason, 'seed: done');
    assert.equal(task.containers?.[0]?.exitCode, 0);
    const { items } = await streamLines(streamOf(taskArn), 10);
    assert.deepEqual(items, ['seed job: waiting', 'seed job: stopping']);
  });

  it('paginateListTasks: the stopped tasks, one per page', async () => {
    const { items, pages } = await collect(
      paginateListTasks(
        { client: ecs, pageSize: 1 },
        { cluster: CLUSTER, desiredStatus: 'STOPPED' },
      ),
      (p) => p.taskArns,
    );
    assert.deepEqual([...items].sort(), [...taskArns].sort());
    assert.equal(pages, taskArns.length);
  });

  it('paginateListRules and paginateListTargetsByRule walk NextToken to the end', async () => {
    // DISABLED, so moving the clock later never starts their tasks.
    for (const n of [1, 2, 3, 4]) {
      await events.send(
        new PutRuleCommand({
          Name: `seed-extra-${n}`,
          ScheduleExpression: 'rate(5 minutes)',
          State: 'DISABLED',
        }),
      );
    }
    const rules = await collect(paginateListRules(2, { NamePrefix: 'seed-' }), (p) =>
      p.Rules?.map((r) => `${r.Name} ${r.State}`),
    );
    assert.deepEqual(rules.items, [
      `${RULE} ENABLED`,
      'seed-extra-1 DISABLED',
      'seed-extra-2 DISABLED',
      'seed-extra-3 DISABLED',
      'seed-extra-4 DISABLED',
    ]);
    assert.equal(rules.pages, 3);

    const extra = (n: number): Target => ({ ...target, Id: `seed-job-${n}` });
    const put = await events.send(
      new PutTargetsCommand({ Rule: 'seed-extra-1', Targets: [1, 2, 3, 4, 5].map(extra) }),
    );
    assert.equal(put.FailedEntryCount, 0);
    const targets = await collect(
      paginateListTargetsByRule(2, { Rule: 'seed-extra-1' }),
      (p) => p.Targets,
    );
    assert.deepEqual(targets.items, [1, 2, 3, 4, 5].map(extra));
    assert.equal(targets.pages, 3);
  });

  it('errors arrive as the typed SDK exceptions', async () => {
    const vpc = { awsvpcConfiguration: { subnets: subnets } };
    await assert.rejects(
      ecs.send(
        new RunTaskCommand({
          cluster: 'no-such-cluster',
          taskDefinition: FAMILY,
          networkConfiguration: vpc,
        }),
      ),
      (e: Error) => e instanceof ClusterNotFoundException && e.message === 'Cluster not found.',
    );
    await assert.rejects(
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'too-big',
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '4096',
          containerDefinitions: [{ name: 'job', image: TEST_IMAGE }],
        }),
      ),
      (e: Error) =>
        e instanceof ClientException && e.message.startsWith('No Fargate configuration exists'),
    );
    const noGroup = paginateGetLogEvents(
      { client: logs, stopOnSameToken: true },
      { logGroupName: '/ecs/no-such-group', logStreamName: 'ecs/job/0', startFromHead: true },
    );
    await assert.rejects(
      noGroup.next(),
      (e: Error) =>
        e instanceof LogsResourceNotFoundException &&
        e.message === 'The specified log group does not exist.',
    );
    await assert.rejects(
      events.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 minutes)' })),
      // The events model declares no ValidationException shape: the SDK raises its service
      // exception under the wire code's name.
      (e: Error) =>
        e instanceof EventBridgeServiceException &&
        e.name === 'ValidationException' &&
        e.message === 'Parameter ScheduleExpression is not valid.',
    );
    await assert.rejects(
      events.send(new DescribeRuleCommand({ Name: 'no-such-rule' })),
      (e: Error) =>
        e instanceof EventsResourceNotFoundException &&
        e.message === 'Rule no-such-rule does not exist on EventBus default.',
    );
    await assert.rejects(
      events.send(
        new PutTargetsCommand({ Rule: 'seed-extra-1', Targets: [{ ...target, Id: 'sixth' }] }),
      ),
      (e: Error) =>
        e instanceof LimitExceededException &&
        e.message === 'The requested resource exceeds the maximum number allowed.',
    );
  });

  it('the rule fires at its slot: a task started by events-rule/seed-every-minute, tagged, logged', async () => {
    const stopped = fx.engine.supervisor.next((e) => e.type === 'task:stopped');
    const invoked = fx.engine.invoker.events.next('invoke:succeeded');
    // rate(1 minute) counts from the rule's creation at T0: its first slot is T0 + 60 s.
    await clock.advance(60_000);
    const invocation = await invoked;
    assert.equal(invocation.targetId, 'seed-job');
    const event = await stopped;
    const firedArn = event.taskArn;
    assert.ok(!taskArns.includes(firedArn));

    const { items: started } = await collect(
      paginateListTasks(
        { client: ecs, pageSize: 1 },
        { cluster: CLUSTER, startedBy: `events-rule/${RULE}`, desiredStatus: 'STOPPED' },
      ),
      (p) => p.taskArns,
    );
    assert.deepEqual(started, [firedArn]);
    const waited = await waitUntilTasksStopped(
      { client: ecs, ...WAIT },
      { cluster: CLUSTER, tasks: [firedArn] },
    );
    assert.equal(waited.state, 'SUCCESS');

    const task = await describeTask(firedArn);
    assert.equal(task.startedBy, `events-rule/${RULE}`);
    assert.equal(task.group, `family:${FAMILY}`);
    assert.equal(task.taskDefinitionArn, taskDefinitionArn);
    assert.equal(task.launchType, 'FARGATE');
    assert.equal(task.stopCode, 'EssentialContainerExited');
    assert.equal(task.containers?.[0]?.exitCode, 0);
    assert.equal(task.createdAt?.getTime(), T0 + 60_000);
    // PropagateTags TASK_DEFINITION on the target: the definition's tags are on the task.
    assert.deepEqual(task.tags, TAGS);
    const eni = task.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
    assert.equal(eni?.details?.find((d) => d.name === 'subnetId')?.value, subnets[0]);

    const { items } = await streamLines(streamOf(firedArn));
    assert.deepEqual(items, JOB_LINES);
    // Across the group, the pattern now finds the hand-run's lines and the fired task's.
    const filtered = await collect(
      paginateFilterLogEvents(
        { client: logs, pageSize: 2 },
        { logGroupName: LOG_GROUP, filterPattern: 'finished' },
      ),
      (p) => p.events?.map((e) => e.logStreamName),
    );
    assert.deepEqual(
      filtered.items.sort(),
      [streamOf(taskArns[0] ?? ''), streamOf(firedArn)].sort(),
    );
  });
});
