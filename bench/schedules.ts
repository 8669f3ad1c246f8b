/**
 * Benchmark: next-fire computations per second of cronbridge's schedule engine against croner (v9)
 * and cron-parser (v5) on a fixed, seeded mix of 10 000 AWS cron expressions (dense, sparse,
 * L/W/#, wrapping ranges, year-bounded) in several time zones.
 *
 * Each AWS expression is translated to the libraries' syntax where they can express it (day of
 * week 1–7 → 0–6, `?` → `*`, `dL` → `d#L` / `dL`, year field dropped when it is `*`); W, LW,
 * wrapping ranges and year-bounded expressions have no equivalent and are skipped for them (the
 * counts are printed). The head-to-head numbers use only the expressions all three can run, with
 * the same instants, in the same process, after a warm-up. Two modes:
 *   - "next only": expressions parsed once up front (by every engine), then next fire × N;
 *   - "parse+next": parse and compute on every operation.
 *
 * Run: npm run bench:schedules   (node --import tsx bench/schedules.ts)
 */
import { performance } from 'node:perf_hooks';
import { Cron } from 'croner';
import { CronExpressionParser } from 'cron-parser';
import { nextFires, parseScheduleExpression } from '../src/expressions/index.ts';
import type { ParsedSchedule } from '../src/expressions/index.ts';

/** mulberry32: a tiny seeded PRNG, so every run benchmarks the same mix. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20240101);
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

interface Case {
  aws: string;
  /** 5-field pattern for croner and cron-parser, or null when they cannot express it. */
  std: string | null;
  /** croner writes "last weekday d of month" as d#L, cron-parser as dL. */
  croner: string | null;
  timezone: string;
  after: number;
  category: string;
}

const ZONES = [
  'UTC',
  'UTC',
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
];

function makeCase(): Case {
  const m = int(0, 59);
  const h = int(0, 23);
  const d = int(1, 7); // AWS weekday 1 = SUN
  const std = (d: number): number => d - 1;
  const category = pick([
    'dense',
    'dense',
    'daily',
    'daily',
    'sparse',
    'special',
    'special',
    'aws-only',
  ]);
  let aws: string;
  let five: string | null;
  let croner: string | null = null;
  switch (category) {
    case 'dense': {
      const step = pick([1, 5, 10, 15, 30]);
      const kind = int(0, 2);
      if (kind === 0) [aws, five] = [`cron(0/${step} * * * ? *)`, `0/${step} * * * *`];
      else if (kind === 1) {
        [aws, five] = [`cron(0/${step} 8-17 ? * 2-6 *)`, `0/${step} 8-17 * * 1-5`];
      } else {
        [aws, five] = [
          `cron(${m},${(m + 30) % 60} * ? * MON-FRI *)`,
          `${m},${(m + 30) % 60} * * * MON-FRI`,
        ];
      }
      break;
    }
    case 'daily': {
      const kind = int(0, 2);
      if (kind === 0) [aws, five] = [`cron(${m} ${h} * * ? *)`, `${m} ${h} * * *`];
      else if (kind === 1) [aws, five] = [`cron(${m} ${h} ? * ${d} *)`, `${m} ${h} * * ${std(d)}`];
      else {
        const dom = int(1, 28);
        [aws, five] = [`cron(${m} ${h} ${dom} * ? *)`, `${m} ${h} ${dom} * *`];
      }
      break;
    }
    case 'sparse': {
      const kind = int(0, 3);
      if (kind === 0) [aws, five] = [`cron(0 0 29 2 ? *)`, `0 0 29 2 *`];
      else if (kind === 1) [aws, five] = [`cron(0 12 ? * 6#5 *)`, `0 12 * * 5#5`];
      else if (kind === 2) [aws, five] = [`cron(${m} ${h} 1 1 ? *)`, `${m} ${h} 1 1 *`];
      else [aws, five] = [`cron(${m} ${h} 31 * ? *)`, `${m} ${h} 31 * *`];
      break;
    }
    case 'special': {
      const kind = int(0, 2);
      if (kind === 0) [aws, five] = [`cron(${m} ${h} L * ? *)`, `${m} ${h} L * *`];
      else if (kind === 1) {
        aws = `cron(${m} ${h} ? * ${d}L *)`;
        five = `${m} ${h} * * ${std(d)}L`;
        croner = `${m} ${h} * * ${std(d)}#L`;
      } else {
        const nth = int(1, 4);
        [aws, five] = [`cron(${m} ${h} ? * ${d}#${nth} *)`, `${m} ${h} * * ${std(d)}#${nth}`];
      }
      break;
    }
    default: {
      // Forms only AWS has: W, LW, wrapping ranges, year bounds.
      const kind = int(0, 3);
      if (kind === 0) aws = `cron(${m} ${h} ${int(1, 31)}W * ? *)`;
      else if (kind === 1) aws = `cron(${m} ${h} LW * ? *)`;
      else if (kind === 2) aws = `cron(0/30 22-2 ? * FRI-MON *)`;
      else aws = `cron(${m} ${h} ? * ${d} ${int(2024, 2030)}-${int(2031, 2199)})`;
      five = null;
    }
  }
  const after = Date.UTC(2024, 0, 1) + Math.floor(random() * 6 * 365 * 86_400_000);
  return { aws, std: five, croner: croner ?? five, timezone: pick(ZONES), after, category };
}

