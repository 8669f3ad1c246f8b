/**
 * The crash suite, bounded for CI (about 3½ minutes): a real `cronbridge up` on real Docker, six
 * rules firing every minute, `kill -9` at random points (a share of them while it starts and
 * recovers), restarted each time. Nothing a crash can do may lose a slot, run one twice, leave a
 * task stuck or a container behind, or lose a log line. `scripts/crash-soak.ts` runs the same
 * scenario for longer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { runCrashScenario } from '../support/crash-harness.ts';
import { integrationGate } from '../support/docker.ts';

const skip = await integrationGate();

describe('cronbridge up under kill -9 on real Docker', { skip }, () => {
  it(
    'keeps exactly one task per (rule, slot), all logs, no orphan, nothing stuck',
    { timeout: 300_000 },
    async (t) => {
      const figures = await runCrashScenario({
        killPhaseMs: 150_000,
        rules: 6,
        log: (line) => t.diagnostic(line),
      });
      const { problems, ...counts } = figures;
      t.diagnostic(`crash figures: ${JSON.stringify(counts)}`);
      assert.deepEqual(problems, []);
      assert.ok(figures.kills >= 6, `only ${figures.kills} kills`);
      assert.ok(figures.slots >= 12, `only ${figures.slots} slots checked`);
      assert.equal(figures.duplicates + figures.lost + figures.orphans + figures.stuck, 0);
      assert.ok(figures.logEventsChecked >= figures.slots * 20, 'every task printed its lines');
    },
  );
});
