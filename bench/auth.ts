/**
 * Benchmark: what authentication and authorization cost per request, and where that leaves us
 * against moto (the performance goal: at least 10× moto's throughput on reads).
 *
 * Three servers answer the same read operations with the same data:
 *  - moto's server (it verifies no signature and evaluates no policy);
 *  - cronbridge signed as the account's root key: SigV4 verified, identity policies bypassed as
 *    AWS does for root;
 *  - cronbridge signed as an IAM user whose inline policy allows the reads: SigV4 verified and
 *    every request evaluated against the user's policies.
 * root vs user is the cost of policy evaluation; cronbridge vs moto is the goal's ratio. The cost
 * of verification itself is estimated in-process as the time to compute one SigV4 signature,
 * which is what verification does per request besides a credential lookup.
 *
 * cronbridge runs as in bench/api.ts (its own process, `cronbridge up`'s composition, SQLite file
 * store, in-memory containers). Load: closed loop, keep-alive, loopback; requests signed once and
 * replayed. Read the ratios, not the absolute figures: the machine is shared and noisy.
 *
 * Run: npm run bench:auth [-- --quick] [--duration=MS] [--connections=N]
 */
import { performance } from 'node:perf_hooks';

import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';

import { signHeaders } from '../src/api/signing.test-support.ts';
import { SystemClock } from '../src/platform/clock.ts';
import { startBenchServer } from './support/api-child.ts';
import {
  type LoadRequest,
  type LoadResult,
  loadWithServerCpu,
  type MeasuredServer,
} from './support/http-load.ts';
import { startMoto } from './support/moto-server.ts';
import { type SigningIdentity, signedAwsJson } from './support/signed-request.ts';
import { num, percentile, ratio } from './support/stats.ts';

const quick = process.argv.includes('--quick');
const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const CONNECTIONS = Number(arg('connections') ?? 32);
const WINDOW_MS = Number(arg('duration') ?? (quick ? 2_000 : 5_000));
const WARMUP_MS = quick ? 500 : 1_000;

const REGION = 'ap-northeast-1';
const ROOT: SigningIdentity = {
  region: REGION,
  key: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const CLUSTER = 'bench-auth';
const LOG_GROUPS = 20;
const RULES = 20;
const clock = new SystemClock();

/** The reads measured: awsJson calls every server answers with the seeded data. */
const READS = [
  {
    name: 'ECS ListClusters',
    service: 'ecs',
    target: 'AmazonEC2ContainerServiceV20141113.ListClusters',
    body: {},
  },
  {
    name: 'ECS DescribeClusters (1)',
    service: 'ecs',
    target: 'AmazonEC2ContainerServiceV20141113.DescribeClusters',
    body: { clusters: [CLUSTER] },
  },
  {
    name: `Logs DescribeLogGroups (${LOG_GROUPS})`,
    service: 'logs',
    target: 'Logs_20140328.DescribeLogGroups',
    body: {},
  },
  {
    name: `Events ListRules (${RULES})`,
    service: 'events',
    target: 'AWSEvents.ListRules',
    body: {},
  },
] as const;

/** The policy of the measured IAM user: exactly the reads above. */
const READER_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['ecs:List*', 'ecs:Describe*', 'logs:Describe*', 'events:List*'],
      Resource: '*',
    },
  ],
};

async function seed(url: string): Promise<void> {
  const config = { region: REGION, credentials: ROOT.key, endpoint: url, maxAttempts: 1 };
  const ecs = new ECSClient(config);
  const logs = new CloudWatchLogsClient(config);
  const events = new EventBridgeClient(config);
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    for (let i = 0; i < LOG_GROUPS; i++) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: `/bench/auth/${i}` }));
    }
    for (let i = 0; i < RULES; i++) {
      await events.send(
        new PutRuleCommand({ Name: `bench-auth-${i}`, ScheduleExpression: 'rate(1 day)' }),
      );
    }
  } finally {
    ecs.destroy();
    logs.destroy();
    events.destroy();
  }
}

