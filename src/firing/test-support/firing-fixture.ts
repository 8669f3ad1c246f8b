/** Wires store, ManualClock, rule source, fake ECS, invoker, loop, metrics and history for tests. */
import { TargetInvoker } from '../../invoke/target-invoker.ts';
import type { Clock } from '../../platform/clock.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { AwsContext } from '../../platform/ids.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { FiringHistory } from '../firing-history.service.ts';
import type { FiringLoopOptions } from '../firing-loop.ts';
import { FiringLoop } from '../firing-loop.ts';
import { FiringMetrics } from '../firing-metrics.ts';
import { FiringEvents } from '../firing.events.ts';
import type { FiringEvent } from '../firing.events.ts';
import { FakeEcsRunner } from './fake-ecs-runner.ts';
import { MemoryRuleSource } from './memory-rule-source.ts';

export const TEST_CONTEXT: AwsContext = {
  partition: 'aws',
  region: 'us-east-1',
  accountId: '123456789012',
};

export interface FiringFixture extends AsyncDisposable {
  store: Store;
  clock: ManualClock;
  rules: MemoryRuleSource;
  ecs: FakeEcsRunner;
  events: FiringEvents;
  invoker: TargetInvoker;
  loop: FiringLoop;
  metrics: FiringMetrics;
  history: FiringHistory;
  /** Every event emitted so far. */
  log: FiringEvent[];
  /** Starts invoker, then loop. */
  start(): Promise<void>;
  /** Walks the clock to `endMs` timer by timer, letting all work settle after each. */
  runUntil(endMs: number): Promise<void>;
  /** A new invoker + loop on the same store, clock, rules and ECS (a process restart). */
  restart(options?: FiringLoopOptions): Promise<void>;
}

export async function firingFixture(
  startMs: number,
  options: FiringLoopOptions = {},
  shared?: { store: Store; clock: ManualClock; rules: MemoryRuleSource; ecs: FakeEcsRunner },
  /** The clock the loop and invoker see (e.g. a SkewClock over the ManualClock). */
  wrap?: (clock: ManualClock) => Clock,
): Promise<FiringFixture> {
  const store = shared?.store ?? (await openStore({ dataDir: ':memory:' }));
  const clock = shared?.clock ?? new ManualClock(startMs);
  const rules = shared?.rules ?? new MemoryRuleSource();
  const ecs = shared?.ecs ?? new FakeEcsRunner();
  const seen: Clock = wrap ? wrap(clock) : clock;
  const log: FiringEvent[] = [];
  const f = {} as FiringFixture;
  const build = (opts: FiringLoopOptions) => {
    const events = new FiringEvents();
    events.on((e) => log.push(e));
    const metrics = new FiringMetrics();
    metrics.attach(events);
    // Jitter factor fixed at 1 (random → 1): delays are exactly 1 s, 2 s, 4 s …
    const invoker = new TargetInvoker({
      store,
      clock: seen,
      rules,
      ecs,
      context: TEST_CONTEXT,
      events,
      backoff: { random: () => 1 },
    });
    const loop = new FiringLoop({
      store,
      clock: seen,
      rules,
      invoker,
      context: TEST_CONTEXT,
      events,
      options: opts,
    });
    Object.assign(f, { events, metrics, invoker, loop });
  };
  build(options);
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await f.loop.idle();
      await f.invoker.idle();
    }
  };
  Object.assign(f, {
    store,
    clock,
    rules,
    ecs,
    log,
    history: new FiringHistory({ store }),
    async start() {
      await f.invoker.start();
      await f.loop.start();
      await settle();
    },
    async runUntil(endMs: number) {
      for (;;) {
        const next = clock.nextTimerAt();
        if (next === undefined || next > endMs) break;
        await clock.set(Math.max(next, clock.now()));
        await settle();
      }
      if (clock.now() < endMs) await clock.set(endMs);
      await settle();
    },
    async restart(opts: FiringLoopOptions = options) {
      await f.loop.stop();
      await f.invoker.stop();
      build(opts);
    },
    async [Symbol.asyncDispose]() {
      await f.loop.stop();
      await f.invoker.stop();
      await store.close();
    },
  });
  return f;
}