const CASES = Array.from({ length: 10_000 }, makeCase);
const TRANSLATABLE = CASES.filter((c) => c.std !== null);

/** cron-parser gives up ("loop limit exceeded") on some sparse expressions; those are left out too. */
function parserCopes(c: Case): boolean {
  try {
    CronExpressionParser.parse(c.std as string, {
      currentDate: new Date(c.after),
      tz: c.timezone,
    }).next();
    return true;
  } catch {
    return false;
  }
}
const COMMON = TRANSLATABLE.filter(parserCopes);

// ---- sanity: every expression parses; ours and croner agree on the common subset ----
const ours = CASES.map((c) => parseScheduleExpression(c.aws, 'scheduler'));
const cronerJobs = COMMON.map(
  (c) => new Cron(c.croner as string, { timezone: c.timezone, legacyMode: true }),
);
const parserJobs = COMMON.map((c) =>
  CronExpressionParser.parse(c.std as string, { currentDate: new Date(c.after), tz: c.timezone }),
);
const oursCommon = COMMON.map((c) => parseScheduleExpression(c.aws, 'scheduler'));
let disagreeCroner = 0;
let disagreeParser = 0;
COMMON.forEach((c, i) => {
  const a = nextFires(oursCommon[i] as ParsedSchedule, {
    after: c.after,
    timezone: c.timezone,
  })[0]?.getTime();
  const b = (cronerJobs[i] as Cron).nextRun(new Date(c.after))?.getTime();
  const job = parserJobs[i] as ReturnType<typeof CronExpressionParser.parse>;
  job.reset(new Date(c.after));
  const p = job.next().getTime();
  if (a !== b) disagreeCroner++;
  if (a !== p) disagreeParser++;
});

// ---- timing ----
type Op = (i: number) => number;

function measure(label: string, n: number, op: Op, seconds = 1): number {
  // Warm-up, then timed rounds until `seconds` elapsed.
  let sink = 0;
  for (let i = 0; i < n; i++) sink += op(i);
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < n; i++) sink += op(i);
    ops += n;
    elapsed = performance.now() - start;
  }
  const rate = ops / (elapsed / 1000);
  if (sink === 42) console.log(label); // keeps the work observable
  return rate;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US').padStart(12);

const results: Record<string, Record<string, number>> = { 'next only': {}, 'parse+next': {} };
const nCommon = COMMON.length;

