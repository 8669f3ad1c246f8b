/**
 * Diagnostic for bench/tasks.ts part 3: where the time of the awslogs path goes, stage by stage,
 * on one container printing `seq 1 N` each time (N from `--lines=`, default 1,000,000):
 *   A. dockerode follow read, no timestamps (the floor of part 3);
 *   B. dockerode follow read with timestamps=1 (what cronbridge asks the engine for);
 *   C. DockerRuntime.streamLogs (parse + line assembly + top-up read), lines discarded;
 *   D. C plus an AwslogsWriter into a SQLite file store (the supervisor's pump, without the task).
 * Also times the top-up read alone (non-follow read of the last 5 s) on a stopped container.
 *
 * Run: node --import tsx bench/support/log-path-breakdown.ts [--lines=N]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';

import { AwslogsWriter } from '../../src/logs/awslogs-writer.ts';
import { LogsService } from '../../src/logs/logs.service.ts';
import { SystemClock } from '../../src/platform/clock.ts';
import { DEFAULT_CONTEXT, randomHex } from '../../src/platform/ids.ts';
import type Docker from 'dockerode';

import { dockerClient, parseDockerHost } from '../../src/runtime/docker-connection.ts';
import { DockerRuntime } from '../../src/runtime/docker-runtime.ts';
import { toCreateOptions } from '../../src/runtime/docker-spec.ts';
import { openStore } from '../../src/store/open-store.ts';
import { BENCH_RUN_LABEL } from './launchers.ts';

const IMAGE = 'cronbridge-test/busybox:latest';
const arg = process.argv.find((a) => a.startsWith('--lines='))?.slice('--lines='.length);
const N = arg ? Number(arg) : 1_000_000;
const clock = new SystemClock();
const connection = parseDockerHost(process.env['DOCKER_HOST']);
const docker = dockerClient(connection);
const runtime = new DockerRuntime({ connection, clock });
const runId = `bench-breakdown-${process.pid}`;

class Counter extends Writable {
  n = 0;
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.n++;
    done();
  }
}

async function started(): Promise<Docker.Container> {
  const c = await docker.createContainer(
    toCreateOptions({
      name: `bench-breakdown-${randomHex(8)}`,
      image: IMAGE,
      command: ['seq', '1', String(N)],
      networkMode: 'none',
      labels: { [BENCH_RUN_LABEL]: runId },
    }),
  );
  await c.start();
  return c;
}

async function rawFollow(timestamps: boolean): Promise<number> {
  const c = await started();
  const stream = await c.logs({ follow: true, stdout: true, stderr: true, timestamps });
  const out = new Counter();
  await new Promise<void>((resolve, reject) => {
    docker.modem.demuxStream(stream, out, new Counter());
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  await c.remove({ force: true });
  return out.n;
}

async function viaRuntime(store?: LogsService, marks?: Map<string, number>): Promise<number> {
  const c = await started();
  const t0 = performance.now();
  let writer: AwslogsWriter | undefined;
  if (store) {
    const stream = `s-${randomHex(6)}`;
    writer = await AwslogsWriter.open({
      logs: store,
      clock,
      context: DEFAULT_CONTEXT,
      groupName: '/b',
      streamName: stream,
    });
  }
  let n = 0;
  for await (const entry of runtime.streamLogs(c.id, { follow: true })) {
    n++;
    if (n === N) marks?.set('last line yielded', performance.now() - t0);
    if (writer) {
      writer.write(entry.line, entry.timestamp);
      if (writer.pending >= 20_000) await writer.flush();
    }
  }
  marks?.set('stream ended (after top-up)', performance.now() - t0);
  await writer?.close();
  await c.remove({ force: true });
  return n;
}

async function topUpOnly(): Promise<number> {
  const c = await started();
  await c.wait();
  const info = await c.inspect();
  const finishedNs = BigInt(Date.parse(info.State.FinishedAt)) * 1_000_000n;
  const since = finishedNs - 5_000_000_000n;
  const t0 = performance.now();
  const body = (await c.logs({
    follow: false,
    stdout: true,
    stderr: true,
    timestamps: true,
    since: `${since / 1_000_000_000n}.${String(since % 1_000_000_000n).padStart(9, '0')}`,
  })) as unknown as Buffer;
  let lines = 0;
  for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) lines++;
  const ms = performance.now() - t0;
  await c.remove({ force: true });
  console.log(`   top-up read alone: ${lines} lines re-read in ${ms.toFixed(0)} ms`);
  return lines;
}

async function time(label: string, fn: () => Promise<number>): Promise<void> {
  const t0 = performance.now();
  const n = await fn();
  const s = (performance.now() - t0) / 1000;
  console.log(
    `   ${label.padEnd(46)} ${s.toFixed(2).padStart(7)} s ${Math.round(n / s)
      .toLocaleString('en-US')
      .padStart(9)} lines/s  (${n} lines)`,
  );
}

const tmp = await mkdtemp(join(tmpdir(), 'cronbridge-breakdown-'));
const store = await openStore({ dataDir: tmp });
try {
  const logs = new LogsService({ store, clock });
  await logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/b' });
  console.log(`log path breakdown, seq 1 ${N} (launch → last line), node ${process.version}`);
  await time('A dockerode follow, no timestamps (floor)', () => rawFollow(false));
  await time('B dockerode follow, timestamps=1', () => rawFollow(true));
  const mc = new Map<string, number>();
  await time('C DockerRuntime.streamLogs, lines dropped', () => viaRuntime(undefined, mc));
  console.log(`     ${[...mc].map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')}`);
  const md = new Map<string, number>();
  await time('D streamLogs + AwslogsWriter into SQLite file', () => viaRuntime(logs, md));
  console.log(`     ${[...md].map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')}`);
  await topUpOnly();
} finally {
  const left = await docker.listContainers({
    all: true,
    filters: { label: [`${BENCH_RUN_LABEL}=${runId}`] },
  });
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  await store.close();
  await rm(tmp, { recursive: true, force: true });
}
