/**
 * A small closed-loop HTTP load generator for bench/api.ts: `connections` workers, each with one
 * keep-alive socket (node:http Agent, `maxSockets = connections`), each sending its next request
 * as soon as the previous answer has been read in full. Requests completing during the warm-up
 * are discarded; those completing in the measured window give throughput and latency.
 *
 * Closed loop means latency includes no queueing in the generator itself, and throughput is
 * whatever the server (or the generator, for the bare floor) sustains at that concurrency.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /**
   * The next request of worker `worker` (0-based); called once per request. May be async when a
   * request must be signed as it is made (its body changes each time).
   */
  readonly next: (worker: number) => LoadRequest | Promise<LoadRequest>;
  /** Checks one answer's body (the first of the measured window); throws when wrong. */
  readonly check?: (body: Buffer) => void;
}

export interface LoadResult {
  /** Requests answered 200 within the measured window. */
  readonly requests: number;
  /** Non-200 answers and transport errors within the measured window. */
  readonly errors: number;
  readonly firstError?: string;
  readonly seconds: number;
  readonly perSecond: number;
  /** Latencies (ms) of the window's 200 answers. */
  readonly latencies: Float64Array;
  /** Mean response body size, bytes. */
  readonly meanBytes: number;
  /** CPU time of this process (the generator) per second of the window, in cores. */
  readonly generatorCores: number;
}

interface Answer {
  status: number;
  body: Buffer;
}

function send(agent: Agent, base: URL, req: LoadRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    const out = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(req.body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const base = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const start = performance.now();
  const windowStart = start + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let bytes = 0;
  let checked = false;
  let cpuAtWindow: NodeJS.CpuUsage | undefined;

  const worker = async (index: number): Promise<void> => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= windowEnd) return;
      if (cpuAtWindow === undefined && t0 >= windowStart) cpuAtWindow = process.cpuUsage();
      let answer: Answer | undefined;
      let failure: string | undefined;
      try {
        answer = await send(agent, base, await options.next(index));
        if (answer.status !== 200) {
          failure = `HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`;
        }
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      const t1 = performance.now();
      if (t1 < windowStart || t1 > windowEnd) {
        // Warm-up (or a straggler past the end): failures still mean the scenario is broken.
        if (failure !== undefined && firstError === undefined) firstError = failure;
        continue;
      }
      if (failure !== undefined || !answer) {
        errors++;
        firstError ??= failure;
        continue;
      }
      if (!checked && options.check) {
        checked = true;
        options.check(answer.body);
      }
      latencies.push(t1 - t0);
      bytes += answer.body.length;
    }
  };

  try {
    await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(i)));
  } finally {
    agent.destroy();
  }
  const cpu = process.cpuUsage(cpuAtWindow);
  const seconds = options.durationMs / 1000;
  return {
    requests: latencies.length,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    seconds,
    perSecond: latencies.length / seconds,
    latencies: Float64Array.from(latencies),
    meanBytes: latencies.length ? bytes / latencies.length : 0,
    generatorCores: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

/** A server whose own CPU time the benchmark can read (µs so far). */
export interface MeasuredServer {
  readonly url: string;
  cpuMicros(): number | Promise<number>;
}

/**
 * {@link runLoad} against `server`, plus the server's CPU µs per request: its CPU over warm-up and
 * window, spread over the requests of both (the window's rate × the time elapsed).
 */
export async function loadWithServerCpu(
  server: MeasuredServer,
  options: Omit<LoadOptions, 'url'>,
): Promise<{ result: LoadResult; serverMicrosPerRequest: number }> {
  const cpuBefore = await server.cpuMicros();
  const t0 = performance.now();
  const result = await runLoad({ ...options, url: server.url });
  const served = result.perSecond * ((performance.now() - t0) / 1000);
  const cpu = (await server.cpuMicros()) - cpuBefore;
  return { result, serverMicrosPerRequest: served > 0 ? cpu / served : Number.NaN };
}