/** A user allowed the reads, and its access key (made as root through the IAM API). */
async function readerIdentity(url: string): Promise<SigningIdentity> {
  const iam = new IAMClient({ region: REGION, credentials: ROOT.key, endpoint: url });
  try {
    await iam.send(new CreateUserCommand({ UserName: 'bench-reader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'bench-reader',
        PolicyName: 'reads',
        PolicyDocument: JSON.stringify(READER_POLICY),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bench-reader' }));
    if (!AccessKey?.AccessKeyId || !AccessKey.SecretAccessKey) throw new Error('no access key');
    return {
      region: REGION,
      key: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey },
    };
  } finally {
    iam.destroy();
  }
}

interface Row {
  read: string;
  server: string;
  result: LoadResult;
  micros: number;
}

async function measure(
  server: MeasuredServer,
  serverName: string,
  read: (typeof READS)[number],
  as: SigningIdentity,
): Promise<Row> {
  const request: LoadRequest = await signedAwsJson(server.url, as, clock, read);
  const { result, serverMicrosPerRequest: micros } = await loadWithServerCpu(server, {
    connections: CONNECTIONS,
    warmupMs: WARMUP_MS,
    durationMs: WINDOW_MS,
    next: () => request,
  });
  if (result.firstError) console.error(`  ${serverName} ${read.name}: ${result.firstError}`);
  const lat = Array.from(result.latencies);
  console.log(
    `${read.name.padEnd(30)}${serverName.padEnd(18)}${num(result.perSecond, 0)}` +
      `${num(percentile(lat, 50), 2)}${num(percentile(lat, 99), 2)}${num(micros, 0, 11)}` +
      `${String(result.errors).padStart(7)}`,
  );
  return { read: read.name, server: serverName, result, micros };
}

/** µs to compute one SigV4 signature of a small awsJson request, in this process. */
async function signatureMicros(): Promise<number> {
  const sign = () =>
    signHeaders({
      method: 'POST',
      url: '/',
      headers: { host: '127.0.0.1:1', 'x-amz-target': READS[0].target },
      body: '{}',
      region: REGION,
      service: 'ecs',
      at: clock.now(),
    });
  for (let i = 0; i < 500; i++) await sign();
  const n = quick ? 2_000 : 10_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await sign();
  return ((performance.now() - t0) * 1000) / n;
}

async function main(): Promise<void> {
  console.log(
    `# bench:auth — node ${process.version}${quick ? ' (quick)' : ''}; ${CONNECTIONS} connections, ` +
      `${WARMUP_MS} ms warm-up + ${WINDOW_MS} ms per row\n`,
  );
  console.log(
    `${'read'.padEnd(30)}${'server'.padEnd(18)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}` +
      `${'p99 ms'.padStart(9)}${'srv µs/req'.padStart(11)}${'errors'.padStart(7)}`,
  );
  const rows: Row[] = [];
  const moto = await startMoto(clock);
  try {
    await seed(moto.url);
    for (const read of READS) rows.push(await measure(moto, 'moto', read, ROOT));
  } finally {
    await moto.stop();
  }
  const ours = await startBenchServer('memory', `bench-auth-${process.pid}`);
  try {
    await seed(ours.url);
    const reader = await readerIdentity(ours.url);
    for (const read of READS) {
      rows.push(await measure(ours, 'cronbridge root', read, ROOT));
      rows.push(await measure(ours, 'cronbridge user', read, reader));
    }
  } finally {
    await ours.stop();
  }

  const find = (read: string, server: string) =>
    rows.find((r) => r.read === read && r.server === server) as Row;
  console.log(
    `\n${'read'.padEnd(30)}${'root/moto'.padStart(10)}${'user/moto'.padStart(10)}` +
      `${'user/root'.padStart(10)}${'eval µs/req'.padStart(12)}`,
  );
  for (const { name } of READS) {
    const [m, r, u] = [
      find(name, 'moto'),
      find(name, 'cronbridge root'),
      find(name, 'cronbridge user'),
    ];
    console.log(
      `${name.padEnd(30)}${ratio(r.result.perSecond, m.result.perSecond, 10)}` +
        `${ratio(u.result.perSecond, m.result.perSecond, 10)}` +
        `${ratio(u.result.perSecond, r.result.perSecond, 10)}${num(u.micros - r.micros, 0, 12)}`,
    );
  }
  console.log(
    `\nOne SigV4 signature computed in-process (≈ verification's own work per request): ` +
      `${(await signatureMicros()).toFixed(1)} µs`,
  );
  const failed = rows.filter((r) => r.result.errors > 0 || r.result.requests === 0);
  if (failed.length > 0) {
    console.error(`\n${failed.length} row(s) had errors: the figures above are not comparable`);
    process.exitCode = 1;
  }
}

await main();
