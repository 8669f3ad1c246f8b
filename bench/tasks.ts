/**
 * Benchmark: ECS tasks on real containers, cronbridge against the Docker Engine API floor.
 *
 * "Ours" is whatever {@link LaunchTask} is plugged in: by default the ECS service's RunTask
 * (src/ecs, wired by src/engine/engine.ts: task committed, TaskSupervisor, progress stored by the ECS
 * service, awslogs into the store); with `--launch=supervisor` a bench sink's commit and the
 * supervisor directly (support/store-progress.ts). Either way on a SQLite FILE store in a temp dir. "Floor" is the same container body created, started, waited on and removed through
 * dockerode directly. All in one process and one run, on the local engine, network mode `none`,
 * every container labelled `org.cronbridge.bench-run=<run id>` and reaped at the end.
 *
 *  1. Sequential `true` tasks: launch→RUNNING and launch→STOPPED p50/p99, ours beside the floor,
 *     in batches that alternate which side goes first (drift cancels), after a warm-up.
 *  2. N tasks launched at once: tasks per second until all are STOPPED, ours beside the floor.
 *  3. Log ingestion: one container printing `seq 1 N` through the awslogs path into the store
 *     (launch → STOPPED, all lines stored, count verified) beside following the same container's
 *     output through the engine's logs endpoint (demuxed, lines counted).
 *
 * Run: npm run bench:tasks [-- --quick] [--only=sequential|burst|logs] [--lines=N]
 *      (node --import tsx bench/tasks.ts)
 * Needs a Docker engine (DOCKER_HOST or /var/run/docker.sock) and the offline test image built by
 * scripts/ci/build-test-image.sh. It is a measurement, not a test: nothing asserts on time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { LogsService } from '../src/logs/logs.service.ts';
import { SystemClock } from '../src/platform/clock.ts';
import { DEFAULT_CONTEXT } from '../src/platform/ids.ts';
import { dockerClient, parseDockerHost } from '../src/runtime/docker-connection.ts';
import { reapLabelledContainers } from '../test/support/docker.ts';
import { DockerRuntime } from '../src/runtime/docker-runtime.ts';
import { openStore } from '../src/store/open-store.ts';
import { TaskSupervisor } from '../src/supervisor/task-supervisor.ts';
import { createEngine } from '../src/engine/engine.ts';
import {
  BENCH_RUN_LABEL,
  ecsLauncher,
  floorLauncher,
  type LaunchedTask,
  type LaunchTask,
  supervisorLauncher,
} from './support/launchers.ts';
import { mean, num, percentile, ratio } from './support/stats.ts';
import { createBenchTaskTables, StoreProgressSink } from './support/store-progress.ts';
import { allowAwslogs } from '../src/supervisor/test-support/awslogs-access.ts';

const IMAGE = 'cronbridge-test/busybox:latest';
const LOG_GROUP = '/ecs/bench';
const quick = process.argv.includes('--quick');
/** `--only=sequential|burst|logs` runs one part (for profiling with --cpu-prof). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const wants = (part: string): boolean => only === undefined || only === part;
/**
 * `--launch=ecs` (default): RunTask of the ECS service (src/ecs via src/engine/engine.ts); when it
 * fails to run a probe task the bench says so and falls back to the supervisor path.
 * `--launch=supervisor`: a bench sink's RunTask commit, then the TaskSupervisor directly.
 */
const askedPath = process.argv.includes('--launch=supervisor') ? 'supervisor' : 'ecs';
/**
 * Fargate task size of the benchmark's tasks, given to both sides: 2 vCPU (all of this 2-core
 * machine, so no quota bites; Docker refuses NanoCpus above the host's CPU count) and 4 GiB.
 */
const LIMITS = { cpuUnits: 2048, memoryMiB: 4096 };
const N_SEQ = quick ? 20 : 200;
const WARMUP = quick ? 3 : 10;
const BATCH = quick ? 5 : 10;
const N_BURST = quick ? 20 : 200;
const linesArg = process.argv.find((a) => a.startsWith('--lines='))?.slice('--lines='.length);
const LOG_LINES = linesArg ? Number(linesArg) : quick ? 100_000 : 1_000_000;

