/**
 * Filter patterns are caller input that runs on the thread that also fires schedules, so every
 * match must finish in time linear in the event. These are the cases that stalled the process
 * with a backtracking engine (stacked quantifiers in `%regex%`, many `*` wildcards in a value).
 * Each match runs in a worker with a budget: a backtracking engine needs hours for these inputs
 * and runs out of it; RE2 answers in milliseconds. The budget is a hang guard, not a timing
 * assertion — nothing here compares durations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

const BUDGET_MS = 30_000;

// Workers do not inherit the test process's TypeScript loader: register tsx, then load the worker.
const WORKER_FILE = new URL('./test-support/filter-match.worker.ts', import.meta.url).href;
const WORKER_BOOT = `(async () => {
  const { register } = await import('tsx/esm/api');
  register();
  await import(${JSON.stringify(WORKER_FILE)});
})();`;

async function matchWithinBudget(pattern: string, message: string): Promise<boolean> {
  const worker = new Worker(WORKER_BOOT, { eval: true, workerData: { pattern, message } });
  const budget = new AbortController();
  try {
    return await new Promise<boolean>((resolve, reject) => {
      worker.once('message', (matched: boolean) => resolve(matched));
      worker.once('error', reject);
      // A test may use the timers API directly: the Clock rule is for the product's code.
      const timer = globalThis.setTimeout(
        () => reject(new Error(`no answer within the match budget (${BUDGET_MS} ms)`)),
        BUDGET_MS,
      );
      budget.signal.addEventListener('abort', () => globalThis.clearTimeout(timer));
    });
  } finally {
    budget.abort();
    await worker.terminate();
  }
}

describe('filter patterns match in linear time', () => {
  it('stacked quantifiers in a %regex% term', async () => {
    const message = 'a'.repeat(20_000);
    assert.equal(await matchWithinBudget('%a*a*a*a*a*a*b%', message), false);
    assert.equal(await matchWithinBudget('%a*a*a*a*a*a*b%', `${message}b`), true);
  });

  it('a value with many wildcards in a JSON pattern', async () => {
    const message = JSON.stringify({ user: 'a'.repeat(20_000) });
    assert.equal(await matchWithinBudget('{ $.user = "*a*a*a*a*a*a*a*b" }', message), false);
    assert.equal(await matchWithinBudget('{ $.user = "*a*a*a*a*a*a*a*" }', message), true);
  });

  it('a value with many wildcards in a space-delimited pattern', async () => {
    const message = `x ${'a'.repeat(20_000)}`;
    assert.equal(await matchWithinBudget('[first, second = *a*a*a*a*a*a*a*b]', message), false);
    assert.equal(await matchWithinBudget('[first, second = *a*a*a*a*a*a*a*]', message), true);
  });
});
