/**
 * Wires store, ManualClock, rule source, fake ECS, slot ledger, invoker, loop, metrics and run
 * history for tests, the way the engine does (one event hub for the loop and the invoker).
 */
import type { RuleTarget } from '../../events/target.types.ts';
import {
  type FiringEvents,
  FiringLoop,
  type FiringLoopOptions,
  firingEvents,
  MemoryScheduleSource,
  StoreSlotLedger,
} from '../../firing/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { AwsContext } from '../../platform/ids.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import type { InvokeEvents, RunEvent } from '../invoke.events.ts';
import { invokeEvents } from '../invoke.events.ts';
import { RunHistory } from '../run-history.service.ts';
import { RunMetrics } from '../run-metrics.ts';
import { TargetInvoker } from '../target-invoker.ts';
import { ecsTarget } from './ecs-target.ts';
import { FakeEcsRunner } from './fake-ecs-runner.ts';
import { ScriptedTargetAuthorization } from './target-authorization.ts';

/** The rule source of invoker tests: rules with ECS targets (one by default). */
export type MemoryRuleSource = MemoryScheduleSource<RuleTarget>;
export function memoryRuleSource(): MemoryRuleSource {
  return new MemoryScheduleSource<RuleTarget>({ defaultTargets: () => [ecsTarget()] });
}

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
  /** The target role check: allows until told to deny. */
  authorization: ScriptedTargetAuthorization;
  /** The loop's and the ledger's events. */
  events: FiringEvents;
  /** The invoker's events. */
  invokeEvents: InvokeEvents;
  invoker: TargetInvoker;
  loop: FiringLoop;
  metrics: RunMetrics;
  history: RunHistory;
  /** Every event emitted so far. */
  log: RunEvent[];
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
  const rules = shared?.rules ?? memoryRuleSource();
  const ecs = shared?.ecs ?? new FakeEcsRunner();
  const authorization = new ScriptedTargetAuthorization();
  const seen: Clock = wrap ? wrap(clock) : clock;
  const log: RunEvent[] = [];
  const f = {} as FiringFixture;
  const build = (opts: FiringLoopOptions) => {
    // Two hubs, one log: emits are synchronous, so the log keeps the order of emission.
    const events = firingEvents();
    const invoked = invokeEvents();
    events.on((e) => log.push(e));
    invoked.on((e) => log.push(e));
    const metrics = new RunMetrics();
    metrics.attach(events, invoked);
    // Jitter factor fixed at 1 (random → 1): delays are exactly 1 s, 2 s, 4 s …
    const invoker = new TargetInvoker({
      store,
      clock: seen,
      rules,
      slots: new StoreSlotLedger({ store, events }),
      ecs,
      authorization,
      events: invoked,
      backoff: { random: () => 1 },
    });
    const loop = new FiringLoop({
      store,
      clock: seen,
      sources: [rules],
      invoker,
      events,
      options: opts,
    });
    Object.assign(f, { events, invokeEvents: invoked, metrics, invoker, loop });
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
    authorization,
    log,
    history: new RunHistory({ store }),
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
