/**
 * Debian's AWS CLI v2 (/usr/bin/aws; the `aws` on PATH may be another install) against the API
 * server on a loopback port. Needs no Docker. Skips with a message when the CLI is missing,
 * unless RUN_INTEGRATION_TESTS=1 demands it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { apiFixture, T0, type ApiFixture } from '../../src/api/api.test-support.ts';
import { iamApi } from '../../src/api/services/iam.api.ts';
import { IamService } from '../../src/iam/iam.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

function gate(): string | false {
  if (existsSync(AWS)) return false;
  if (process.env.RUN_INTEGRATION_TESTS === '1') {
    throw new Error(`${AWS} is missing, and RUN_INTEGRATION_TESTS=1 requires the AWS CLI v2`);
  }
  return `${AWS} (AWS CLI v2) is not installed; skipping the CLI tests`;
}

const skip = gate();
if (skip) console.log(`# ${skip}`);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('AWS CLI v2 against the API server', { skip }, () => {
  let fx: ApiFixture;
  let iamStore: Store;
  let endpoint = '';

  /** Runs the CLI with an isolated environment: no config files, no pager, no IMDS. */
  async function aws(...args: string[]): Promise<CliResult> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    try {
      const { stdout, stderr } = await run(
        AWS,
        ['--endpoint-url', endpoint, '--output', 'json', ...args],
        { env, timeout: 60_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  async function ok(...args: string[]): Promise<unknown> {
    const res = await aws(...args);
    assert.equal(res.code, 0, `aws ${args.join(' ')} failed: ${res.stderr}`);
    return res.stdout.trim() === '' ? undefined : JSON.parse(res.stdout);
  }

  before(async () => {
    // IAM lives in its own store here: the Logs fixture does not build one.
    iamStore = await openStore({ dataDir: ':memory:' });
    const iam = new IamService({
      store: iamStore,
      clock: new ManualClock(T0),
      context: DEFAULT_CONTEXT,
    });
    fx = await apiFixture({ extra: [iamApi(iam)] });
    endpoint = (await fx.server.start({ host: '127.0.0.1', port: 0 })).url;
  });

  after(async () => {
    await fx[Symbol.asyncDispose]();
    await iamStore.close();
  });

  it('creates a log group, writes events and reads them back', async () => {
    await ok('logs', 'create-log-group', '--log-group-name', '/ecs/cli');
    await ok('logs', 'create-log-stream', '--log-group-name', '/ecs/cli', '--log-stream-name', 's');
    const events = JSON.stringify([
      { timestamp: T0 - 2, message: 'hello from the cli' },
      { timestamp: T0 - 1, message: 'ERROR something broke' },
      { timestamp: T0, message: 'bye' },
    ]);
    await ok(
      'logs',
      'put-log-events',
      '--log-group-name',
      '/ecs/cli',
      '--log-stream-name',
      's',
      '--log-events',
      events,
    );
    const got = (await ok(
      'logs',
      'get-log-events',
      '--log-group-name',
      '/ecs/cli',
      '--log-stream-name',
      's',
      '--start-from-head',
    )) as { events: { message: string; timestamp: number }[]; nextForwardToken: string };
    assert.deepEqual(
      got.events.map((e) => [e.timestamp, e.message]),
      [
        [T0 - 2, 'hello from the cli'],
        [T0 - 1, 'ERROR something broke'],
        [T0, 'bye'],
      ],
    );
    assert.match(got.nextForwardToken, /^f\//);

    const filtered = (await ok(
      'logs',
      'filter-log-events',
      '--log-group-name',
      '/ecs/cli',
      '--filter-pattern',
      'ERROR',
    )) as { events: { message: string; logStreamName: string }[] };
    assert.deepEqual(
      filtered.events.map((e) => [e.logStreamName, e.message]),
      [['s', 'ERROR something broke']],
    );
  });

  it('makes a log group in the region --region names, invisible from us-east-1', async () => {
    const tokyo = ['--region', 'ap-northeast-1'];
    await ok('logs', 'create-log-group', '--log-group-name', '/ecs/tokyo', ...tokyo);
    const here = (await ok('logs', 'describe-log-groups', ...tokyo)) as {
      logGroups: { logGroupName: string; arn: string }[];
    };
    // `arn` (with AWS's `:*`): this CLI's model predates `logGroupArn`.
    assert.deepEqual(
      here.logGroups.map((g) => g.arn),
      [`arn:aws:logs:ap-northeast-1:${DEFAULT_CONTEXT.accountId}:log-group:/ecs/tokyo:*`],
    );
    const home = (await ok('logs', 'describe-log-groups')) as {
      logGroups: { logGroupName: string }[];
    };
    assert.ok(!home.logGroups.some((g) => g.logGroupName === '/ecs/tokyo'));
  });

  it('answers sts get-caller-identity', async () => {
    const id = await ok('sts', 'get-caller-identity');
    assert.deepEqual(id, {
      UserId: '000000000000',
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
    });
  });

  it('reports service errors with the AWS code and a failing exit status', async () => {
    const res = await aws('logs', 'create-log-group', '--log-group-name', '/ecs/cli');
    assert.equal(res.code, 254);
    assert.match(
      res.stderr,
      /An error occurred \(ResourceAlreadyExistsException\) when calling the CreateLogGroup operation: The specified log group already exists/,
    );
  });

  it('creates and reads an IAM role, its trust policy decoded by the CLI', async () => {
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    };
    const created = (await ok(
      'iam',
      'create-role',
      '--role-name',
      'ecsEventsRole',
      '--assume-role-policy-document',
      JSON.stringify(trust),
    )) as { Role: { Arn: string; AssumeRolePolicyDocument: unknown } };
    assert.equal(created.Role.Arn, 'arn:aws:iam::000000000000:role/ecsEventsRole');
    // The CLI URL-decodes and parses the document, as it does AWS's.
    assert.deepEqual(created.Role.AssumeRolePolicyDocument, trust);
    const res = await aws('iam', 'get-role', '--role-name', 'ghost');
    assert.equal(res.code, 254);
    assert.match(
      res.stderr,
      /An error occurred \(NoSuchEntity\) when calling the GetRole operation: The role with name ghost cannot be found\./,
    );
  });
});