const clock = new SystemClock();
const connection = parseDockerHost(process.env['DOCKER_HOST']);
const docker = dockerClient(connection);
const runId = `bench-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;

/** Force-removes every container of this run; returns how many were still there. */
const reap = () => reapLabelledContainers(BENCH_RUN_LABEL, runId);

interface Sample {
  running: number;
  stopped: number;
  marks: Map<string, number>;
}

/** One task, start to end; times in ms from the launch call. */
async function timeOne(launch: LaunchTask, command: string[]): Promise<Sample> {
  const t0 = performance.now();
  const task = launch({ image: IMAGE, command, limits: LIMITS });
  let running = Number.NaN;
  await task.running.then(() => (running = performance.now() - t0));
  await task.stopped;
  return { running, stopped: performance.now() - t0, marks: relative(task) };
}

/** The task's phase marks in ms since its launch call. */
function relative(task: LaunchedTask): Map<string, number> {
  return new Map([...task.marks].map(([k, v]) => [k, v - task.t0]));
}

function phaseTable(title: string, samples: readonly Sample[]): void {
  const names = new Set<string>();
  for (const s of samples) for (const k of s.marks.keys()) names.add(k);
  const rows = [...names]
    .map((name) => ({
      name,
      p50: percentile(
        samples.map((s) => s.marks.get(name) ?? Number.NaN).filter((v) => !Number.isNaN(v)),
        50,
      ),
    }))
    .sort((a, b) => a.p50 - b.p50);
  console.log(`   ${title} (p50 ms since launch, per phase end):`);
  let prev = 0;
  for (const r of rows) {
    console.log(`     ${r.name.padEnd(20)} ${num(r.p50)}   (+${num(r.p50 - prev, 1, 0)})`);
    prev = r.p50;
  }
}

async function sequential(ours: LaunchTask, floor: LaunchTask): Promise<void> {
  const cmd = ['true'];
  for (let i = 0; i < WARMUP; i++) {
    await timeOne(ours, cmd);
    await timeOne(floor, cmd);
  }
  const o: Sample[] = [];
  const f: Sample[] = [];
  for (let b = 0; b * BATCH < N_SEQ; b++) {
    const n = Math.min(BATCH, N_SEQ - b * BATCH);
    const order = b % 2 === 0 ? (['ours', 'floor'] as const) : (['floor', 'ours'] as const);
    for (const side of order) {
      for (let i = 0; i < n; i++) {
        if (side === 'ours') o.push(await timeOne(ours, cmd));
        else f.push(await timeOne(floor, cmd));
      }
    }
  }
  console.log(
    `1. sequential \`true\` tasks: ${N_SEQ} each after ${WARMUP} warm-up, batches of ${BATCH} alternating (ms)`,
  );
  console.log(
    `   ${'metric'.padEnd(18)} ${'ours p50'.padStart(9)} ${'floor p50'.padStart(9)} ${'ratio'.padStart(8)}` +
      ` ${'ours p99'.padStart(9)} ${'floor p99'.padStart(9)} ${'ratio'.padStart(8)} ${'ours mean'.padStart(9)} ${'floor mean'.padStart(10)}`,
  );
  for (const key of ['running', 'stopped'] as const) {
    const a = o.map((s) => s[key]);
    const z = f.map((s) => s[key]);
    console.log(
      `   ${`launch→${key.toUpperCase()}`.padEnd(18)} ${num(percentile(a, 50))} ${num(percentile(z, 50))} ${ratio(percentile(a, 50), percentile(z, 50))}` +
        ` ${num(percentile(a, 99))} ${num(percentile(z, 99))} ${ratio(percentile(a, 99), percentile(z, 99))} ${num(mean(a))} ${num(mean(z), 1, 10)}`,
    );
  }
  phaseTable('ours', o);
  phaseTable('floor', f);
}

async function burst(launch: LaunchTask): Promise<{ seconds: number; failed: number }> {
  const t0 = performance.now();
  const tasks: LaunchedTask[] = [];
  for (let i = 0; i < N_BURST; i++) {
    tasks.push(launch({ image: IMAGE, command: ['true'], limits: LIMITS }));
  }
  const settled = await Promise.allSettled(tasks.map((t) => t.stopped));
  const failed = settled.filter((s) => s.status === 'rejected');
  if (failed.length > 0) {
    console.log(
      `   ${failed.length} failed, first: ${String((failed[0] as PromiseRejectedResult).reason)}`,
    );
  }
  return { seconds: (performance.now() - t0) / 1000, failed: failed.length };
}

async function concurrent(ours: LaunchTask, floor: LaunchTask): Promise<void> {
  // ABBA: a linear drift of the engine (its state growing, caches warming) cancels out.
  const o: number[] = [];
  const f: number[] = [];
  for (const side of quick ? ['ours', 'floor'] : ['ours', 'floor', 'floor', 'ours']) {
    const r = await burst(side === 'ours' ? ours : floor);
    (side === 'ours' ? o : f).push(N_BURST / r.seconds);
  }
  const ov = mean(o);
  const fv = mean(f);
  console.log(`2. ${N_BURST} \`true\` tasks launched at once, until all STOPPED (tasks/s)`);
  console.log(
    `   ours ${num(ov)} [${o.map((v) => v.toFixed(1)).join(', ')}]   floor ${num(fv)} [${f.map((v) => v.toFixed(1)).join(', ')}]   ours/floor throughput ${(ov / fv).toFixed(2)}  (time ratio ${(fv / ov).toFixed(2)}×)`,
  );
}

