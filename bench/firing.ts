/**
 * Firing benchmark: N enabled rules (a seeded mix of rate and cron) with a no-op target, on the
 * real clock and a SQLite file store. Prints load time, RSS, CPU, GC pauses and fire lag (when
 * the invoker got the slot − its nominal time) for every slot fired in a real-time window; slots
 * due before `start()` resolved (the start-up backlog) are reported apart. A script, not a test;
 * nothing is asserted. Run it on a quiet machine: it prints the load average it saw.
 *
 *   node --import tsx bench/firing.ts [--rules=100000,1000000] [--window=120]
 *     [--claim-ahead=2000] [--source=store|generated|memory] [--restart=yes|no]
 *
 * `--source=store` (the default) is the path `cronbridge up` takes: the rules are rows in the
 * SQLite store (copied from one a real PutRule wrote; seeding is not timed) and the loop reads
 * them through the EventsService, a page at a time. `generated` makes each rule when asked, so
 * the figures are the loop's alone (index, timer, fire records) without the store's reads;
 * `memory` holds every rule on the heap, as the first version of this benchmark did. Rate rules'
 * phases are spread over the last hour, so their slots fall all through the window; cron rules
 * fall at second 0 of their minute, so each minute starts with a burst (~1/300 of the rules).
 *
 * Memory: RSS is sampled before the loop, after start() and at the end; "peak" is the process's
 * high-water mark (getrusage maxrss) since the run began, which is what a 1 GiB limit would meet.
 * `--restart=yes` (default) then starts a second loop on the same store, as a restarted `up`
 * does, with a fire record per rule that fired in the window: its load time is the restart time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';

import {
  FiringLoop,
  MemoryScheduleSource,
  SCHEDULE_PAGE_SIZE,
  TEST_RULE_PREFIX,
} from '../src/firing/index.ts';
import type {
  ClaimedSlot,
  ScheduleSource,
  ScheduledThingWithTargets,
  SlotInvoker,
} from '../src/firing/index.ts';
import { SystemClock } from '../src/platform/clock.ts';
import { arn, DEFAULT_CONTEXT } from '../src/platform/ids.ts';
import { openStore } from '../src/store/open-store.ts';
import type { Store } from '../src/store/store.ts';
import { seedRules } from './support/seed-rules.ts';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? ''] as const;
  }),
);
const SIZES = (args.get('rules') || '100000,1000000').split(',').map(Number);
const WINDOW_S = Number(args.get('window') || 120);
/** The loop's claim-ahead window (0: claim each slot when due). */
const CLAIM_AHEAD_MS = Number(args.get('claim-ahead') ?? 2000);
/** `store` (rows read through the EventsService), `generated` or `memory`; see above. */
const SOURCE = args.get('source') || 'store';
const RESTART = (args.get('restart') || 'yes') !== 'no';

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

/** AWS wants the singular for 1: `rate(1 hours)` is invalid and such a rule never indexes. */
function rateHours(n: number): string {
  return n === 1 ? 'rate(1 hour)' : `rate(${n} hours)`;
}

function expressionFor(r: number, random: () => number): string {
  const minute = Math.floor(random() * 60);
  if (r < 0.1) return 'rate(1 minute)';
  if (r < 0.2) return 'rate(5 minutes)';
  if (r < 0.4) return rateHours(1 + Math.floor(random() * 12));
  if (r < 0.6) return `cron(${minute} * * * ? *)`;
  if (r < 0.8) return `cron(${minute} ${Math.floor(random() * 24)} * * ? *)`;
  if (r < 0.9) return `cron(${minute} 9 ? * MON-FRI *)`;
  return `cron(${minute} 3 L * ? *)`;
}

