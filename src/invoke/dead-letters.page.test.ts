import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { openStore } from '../store/open-store.ts';
import { RunHistory } from './run-history.service.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');

describe('RunHistory.deadLetterPage', () => {
  it('pages oldest first by (creation, id), ties included, all or one rule', async () => {
    await using store = await openStore({ dataDir: ':memory:' });
    // Five letters of two rules, three of them created in the same millisecond.
    const letters = [
      ['d', 'a', T0 + 5, 'arn:dlq'],
      ['c', 'b', T0, null],
      ['a', 'a', T0, 'arn:dlq'],
      ['b', 'a', T0, null],
      ['e', 'b', T0 + 9, null],
    ] as const;
    for (const [id, rule, createdMs, dlq] of letters) {
      await store.db
        .insertInto('firing_dead_letters')
        .values({
          id,
          invocation_id: `inv-${id}`,
          rule_arn: `rule/${rule}`,
          target_id: 't',
          target_arn: 'arn:aws:sqs:us-east-1:123456789012:q',
          dlq_arn: dlq,
          event_json: '{}',
          error_code: 'UnsupportedTargetType',
          error_message: 'no',
          exhausted_condition: null,
          attempts: 1,
          created_ms: createdMs,
        })
        .execute();
    }
    const history = new RunHistory({ store });
    const walk = async (limit: number, ruleArn?: string) => {
      const pages: string[][] = [];
      let after: { createdMs: number; id: string } | undefined;
      for (;;) {
        const page = await history.deadLetterPage({
          limit,
          ...(ruleArn ? { ruleArn } : {}),
          ...(after ? { after } : {}),
        });
        pages.push(page.letters.map((l) => l.id));
        const last = page.letters.at(-1);
        if (!page.more || !last) return pages;
        after = { createdMs: last.createdMs, id: last.id };
      }
    };
    assert.deepEqual(await walk(2), [['a', 'b'], ['c', 'd'], ['e']]);
    assert.deepEqual(await walk(1, 'rule/a'), [['a'], ['b'], ['d']]);
    assert.deepEqual(await walk(10, 'rule/b'), [['c', 'e']]);
    // One region's letters: by the prefix of its rule ARNs.
    const region = await history.deadLetterPage({ limit: 10, ruleArnPrefix: 'rule/b' });
    assert.deepEqual(
      region.letters.map((l) => l.id),
      ['c', 'e'],
    );
    const none = await history.deadLetterPage({ limit: 10, ruleArnPrefix: 'rule_' });
    assert.deepEqual(none.letters, [], 'the prefix is literal, not a LIKE pattern');
    const first = await history.deadLetterPage({ limit: 1 });
    assert.equal(first.letters[0]?.dlqArn, 'arn:dlq');
    const second = await history.deadLetterPage({ limit: 1, after: { createdMs: T0, id: 'a' } });
    assert.equal(second.letters[0]?.dlqArn, undefined, 'no DeadLetterConfig: no dlqArn');
  });
});
