/**
 * Firing benchmark: N enabled rules (a seeded mix of rate and cron) with a no-op target, on the
 * real clock and a SQLite file store. Prints load time, RSS and fire lag (fired − nominal) over a
 * real-time window. A script, not a test; nothing is asserted.
 *
 *   node --import tsx bench/firing.ts [--rules=100000,1000000] [--window=120]
 *
 * Rules come from an in-memory RuleSource (the loop's port), so the figures are the loop's own:
 * index, timer, fire records in the store. Each rate(1 minute) rule's phase is spread over the
 * minute so slots fall evenly rather than all at second 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FiringLoop } from '../src/firing/firing-loop.ts';
import type { ClaimedSlot, SlotInvoker } from '../src/firing/firing.types.ts';
import {
  MemoryRuleSource,
  TEST_RULE_PREFIX,
} from '../src/firing/test-support/memory-rule-source.ts';
import { SystemClock } from '../src/platform/clock.ts';
import { DEFAULT_CONTEXT } from '../src/platform/ids.ts';
import { openStore } from '../src/store/open-store.ts';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? ''] as const;
  }),
);
const SIZES = (args.get('rules') || '100000,1000000').split(',').map(Number);
const WINDOW_S = Number(args.get('window') || 120);

/** Small deterministic PRNG (mulberry32) so every run builds the same rules. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expressionFor(r: number, random: () => number): string {
  const minute = Math.floor(random() * 60);
  if (r < 0.1) return 'rate(1 minute)';
  if (r < 0.2) return 'rate(5 minutes)';
  if (r < 0.4) return `rate(${1 + Math.floor(random() * 12)} hours)`;
  if (r < 0.6) return `cron(${minute} * * * ? *)`;
  if (r < 0.8) return `cron(${minute} ${Math.floor(random() * 24)} * * ? *)`;
  if (r < 0.9) return `cron(${minute} 9 ? * MON-FRI *)`;
  return `cron(${minute} 3 L * ? *)`;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function run(n: number): Promise<void> {
  const clock = new SystemClock();
  const dir = mkdtempSync(join(tmpdir(), 'cronbridge-bench-firing-'));
  const store = await openStore({ dataDir: dir });
  const rules = new MemoryRuleSource();
  const random = prng(42);
  const now = clock.now();
  for (let i = 0; i < n; i++) {
    rules.seed({
      ruleArn: `${TEST_RULE_PREFIX}bench-${i}`,
      name: `bench-${i}`,
      eventBusName: 'default',
      scheduleExpression: expressionFor(random(), random),
      enabled: true,
      // Phases spread over the last hour: rate slots fall all through the window.
      anchorMs: now - Math.floor(random() * 3_600_000),
      targets: [],
    });
  }
  const rssBefore = process.memoryUsage().rss;
  const lags: number[] = [];
  let fired = 0;
  let startupFires = 0;
  let steadyFrom = Infinity;
  const invoker: SlotInvoker = {
    invokeSlot: async (slot: ClaimedSlot) => {
      // Slots that fell due before the loop finished loading fire late by design (within
      // maxLateness); lag is measured on slots due after start-up only.
      if (slot.nominalMs < steadyFrom) {
        startupFires++;
        return;
      }
      fired++;
      lags.push(clock.now() - slot.nominalMs);
    },
  };
  const loop = new FiringLoop({ store, clock, rules, invoker, context: DEFAULT_CONTEXT });
  const t0 = performance.now();
  await loop.start();
  const loadMs = performance.now() - t0;
  const rssLoaded = process.memoryUsage().rss;
  const windowStart = clock.now();
  steadyFrom = windowStart;
  await clock.sleep(WINDOW_S * 1000);
  await loop.stop();
  const rssEnd = process.memoryUsage().rss;
  lags.sort((a, b) => a - b);
  console.log(
    `${n.toLocaleString('en')} rules: load ${(loadMs / 1000).toFixed(2)} s, ` +
      `RSS ${mib(rssBefore)} with the rule source → ${mib(rssLoaded)} loaded → ${mib(rssEnd)} at end`,
  );
  console.log(
    `  ${fired.toLocaleString('en')} slots fired in ${((clock.now() - windowStart) / 1000).toFixed(0)} s; ` +
      `lag p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms, max ${lags.at(-1) ?? NaN} ms ` +
      `(${startupFires.toLocaleString('en')} slots due during start-up fired late, not counted)`,
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`firing benchmark — node ${process.version}, window ${WINDOW_S} s, no-op target`);
for (const n of SIZES) await run(n);