/** Rule `i` of the bench: the same draws whichever order rules are asked for. */
function benchRule(
  i: number,
  baseMs: number,
  arnPrefix = TEST_RULE_PREFIX,
): ScheduledThingWithTargets {
  const random = prng(Math.imul(i + 1, 0x9e3779b9) ^ 42);
  return {
    arn: `${arnPrefix}bench-${i}`,
    name: `bench-${i}`,
    sourceName: 'default',
    expression: expressionFor(random(), random),
    dialect: 'rule',
    timezone: 'UTC',
    enabled: true,
    // Phases spread over the last hour: rate slots fall all through the window.
    anchorMs: baseMs - Math.floor(random() * 3_600_000),
    targets: [],
  };
}

/**
 * Rules made on demand, a page at a time, as the events domain makes them from rows: only one
 * page of rule objects is alive at once, and no read of the store is measured.
 */
class GeneratedRuleSource implements ScheduleSource {
  constructor(
    readonly count: number,
    readonly baseMs: number,
  ) {}

  async *scheduledPages(
    pageSize = SCHEDULE_PAGE_SIZE,
  ): AsyncGenerator<ScheduledThingWithTargets[]> {
    for (let from = 0; from < this.count; from += pageSize) {
      const to = Math.min(this.count, from + pageSize);
      yield Array.from({ length: to - from }, (_, k) => benchRule(from + k, this.baseMs));
    }
  }

  async getScheduled(ruleArn: string): Promise<ScheduledThingWithTargets | undefined> {
    const i = Number(ruleArn.slice(ruleArn.lastIndexOf('-') + 1));
    return ruleArn.startsWith(TEST_RULE_PREFIX) && i < this.count
      ? benchRule(i, this.baseMs)
      : undefined;
  }

  subscribe(): () => void {
    return () => {};
  }
}

