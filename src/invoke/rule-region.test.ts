/**
 * A rule fires in its own region: the Scheduled Event names the region and account of the rule's
 * ARN, whatever region the server defaults to (issue 13 item 4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ruleContext } from './delivery.ts';
import { ecsTarget } from './test-support/ecs-target.ts';
import { firingFixture } from './test-support/firing-fixture.ts';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const TOKYO_RULE = 'arn:aws:events:ap-northeast-1:210987654321:rule/tokyo';

describe('rule regions in delivery', () => {
  it('builds the Scheduled Event with the region and account of the rule ARN', async () => {
    await using f = await firingFixture(T0);
    f.rules.seed({
      arn: TOKYO_RULE,
      name: 'tokyo',
      sourceName: 'default',
      expression: 'rate(1 minute)',
      dialect: 'rule',
      timezone: 'UTC',
      enabled: true,
      anchorMs: T0,
      targets: [ecsTarget()],
    });
    await f.start();
    await f.runUntil(T0 + 60_000);
    const rows = await f.store.db.selectFrom('firing_invocations').select('event_json').execute();
    assert.equal(rows.length, 1);
    const event = JSON.parse(rows[0]!.event_json) as Record<string, unknown>;
    assert.equal(event.region, 'ap-northeast-1');
    assert.equal(event.account, '210987654321');
    assert.deepEqual(event.resources, [TOKYO_RULE]);
    assert.equal(f.ecs.requests.length, 1);
  });

  it('reads the context of a rule ARN, and refuses text that is no ARN', () => {
    assert.deepEqual(ruleContext('arn:aws-cn:events:cn-north-1:123456789012:rule/b/r'), {
      partition: 'aws-cn',
      region: 'cn-north-1',
      accountId: '123456789012',
    });
    assert.throws(() => ruleContext('rule/r'), /not a rule ARN/);
  });
});
