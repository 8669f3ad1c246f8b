/**
 * The classic system from Terraform, end to end, with real parts only: Terraform (from PATH) and
 * the AWS provider (from the local mirror) apply `examples/terraform/` through `cronbridge
 * terraform` against `cronbridge up` as a process on real Docker, in ap-northeast-1. The rule's
 * first slot (a minute after its creation, as AWS) runs the task, whose line lands in the log
 * group; a second plan shows no changes; destroy leaves nothing behind, checked through the API.
 * No terraform or no provider mirror is a failure that says so, never a skip.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';

import {
  integrationGate,
  newTestRunId,
  reapTestContainers,
  TEST_IMAGE,
} from '../support/docker.ts';
import { providerOperations } from '../support/terraform-census.ts';
import {
  findProviderMirror,
  findTerraform,
  type TerraformSession,
  terraformSession,
  writeTerraformCliConfig,
} from '../support/terraform.ts';
import { eventually, SDK_TEST_CLIENT, UpProcess } from '../support/up-process.ts';

const skip = await integrationGate();
const EXAMPLE = new URL('../../examples/terraform', import.meta.url).pathname;
const REGION = 'ap-northeast-1';
const NAME = 'nightly-report';
/** The first slot is one period after the rule's creation; the rest of apply runs meanwhile. */
const FIRST_RUN_MS = 120_000;

describe(
  'Terraform applies the classic system (examples/terraform) to cronbridge',
  { skip },
  () => {
    const runId = newTestRunId('terraform');
    const root = mkdtempSync(join(tmpdir(), 'cronbridge-terraform-'));
    const workDir = join(root, 'config');
    let up: UpProcess | undefined;
    let tf: TerraformSession;
    let client: Omit<typeof SDK_TEST_CLIENT, 'region'> & { endpoint: string; region: string };

    before(async () => {
      const terraform = findTerraform();
      const cliConfig = join(root, 'terraform.tfrc');
      writeTerraformCliConfig(cliConfig, findProviderMirror());
      cpSync(EXAMPLE, workDir, {
        recursive: true,
        filter: (src) => !/\.terraform|tfstate|_override\.tf$/.test(src),
      });
      // The one change a user makes for cronbridge: an image the local engine already has.
      writeFileSync(join(workDir, 'terraform.tfvars'), `image = "${TEST_IMAGE}"\n`);
      up = new UpProcess({ dataDir: join(root, 'data'), runId });
      const endpoint = await up.started();
      client = { ...SDK_TEST_CLIENT, endpoint, region: REGION };
      tf = terraformSession({ workDir, endpoint, terraform, cliConfig });
    });

    after(async () => {
      up?.kill();
      await reapTestContainers(runId);
      rmSync(root, { recursive: true, force: true });
    });

    /** Fails with Terraform's own output, which names the resource and the API error. */
    async function terraform(args: string[], logName: string, expectCode = 0) {
      const result = await tf.run(args, logName);
      assert.equal(
        result.code,
        expectCode,
        `terraform ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}` +
          `\n--- cronbridge stderr\n${up?.stderr ?? ''}`,
      );
      return result;
    }

    it('slow: init from the mirror, apply, a run whose line is in the log group, a clean plan, destroy', async (t) => {
      try {
        await applyRunPlanDestroy();
      } finally {
        // The census goes into the report: which operations this run of the provider needed.
        const census = providerOperations(tf.logFiles);
        t.diagnostic(`operations the AWS provider called (${census.length}):`);
        for (const c of census) t.diagnostic(`  ${c.service} ${c.operation} x${c.calls}`);
      }
    });

    async function applyRunPlanDestroy(): Promise<void> {
      await terraform(['init'], 'init');
      const applied = await terraform(['apply', '-auto-approve'], 'apply');
      assert.match(applied.stdout, /Apply complete! Resources: 17 added, 0 changed, 0 destroyed/);

      const ecs = new ECSClient(client);
      const logs = new CloudWatchLogsClient(client);

      // The rule's target starts the task; it runs to completion on Docker.
      const taskArn = await eventually(
        'a STOPPED task started by the rule',
        async () => {
          const { taskArns = [] } = await ecs.send(
            new ListTasksCommand({ cluster: NAME, desiredStatus: 'STOPPED' }),
          );
          return taskArns[0];
        },
        FIRST_RUN_MS,
        1000,
      );
      assert.match(
        taskArn,
        new RegExp(`^arn:aws:ecs:${REGION}:000000000000:task/${NAME}/[0-9a-f]{32}$`),
      );
      const { tasks = [] } = await ecs.send(
        new DescribeTasksCommand({ cluster: NAME, tasks: [taskArn], include: ['TAGS'] }),
      );
      const task = tasks[0];
      assert.equal(task?.startedBy, `events-rule/${NAME}-schedule`);
      assert.equal(task?.containers?.[0]?.exitCode, 0);
      // default_tags reach the task definition, and PropagateTags TASK_DEFINITION copies them on.
      const tags = Object.fromEntries((task?.tags ?? []).map((t) => [t.key, t.value]));
      assert.deepEqual(
        { Project: tags['Project'], ManagedBy: tags['ManagedBy'] },
        { Project: NAME, ManagedBy: 'terraform' },
      );
      const taskId = taskArn.split('/').pop() as string;
      const line = await eventually('the task line in /ecs/nightly-report', async () => {
        const { events = [] } = await logs.send(
          new FilterLogEventsCommand({
            logGroupName: `/ecs/${NAME}`,
            logStreamNames: [`ecs/report/${taskId}`],
          }),
        );
        return events.find((e) => e.message?.includes(`${NAME} ran on`))?.message;
      });
      assert.match(line, /nightly-report ran on \S+/);

      // Everything read back equals the configuration: no perpetual diff.
      await terraform(['plan', '-detailed-exitcode'], 'plan');

      await terraform(['destroy', '-auto-approve'], 'destroy');
      const ec2 = new EC2Client(client);
      const { Vpcs = [] } = await ec2.send(
        new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Project', Values: [NAME] }] }),
      );
      assert.deepEqual(Vpcs, [], 'the VPC is gone');
      const { Subnets = [] } = await ec2.send(
        new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:Project', Values: [NAME] }] }),
      );
      assert.deepEqual(Subnets, [], 'the subnets are gone');
      const { clusterArns = [] } = await ecs.send(new ListClustersCommand({}));
      assert.ok(!clusterArns.some((a) => a.endsWith(`/${NAME}`)), 'the cluster is gone');
      const { taskDefinitionArns = [] } = await ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: NAME, status: 'ACTIVE' }),
      );
      assert.deepEqual(taskDefinitionArns, [], 'the task definition is deregistered');
      const { logGroups = [] } = await logs.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: `/ecs/${NAME}` }),
      );
      assert.deepEqual(logGroups, [], 'the log group is gone');
      const { Rules = [] } = await new EventBridgeClient(client).send(
        new ListRulesCommand({ NamePrefix: NAME }),
      );
      assert.deepEqual(Rules, [], 'the rule is gone');
      const { Roles = [] } = await new IAMClient(client).send(new ListRolesCommand({}));
      assert.deepEqual(
        Roles.filter((r) => r.RoleName?.startsWith(NAME)).map((r) => r.RoleName),
        [],
        'the roles are gone',
      );
    }
  },
);