/** The same rules, all held in memory (`--source=memory`), for comparison. */
function memorySource(n: number, baseMs: number): MemoryScheduleSource {
  const source = new MemoryScheduleSource();
  for (let i = 0; i < n; i++) source.seed(benchRule(i, baseMs));
  return source;
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
  const now = clock.now();
  const rules = await ruleSource(store, clock, n, now);
  resetPeakRss();
  const rssBefore = process.memoryUsage().rss;
  // Lag = when the invoker got the slot − its nominal time, for every slot fired. Slots due
  // before start() resolved (during the load and its catch-up) are reported apart.
  const lags: number[] = [];
  const startupLags: number[] = [];
  let steadyFrom = Infinity;
  const invoker: SlotInvoker = {
    invokeSlot: async (slot: ClaimedSlot) => {
      const lag = clock.now() - slot.nominalMs;
      if (slot.nominalMs < steadyFrom) {
        startupLags.push(lag);
        return;
      }
      lags.push(lag);
    },
  };
  const gcPauses: number[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    if (steadyFrom === Infinity) return;
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const loop = benchLoop(store, clock, rules, invoker);
  const t0 = performance.now();
  let indexedMs = NaN;
  const offStarted = loop.on((e) => {
    if (e.type === 'firing:started') indexedMs = performance.now() - t0;
  });
  const loadAtStart = loadavg()[0]!;
  await loop.start();
  offStarted();
  const loadMs = performance.now() - t0;
  const rssLoaded = process.memoryUsage().rss;
  const peakLoaded = peakRss();
  const windowStart = clock.now();
  steadyFrom = windowStart;
  const cpuStart = process.cpuUsage();
  await clock.sleep(WINDOW_S * 1000);
  const cpu = process.cpuUsage(cpuStart);
  await loop.stop();
  gcObserver.disconnect();
  const rssEnd = process.memoryUsage().rss;
  const peakEnd = peakRss();
  const loadAtEnd = loadavg()[0]!;
  for (const list of [lags, startupLags, gcPauses]) list.sort((a, b) => a - b);
  const stats = (sorted: number[]) =>
    `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1) ?? NaN} ms`;
  console.log(
    `${n.toLocaleString('en')} rules: load ${(loadMs / 1000).toFixed(2)} s ` +
      `(index ${(indexedMs / 1000).toFixed(2)} s, then the start-up backlog), ` +
      `RSS ${mib(rssBefore)} before the loop → ${mib(rssLoaded)} loaded → ${mib(rssEnd)} at end`,
  );
  console.log(`  peak RSS: ${mib(peakLoaded)} during the load, ${mib(peakEnd)} by the end`);
  console.log(
    `  ${lags.length.toLocaleString('en')} slots fired in ` +
      `${((clock.now() - windowStart) / 1000).toFixed(0)} s: lag ${stats(lags)}`,
  );
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `  CPU in the window: ${((100 * cpuMs) / (WINDOW_S * 1000)).toFixed(1)} % of a core ` +
      `(${((1000 * cpuMs) / Math.max(1, lags.length)).toFixed(0)} µs per slot fired, all threads)`,
  );
  console.log(
    `  start-up: ${startupLags.length.toLocaleString('en')} slots due before start() resolved ` +
      `fired with lag ${stats(startupLags)}`,
  );
  const gcTotal = gcPauses.reduce((a, b) => a + b, 0);
  console.log(
    `  GC in the window: ${gcPauses.length} pauses, ${gcTotal.toFixed(0)} ms in all, ` +
      `max ${(gcPauses.at(-1) ?? 0).toFixed(1)} ms; load average ${loadAtStart.toFixed(2)} at ` +
      `start, ${loadAtEnd.toFixed(2)} at end`,
  );
  if (RESTART) await restart(store, clock, rules, lags.length + startupLags.length);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

async function ruleSource(
  store: Store,
  clock: SystemClock,
  n: number,
  now: number,
): Promise<ScheduleSource> {
  if (SOURCE === 'memory') return memorySource(n, now);
  if (SOURCE === 'generated') return new GeneratedRuleSource(n, now);
  const t0 = performance.now();
  const prefix = arn(DEFAULT_CONTEXT, 'events', 'rule/');
  const events = await seedRules(store, clock, DEFAULT_CONTEXT, n, (i) =>
    benchRule(i, now, prefix),
  );
  console.log(
    `  (seeded ${n.toLocaleString('en')} rule rows in ${((performance.now() - t0) / 1000).toFixed(1)} s, not timed below)`,
  );
  return events;
}

function benchLoop(store: Store, clock: SystemClock, rules: ScheduleSource, invoker: SlotInvoker) {
  const options = { claimAheadMs: CLAIM_AHEAD_MS };
  return new FiringLoop({
    store,
    clock,
    sources: [rules],
    invoker,
    options,
  });
}

/** A second loop on the same store and rules, as after a restart of `up`: how long to go live. */
async function restart(store: Store, clock: SystemClock, rules: ScheduleSource, fired: number) {
  resetPeakRss();
  const loop = benchLoop(store, clock, rules, { invokeSlot: async () => {} });
  const t0 = performance.now();
  await loop.start();
  const loadMs = performance.now() - t0;
  const indexed = loop.ruleCount;
  await loop.stop();
  console.log(
    `  restart on the same store (${fired.toLocaleString('en')} fire records): live after ` +
      `${(loadMs / 1000).toFixed(2)} s with ${indexed.toLocaleString('en')} rules indexed, ` +
      `peak RSS ${mib(peakRss())}`,
  );
}

/**
 * Linux resets the peak-RSS mark (VmHWM) when 5 is written to clear_refs, so a phase's peak is
 * its own, not the seeding's or an earlier size's. Elsewhere the mark covers the whole process.
 */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: peakRss() then reports the process's lifetime peak.
  }
}

function peakRss(): number {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib !== undefined) return Number(kib) * 1024;
  } catch {
    // Fall through to getrusage.
  }
  return process.resourceUsage().maxRSS * 1024;
}

console.log(
  `firing benchmark — node ${process.version}, window ${WINDOW_S} s, no-op target, ` +
    `claim ahead ${CLAIM_AHEAD_MS} ms, ${SOURCE} rule source`,
);
for (const n of SIZES) await run(n);
