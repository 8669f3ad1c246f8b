/**
 * Debian's AWS CLI v2 (`/usr/bin/aws`; the `aws` on PATH here is an unrelated v1) for integration
 * tests, with an environment that reads no config files, pages nothing and never asks IMDS.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

export const AWS_CLI = '/usr/bin/aws';

const exec = promisify(execFile);

/**
 * `false` to run, or a skip message when the CLI is missing.
 * @throws Error when RUN_INTEGRATION_TESTS=1 and the CLI is missing (CI must not pass by skipping).
 */
export function awsCliGate(): string | false {
  if (existsSync(AWS_CLI)) return false;
  if (process.env['RUN_INTEGRATION_TESTS'] === '1') {
    throw new Error(`${AWS_CLI} is missing, and RUN_INTEGRATION_TESTS=1 requires the AWS CLI v2`);
  }
  return `${AWS_CLI} (AWS CLI v2) is not installed`;
}

/** The environment the CLI runs in: dummy keys, us-east-1, nothing read from $HOME. */
export function awsCliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    // A local server needs no retries; without this the CLI retries LimitExceededException.
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
}

export interface CliResult {
  /** The process exit code (the CLI exits 254 on a service error, 252 on a usage error). */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `file args…` to completion; a non-zero exit is a result, not a rejection. */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: { env: Record<string, string>; timeoutMs?: number; cwd?: string },
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(file, [...args], {
      env: options.env,
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 16 * 1024 * 1024,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(error),
    };
  }
}

/** A CLI bound to one endpoint, with JSON output. */
export interface AwsCli {
  /** Runs `aws --endpoint-url … --output json args…`. */
  run(...args: string[]): Promise<CliResult>;
  /** Like `run`, but fails unless the exit code is 0; returns the parsed JSON (or undefined). */
  json<T = Record<string, unknown>>(...args: string[]): Promise<T>;
  /** Runs a call that must fail; returns the AWS error code the CLI printed (`(Code)`). */
  errorCode(...args: string[]): Promise<{ code: string; message: string; exitCode: number }>;
}

/** A CLI for `endpoint`; `region` (default us-east-1) is where its requests are signed for. */
export function awsCli(endpoint: string, options: { region?: string } = {}): AwsCli {
  const env = awsCliEnv(options.region ? { AWS_DEFAULT_REGION: options.region } : {});
  const run = (...args: string[]) =>
    runProcess(AWS_CLI, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env });
  return {
    run,
    async json<T>(...args: string[]): Promise<T> {
      const res = await run(...args);
      if (res.code !== 0) {
        throw new Error(`aws ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
      }
      return (res.stdout.trim() === '' ? undefined : JSON.parse(res.stdout)) as T;
    },
    async errorCode(...args: string[]) {
      const res = await run(...args);
      if (res.code === 0) throw new Error(`aws ${args.join(' ')} succeeded: ${res.stdout}`);
      // "An error occurred (ClusterNotFoundException) when calling the RunTask operation: Cluster
      // not found." — with "(reached max retries: N)" before the colon when the CLI retried.
      const m =
        /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)/s.exec(
          res.stderr,
        );
      if (!m) throw new Error(`aws ${args.join(' ')}: no AWS error in stderr: ${res.stderr}`);
      return { code: m[1] ?? '', message: (m[2] ?? '').trim(), exitCode: res.code };
    },
  };
}