async function logIngestion(ours: LaunchTask, floor: LaunchTask): Promise<void> {
  const cmd = ['seq', '1', String(LOG_LINES)];
  const results: { side: string; seconds: number; lines: number; sample: Sample }[] = [];
  for (const side of quick ? ['ours', 'floor'] : ['ours', 'floor', 'floor', 'ours']) {
    const launch = side === 'ours' ? ours : floor;
    const t0 = performance.now();
    const task = launch({ image: IMAGE, command: cmd, readLogs: true, limits: LIMITS });
    let running = Number.NaN;
    await task.running.then(() => (running = performance.now() - t0));
    await task.stopped;
    const stopped = performance.now() - t0;
    const sample = { running, stopped, marks: relative(task) };
    results.push({ side, seconds: stopped / 1000, lines: await task.lines(), sample });
  }
  console.log(
    `3. log ingestion: one container printing \`seq 1 ${LOG_LINES}\`, launch → STOPPED with every line delivered`,
  );
  for (const r of results) {
    const ok = r.lines === LOG_LINES ? 'count ok' : `COUNT MISMATCH (want ${LOG_LINES})`;
    const where = r.side === 'ours' ? 'stored via awslogs' : 'read via engine logs';
    console.log(
      `   ${r.side.padEnd(5)} ${num(r.seconds, 2)} s ${num(r.lines / r.seconds, 0, 11)} lines/s   ${r.lines} ${where}, ${ok}`,
    );
  }
  const rate = (side: string) =>
    mean(results.filter((r) => r.side === side).map((r) => r.lines / r.seconds));
  console.log(
    `   mean lines/s: ours ${num(rate('ours'), 0, 0)}, floor ${num(rate('floor'), 0, 0)}, time ratio ours/floor ${(rate('floor') / rate('ours')).toFixed(2)}×`,
  );
  phaseTable(
    'ours',
    results.filter((r) => r.side === 'ours').map((r) => r.sample),
  );
  phaseTable(
    'floor',
    results.filter((r) => r.side === 'floor').map((r) => r.sample),
  );
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'cronbridge-bench-'));
  const store = await openStore({ dataDir: tmp });
  const onSignal = () => {
    void reap().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = performance.now();
  try {
    const logs = new LogsService({ store, clock });
    await logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: LOG_GROUP });
    const runtime = new DockerRuntime({ connection, clock });
    await runtime.ensureImage(IMAGE);
    const version = await runtime.version();
    // Production defaults (5 s awslogs flush, 60 s stats, insights off): nothing tuned for the bench.
    let ours: LaunchTask | undefined;
    let supervisor: TaskSupervisor | undefined;
    let launchPath = askedPath;
    if (askedPath === 'ecs') {
      const engine = createEngine({
        store,
        clock,
        runtime,
        context: DEFAULT_CONTEXT,
        taskNetwork: 'none',
        extraLabels: { [BENCH_RUN_LABEL]: runId },
      });
      try {
        const launch = await ecsLauncher({
          engine,
          logGroup: LOG_GROUP,
          image: IMAGE,
          limits: LIMITS,
        });
        await launch({ image: IMAGE, command: ['true'], limits: LIMITS }).stopped;
        [ours, supervisor] = [launch, engine.supervisor];
      } catch (error) {
        console.log(`ECS RunTask not usable here (${String(error)}): using --launch=supervisor`);
        await engine.close();
        launchPath = 'supervisor';
      }
    }
    if (!ours || !supervisor) {
      await createBenchTaskTables(store);
      const sink = new StoreProgressSink(store);
      supervisor = new TaskSupervisor({
        runtime,
        logs,
        clock,
        progress: sink,
        // The bench measures supervision; its tasks' roles are not what it times.
        awslogsAccess: allowAwslogs(),
      });
      ours = supervisorLauncher({
        supervisor,
        sink,
        logs,
        runId,
        logGroup: LOG_GROUP,
        now: () => clock.now(),
      });
    }
    const floor = floorLauncher(docker, runId);

    console.log(
      `task benchmark${quick ? ' (--quick)' : ''} — node ${process.version}, ${version.engine} ${version.version} (API ${version.apiVersion}), ${availableParallelism()} CPUs`,
    );
    console.log(
      `launch path "ours": ${launchPath === 'ecs' ? 'ECS service RunTask (src/ecs, engine composition root)' : 'bench sink RunTask commit'} + TaskSupervisor on DockerRuntime, SQLite file store ${tmp}`,
    );
    console.log(
      `floor: dockerode create → start → wait → remove, same create body (network none, ${LIMITS.cpuUnits} CPU units, ${LIMITS.memoryMiB} MiB)`,
    );
    console.log('');
    if (wants('sequential')) await sequential(ours, floor);
    console.log('');
    if (wants('burst')) await concurrent(ours, floor);
    console.log('');
    if (wants('logs')) await logIngestion(ours, floor);
    await supervisor.detachAll();
  } finally {
    const left = await reap();
    await store.close();
    await rm(tmp, { recursive: true, force: true });
    console.log('');
    console.log(
      `containers left behind and reaped: ${left}; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  }
}

await main();
