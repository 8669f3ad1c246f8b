/**
 * A crash between RunTask and recording its result: the restarted invoker makes the attempt
 * again with the same client token, and the real ECS service hands back the task the first try
 * started instead of starting a second one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { EcsService } from '../ecs/ecs.service.ts';
import { fargateDefinition } from '../ecs/ecs.test-support.ts';
import type { RunTaskInput } from '../ecs/tasks.service.ts';
import type { EcsTaskRunner, RunTaskRequest } from '../ecs/run-task.ports.ts';
import { FiringLoop, StoreSlotLedger, firingEvents } from '../firing/index.ts';
import { RunHistory } from './run-history.service.ts';
import { ecsTarget, TEST_TASK_DEF_ARN } from './test-support/ecs-target.ts';
import { memoryRuleSource, TEST_CONTEXT } from './test-support/firing-fixture.ts';
import { ManualClock } from '../platform/clock.ts';
import { openStore } from '../store/open-store.ts';
import { attemptToken, TargetInvoker } from './target-invoker.ts';
import { ScriptedTargetAuthorization } from './test-support/target-authorization.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;

describe('TargetInvoker across a crash mid-attempt', () => {
  it('re-sends the cut-off attempt with its client token: one task, not two', async () => {
    await using store = await openStore({ dataDir: ':memory:' });
    const clock = new ManualClock(T0);
    const ecs = new EcsService({ store, clock }, { awsvpcNetwork: 'none' });
    const launched: string[] = [];
    ecs.tasks.setLauncher({
      launch: (plan) => launched.push(plan.taskArn),
      requestStop: () => true,
    });
    await ecs.createCluster(TEST_CONTEXT, { clusterName: 'jobs' });
    await ecs.registerTaskDefinition(TEST_CONTEXT, fargateDefinition({ family: 'batch' }));
    const rules = memoryRuleSource();
    const ruleArn = rules.put('job', 'rate(1 hour)', T0, {
      targets: [
        ecsTarget('t1', {
          EcsParameters: {
            TaskDefinitionArn: TEST_TASK_DEF_ARN,
            LaunchType: 'FARGATE',
            NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-1'] } },
          },
        }),
      ],
    });

    // The first process: RunTask reaches ECS, then the process dies before the answer is
    // recorded (the call never returns).
    const tokens: (string | undefined)[] = [];
    let sent!: () => void;
    const runTaskSent = new Promise<void>((resolve) => (sent = resolve));
    const dying: EcsTaskRunner = {
      async runTask(ctx, request: RunTaskRequest) {
        tokens.push(request.clientToken);
        await ecs.runTask(ctx, request as RunTaskInput);
        sent();
        return new Promise(() => {});
      },
    };
    const slots = new StoreSlotLedger({ store, events: firingEvents() });
    const first = new TargetInvoker({
      store,
      clock,
      rules,
      slots,
      ecs: dying,
      authorization: new ScriptedTargetAuthorization(),
    });
    const loop = new FiringLoop({
      store,
      clock,
      sources: [rules],
      invoker: first,
    });
    await first.start();
    await loop.start();
    await clock.set(T0 + HOUR);
    await runTaskSent;
    assert.equal(launched.length, 1);
    const [firstTask] = (await ecs.listTasks(TEST_CONTEXT, { cluster: 'jobs' })).taskArns;

    // The restarted process resumes the invocation (still PENDING, no attempt recorded).
    const live: EcsTaskRunner = {
      runTask: (ctx, request) => {
        tokens.push(request.clientToken);
        return ecs.runTask(ctx, request as RunTaskInput);
      },
    };
    const second = new TargetInvoker({
      store,
      clock,
      rules,
      slots,
      ecs: live,
      authorization: new ScriptedTargetAuthorization(),
    });
    await second.start();
    await second.idle();

    assert.equal(tokens.length, 2);
    assert.equal(tokens[0], tokens[1], 'the same attempt, the same token');
    assert.equal(launched.length, 1, 'ECS started no second task');
    assert.deepEqual((await ecs.listTasks(TEST_CONTEXT, { cluster: 'jobs' })).taskArns, [
      firstTask,
    ]);
    const [slot] = await new RunHistory({ store }).slots({ ruleArn });
    const invocation = slot!.invocations[0]!;
    assert.equal(tokens[0], attemptToken(invocation.id, 1));
    assert.equal(invocation.status, 'SUCCEEDED');
    assert.deepEqual(
      invocation.attempts.map((a) => [a.attemptNo, a.outcome]),
      [[1, 'SUCCEEDED']],
    );
    assert.deepEqual(invocation.taskArns, [firstTask]);
    await second.stop();
  });

  it('gives each retry after a recorded failure a token of its own', () => {
    assert.notEqual(attemptToken('inv', 1), attemptToken('inv', 2));
    assert.ok(attemptToken('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 185).length <= 64);
  });
});
