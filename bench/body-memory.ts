/**
 * Measurement: memory and responsiveness of the API while four large bodies arrive at once
 * (issue 12, item 2). The server runs in a child process, built as `cronbridge up` builds it
 * (startTestEngine on the memory runtime); this process sends, per scenario, four bodies (or
 * `--count`) in
 * parallel plus one `GET /health`, and reads the child's peak RSS (`maxRSS`) afterwards.
 *
 *   flat: four ~16 MiB PutLogEvents bodies (a long string in an unknown member), just under the
 *         limit;
 *   deep: four 9.7 MB bodies nested 4.85 million levels deep in an unknown member.
 *
 * Run: node --import tsx bench/body-memory.ts [--scenario=flat|deep] [--count=4] (bodies sent at
 * once; above four, the server-wide body budget throttles the excess). Each scenario gets a fresh
 * child, so the peaks do not mix. A measurement, not a test: nothing asserts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;

interface ChildReport {
  maxRssMiB: number;
  rssMiB: number;
}

if (process.argv.includes('--server')) {
  const { startTestEngine } = await import('../src/engine/engine.fixture.ts');
  const fx = await startTestEngine({ runtime: 'memory' });
  process.send?.({ url: fx.url });
  process.on('message', (message) => {
    if (message === 'report') {
      const report: ChildReport = {
        // resourceUsage().maxRSS is in KiB.
        maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        rssMiB: Math.round(process.memoryUsage().rss / MiB),
      };
      process.send?.(report);
    } else if (message === 'stop') {
      void fx.close().then(() => process.exit(0));
    }
  });
} else {
  const only = process.argv.find((a) => a.startsWith('--scenario='))?.split('=')[1];
  const count = Number(process.argv.find((a) => a.startsWith('--count='))?.split('=')[1] ?? 4);
  const scenarios: Record<string, () => Buffer> = {
    flat: () =>
      Buffer.from(
        `{"logGroupName":"g","logStreamName":"s","logEvents":[],"pad":"${'x'.repeat(16 * MiB - 200)}"}`,
      ),
    deep: () => {
      const depth = 4_850_000;
      return Buffer.from(`{"logGroupName":"g","x":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    },
  };
  for (const [name, build] of Object.entries(scenarios)) {
    if (only && only !== name) continue;
    const child = fork(fileURLToPath(import.meta.url), ['--server'], {
      execArgv: ['--import', 'tsx'],
    });
    const { url } = await next<{ url: string }>(child);
    const body = build();
    const baseline = await ask(child);
    const t0 = performance.now();
    const posts = Array.from({ length: count }, () => post(url, body));
    const health = timed(() => get(`${url}/health`));
    const answers = await Promise.all(posts);
    const healthMs = await health;
    const totalMs = Math.round(performance.now() - t0);
    const after = await ask(child);
    console.log(
      `${name}: ${count} × ${(body.length / MiB).toFixed(1)} MiB → ${answers.join(', ')} in ${totalMs} ms; ` +
        `/health answered after ${healthMs} ms; server RSS ${baseline.rssMiB} MiB before, ` +
        `peak ${after.maxRssMiB} MiB, ${after.rssMiB} MiB after`,
    );
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function next<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve) => child.once('message', (m) => resolve(m as T)));
}

function ask(child: ChildProcess): Promise<ChildReport> {
  const answer = next<ChildReport>(child);
  child.send('report');
  return answer;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return Math.round(performance.now() - t0);
}

function post(url: string, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Logs_20140328.PutLogEvents',
        'content-length': body.length,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => {
        const code = /"__type":"([^"]+)"/.exec(text)?.[1];
        resolve(`${res.statusCode}${code ? ` ${code}` : ''}`);
      });
    });
    req.on('error', (error) => resolve(`error ${error.message}`));
    req.end(body);
  });
}

function get(url: string): Promise<void> {
  return new Promise((resolve) => {
    http.get(url, (res) => res.resume().on('end', () => resolve())).on('error', () => resolve());
  });
}