results['next only']!.ours = measure('ours', nCommon, (i) => {
  const c = COMMON[i] as Case;
  return (
    nextFires(oursCommon[i] as ParsedSchedule, {
      after: c.after,
      timezone: c.timezone,
    })[0]?.getTime() ?? 0
  );
});
results['next only']!.croner = measure('croner', nCommon, (i) => {
  const c = COMMON[i] as Case;
  return (cronerJobs[i] as Cron).nextRun(new Date(c.after))?.getTime() ?? 0;
});
results['next only']!['cron-parser'] = measure('cron-parser', nCommon, (i) => {
  const c = COMMON[i] as Case;
  const job = parserJobs[i] as ReturnType<typeof CronExpressionParser.parse>;
  job.reset(new Date(c.after));
  return job.next().getTime();
});
results['parse+next']!.ours = measure('ours', nCommon, (i) => {
  const c = COMMON[i] as Case;
  return nextFires(c.aws, { after: c.after, timezone: c.timezone })[0]?.getTime() ?? 0;
});
results['parse+next']!.croner = measure('croner', nCommon, (i) => {
  const c = COMMON[i] as Case;
  return (
    new Cron(c.croner as string, { timezone: c.timezone, legacyMode: true })
      .nextRun(new Date(c.after))
      ?.getTime() ?? 0
  );
});
results['parse+next']!['cron-parser'] = measure('cron-parser', nCommon, (i) => {
  const c = COMMON[i] as Case;
  return CronExpressionParser.parse(c.std as string, {
    currentDate: new Date(c.after),
    tz: c.timezone,
  })
    .next()
    .getTime();
});
// UTC only, with croner on its cheaper fixed-offset path (utcOffset 0 instead of an Intl zone).
const UTC_IDX = COMMON.flatMap((c, i) => (c.timezone === 'UTC' ? [i] : []));
const cronerUtc = UTC_IDX.map(
  (i) => new Cron((COMMON[i] as Case).croner as string, { utcOffset: 0, legacyMode: true }),
);
const utc: Record<string, number> = {};
utc.ours = measure('ours-utc', UTC_IDX.length, (k) => {
  const i = UTC_IDX[k] as number;
  return (
    nextFires(oursCommon[i] as ParsedSchedule, {
      after: (COMMON[i] as Case).after,
    })[0]?.getTime() ?? 0
  );
});
utc.croner = measure('croner-utc', UTC_IDX.length, (k) => {
  const i = UTC_IDX[k] as number;
  return (cronerUtc[k] as Cron).nextRun(new Date((COMMON[i] as Case).after))?.getTime() ?? 0;
});
utc['cron-parser'] = measure('cron-parser-utc', UTC_IDX.length, (k) => {
  const i = UTC_IDX[k] as number;
  const job = parserJobs[i] as ReturnType<typeof CronExpressionParser.parse>;
  job.reset(new Date((COMMON[i] as Case).after));
  return job.next().getTime();
});
results[`next, UTC only (${UTC_IDX.length})`] = utc;

const oursAll = measure('ours-all', CASES.length, (i) => {
  const c = CASES[i] as Case;
  return (
    nextFires(ours[i] as ParsedSchedule, { after: c.after, timezone: c.timezone })[0]?.getTime() ??
    0
  );
});

const byCategory = new Map<string, number>();
for (const c of CASES) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);

console.log(`schedule engine benchmark — node ${process.version}, seed 20240101`);
console.log(
  `${CASES.length} expressions (${[...byCategory].map(([k, v]) => `${k} ${v}`).join(', ')}), zones ${[...new Set(ZONES)].join(', ')}`,
);
console.log(
  `skipped for croner/cron-parser: ${CASES.length - TRANSLATABLE.length} with no equivalent (W, LW, wrapping ranges, year bounds), ` +
    `${TRANSLATABLE.length - nCommon} where cron-parser throws "loop limit exceeded"; common subset: ${nCommon}`,
);
console.log(
  `first-fire disagreements on the common subset: ours vs croner ${disagreeCroner}, ours vs cron-parser ${disagreeParser}`,
);
console.log('');
console.log(`${'mode'.padEnd(24)} ${'engine'.padEnd(12)}        ops/s`);
for (const [mode, row] of Object.entries(results)) {
  for (const [engine, rate] of Object.entries(row)) {
    console.log(`${mode.padEnd(24)} ${engine.padEnd(12)} ${fmt(rate)}`);
  }
  const o = row.ours ?? 0;
  console.log(
    `${mode.padEnd(24)} ratios       ours/croner ${(o / (row.croner ?? 1)).toFixed(2)}x, ours/cron-parser ${(o / (row['cron-parser'] ?? 1)).toFixed(2)}x`,
  );
}
console.log(
  `${'next only, all forms'.padEnd(24)} ${`ours (${CASES.length})`.padEnd(12)} ${fmt(oursAll)}`,
);
