import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { globalContext } from './request-context.ts';
import { IamSimulateEvaluator } from './iam-simulate.evaluator.ts';
import { MemoizingEvaluator } from './memoizing.evaluator.ts';
import type { PolicyDecision, PolicyEvaluator, PolicyRequest } from './policy-evaluator.ts';

const USER = 'arn:aws:iam::000000000000:user/poller';

/** Counts the questions that reach the real evaluator. */
function counting(inner: PolicyEvaluator = new IamSimulateEvaluator()) {
  const seen = { calls: 0 };
  const evaluator: PolicyEvaluator = {
    evaluate: (request) => {
      seen.calls++;
      return inner.evaluate(request);
    },
  };
  return { seen, evaluator };
}

function allow(action: string, condition?: unknown) {
  return {
    name: 'inline',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: action,
          Resource: '*',
          ...(condition === undefined ? {} : { Condition: condition }),
        },
      ],
    },
  };
}

function request(now: number, overrides: Partial<PolicyRequest> = {}): PolicyRequest {
  return {
    principal: USER,
    action: 'ecs:ListClusters',
    resource: '*',
    resourceAccount: '000000000000',
    context: globalContext(USER, { region: 'ap-northeast-1', now }),
    identityPolicies: [allow('ecs:List*')],
    ...overrides,
  };
}

describe('MemoizingEvaluator: the same question is evaluated once', () => {
  it('answers a repeated request from memory, also at a later time', async () => {
    const { seen, evaluator } = counting();
    const memo = new MemoizingEvaluator(evaluator);
    const first = await memo.evaluate(request(1_000));
    const again = await memo.evaluate(request(61_000));
    assert.equal(first.allowed, true);
    assert.equal(again, first);
    assert.equal(seen.calls, 1);
  });

  it('asks again when the context, the action or a policy document differs', async () => {
    const { seen, evaluator } = counting();
    const memo = new MemoizingEvaluator(evaluator);
    await memo.evaluate(request(1_000));
    const otherRegion = await memo.evaluate(
      request(1_000, {
        context: globalContext(USER, { region: 'eu-west-1', now: 1_000 }),
      }),
    );
    const otherAction = await memo.evaluate(request(1_000, { action: 'ecs:DeleteCluster' }));
    const editedPolicy = await memo.evaluate(
      request(1_000, { identityPolicies: [allow('ecs:Describe*')] }),
    );
    assert.equal(seen.calls, 4);
    assert.equal(otherRegion.allowed, true);
    assert.equal(otherAction.allowed, false);
    assert.equal(editedPolicy.allowed, false, 'the edited policy decides, not the remembered one');
  });

  it('never remembers a request whose policies read the time', async () => {
    const { seen, evaluator } = counting();
    const memo = new MemoizingEvaluator(evaluator);
    const until = Date.UTC(2026, 11, 3, 12, 0, 0);
    const policies = [
      allow('ecs:List*', { DateLessThan: { 'aws:CurrentTime': new Date(until).toISOString() } }),
    ];
    const before = await memo.evaluate(request(until - 60_000, { identityPolicies: policies }));
    const after = await memo.evaluate(request(until + 60_000, { identityPolicies: policies }));
    assert.equal(before.allowed, true);
    assert.equal(after.allowed, false, 'the condition is evaluated at the later time');
    assert.equal(seen.calls, 2);
  });

  it('keeps at most `capacity` decisions, dropping the least recently used', async () => {
    const decision = (action: string): PolicyDecision => ({
      outcome: 'Allowed',
      allowed: true,
      principal: USER,
      action,
      resource: '*',
    });
    const { seen, evaluator } = counting({ evaluate: async (r) => decision(r.action) });
    const memo = new MemoizingEvaluator(evaluator, 2);
    await memo.evaluate(request(0, { action: 'ecs:ListClusters' }));
    await memo.evaluate(request(0, { action: 'ecs:ListTasks' }));
    await memo.evaluate(request(0, { action: 'ecs:ListClusters' })); // used again: kept
    await memo.evaluate(request(0, { action: 'ecs:ListServices' })); // evicts ListTasks
    assert.equal(seen.calls, 3);
    await memo.evaluate(request(0, { action: 'ecs:ListClusters' }));
    assert.equal(seen.calls, 3);
    await memo.evaluate(request(0, { action: 'ecs:ListTasks' }));
    assert.equal(seen.calls, 4);
  });
});
