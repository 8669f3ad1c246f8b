/**
 * `cronbridge up` as a child process, the way an operator runs it (`node bin/cronbridge.mjs up`),
 * for black-box tests: read its summary and run lines from stdout, talk to its API, signal it.
 * Its containers carry TEST_RUN_LABEL=<runId> (through the config file's `containerLabels`) so
 * the test's reaper finds them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SystemClock } from '../../src/platform/clock.ts';
import { TEST_RUN_LABEL } from './docker.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const clock = new SystemClock();

/** Client settings for SDK v3 clients against a test server (dummy keys, no retries). */
export const SDK_TEST_CLIENT = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
} as const;

export interface UpProcessOptions {
  dataDir: string;
  /** Label value reaped by the test; written to a config file in `dataDir`'s parent. */
  runId: string;
  /** Extra CLI arguments after `up`. */
  args?: string[];
  /** Extra environment (e.g. a bad DOCKER_HOST). */
  env?: Record<string, string>;
}

export class UpProcess {
  readonly child: ChildProcess;
  #stdout = '';
  #stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(options: UpProcessOptions) {
    const configFile = `${options.dataDir}.config.json`;
    writeFileSync(
      configFile,
      JSON.stringify({ containerLabels: { [TEST_RUN_LABEL]: options.runId } }),
    );
    this.child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/cronbridge.mjs'),
        'up',
        '--port',
        '0',
        '--data-dir',
        options.dataDir,
        '--task-network',
        'none',
        '--config',
        configFile,
        ...(options.args ?? []),
      ],
      { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.#stdout += chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Polls stdout until `pattern` matches; fails with both streams after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      const match = this.#stdout.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null || clock.now() > deadline) {
        throw new Error(
          `cronbridge up never printed ${pattern} (exit ${this.child.exitCode})\n` +
            `--- stdout\n${this.#stdout}--- stderr\n${this.#stderr}`,
        );
      }
      await clock.sleep(100);
    }
  }

  /** Waits for the full summary and returns the API endpoint. */
  async started(timeoutMs = 60_000): Promise<string> {
    await this.waitFor(/^ {2}recovery .*$/m, timeoutMs);
    const [, url] = await this.waitFor(/^ {2}API endpoint +(http:\/\/\S+)$/m);
    return url as string;
  }

  /** Resolves with the exit, or rejects after `timeoutMs` (the process is then killed). */
  async exit(timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const controller = new AbortController();
    const timeout = clock.sleep(timeoutMs, controller.signal).then(
      () => 'timeout' as const,
      () => 'cancelled' as const,
    );
    const result = await Promise.race([this.exited, timeout]);
    controller.abort();
    if (result === 'timeout' || result === 'cancelled') {
      this.kill();
      throw new Error(
        `cronbridge up did not exit within ${timeoutMs} ms\n` +
          `--- stdout\n${this.#stdout}--- stderr\n${this.#stderr}`,
      );
    }
    return result;
  }

  /** Last resort in `after` hooks: SIGKILL if still running. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (clock.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await clock.sleep(intervalMs);
  }
}
