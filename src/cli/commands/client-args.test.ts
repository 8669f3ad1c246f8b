/**
 * Option parsing of the client commands: everything here fails (or is decided) before any
 * request, except the unreachable-server case, which talks to a closed loopback port.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { before, describe, it } from 'node:test';

import { ManualClock } from '../../platform/clock.ts';
import { runCli, T0 } from '../client/client.test-support.ts';
import { formatLogLine, LOOKBACK_MS, SeenEvents } from './logs-tail.ts';
import { splitCommand } from './run-task.ts';

const clock = new ManualClock(T0);
const cli = (...args: string[]) => runCli(args, { clock });

/** A loopback port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('client command options', () => {
  const cases: [string[], RegExp][] = [
    [['run-task'], /--task-definition is required/],
    [['run-task', '--task-definition', 'bad name!'], /--task-definition must be family/],
    [
      ['run-task', '--task-definition', 'job', '--count', '11'],
      /--count must be a whole number from 1 to 10/,
    ],
    [['run-task', '--task-definition', 'job', '--count', 'two'], /--count must be a whole number/],
    [
      ['run-task', '--task-definition', 'job', '--launch-type', 'LAMBDA'],
      /--launch-type must be FARGATE, EC2 or EXTERNAL/,
    ],
    [['run-task', '--task-definition', 'job', '--security-groups', 'sg-1'], /need --subnets/],
    [
      ['run-task', '--task-definition', 'job', '--container', 'app'],
      /--container names where --command goes/,
    ],
    [['run-task', '--task-definition', 'job', '--command', "sh -c 'oops"], /--command: give words/],
    [
      ['run-task', '--task-definition', 'job', '--wait', '--interval', '1ms'],
      /--interval must be a span/,
    ],
    [['tasks', '--status', 'PENDING'], /--status must be RUNNING or STOPPED/],
    [['tasks', '--watch', '--interval', 'soon'], /--interval must be a span such as 2s/],
    [['logs', 'tail', '/ecs/x', '--since', 'yesterday'], /--since 'yesterday': use a span/],
    [['history', 'r', '--limit', '0'], /--limit must be a whole number from 1 to 1000/],
    [['history', 'r', '--since', '1h', '--until', '2h'], /--since must be before --until/],
    [['history', 'r', '--until', 'later'], /--until 'later'/],
    [
      ['dlq', '--endpoint', 'localhost:4566'],
      /--endpoint: 'localhost:4566' must be an http:\/\/ or https:\/\/ URL/,
    ],
    [['rules', '--region', 'moon-1'], /region 'moon-1' must look like us-east-1/],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')} → exit 2`, async () => {
      const result = await cli(...args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    });
  }

  let closed = '';
  before(async () => {
    closed = `http://127.0.0.1:${await closedPort()}`;
  });

  it('an unreachable server is exit 1 with a hint, not a stack trace', async () => {
    const result = await cli('tasks', '--endpoint', closed);
    assert.equal(result.code, 1);
    assert.ok(
      result.stderr.startsWith(
        `cronbridge: cannot reach the cronbridge API at ${closed} (ECONNREFUSED). ` +
          'Is `cronbridge up` running?',
      ),
      result.stderr,
    );
    // The same through cronbridge's own client (fetch rather than the SDK's HTTP handler).
    const own = await cli('dlq', '--endpoint', closed);
    assert.equal(own.code, 1);
    assert.match(own.stderr, /cannot reach the cronbridge API .*ECONNREFUSED/);
  });

  it('CRONBRIDGE_ENDPOINT from the injected environment is used', async () => {
    const result = await runCli(['dlq'], {
      clock,
      env: { CRONBRIDGE_ENDPOINT: closed },
    });
    assert.equal(result.code, 1);
    assert.ok(result.stderr.includes(`at ${closed} (ECONNREFUSED)`), result.stderr);
  });
});

describe('run-task --command splitting', () => {
  const ok = (text: string) => {
    const split = splitCommand(text);
    assert.ok(split.ok, text);
    return split.argv;
  };

  it('splits words with quotes and backslashes, no expansion', () => {
    assert.deepEqual(ok("sh -c 'echo $HOME; exit 3'"), ['sh', '-c', 'echo $HOME; exit 3']);
    assert.deepEqual(ok('echo "a \\"quoted\\" word" b\\ c'), ['echo', 'a "quoted" word', 'b c']);
    assert.deepEqual(ok("  run  ''  x "), ['run', '', 'x']);
  });

  it('takes a JSON array of strings as is', () => {
    assert.deepEqual(ok('["sh","-c","echo hi"]'), ['sh', '-c', 'echo hi']);
    // Not an array of strings: split as words instead.
    assert.deepEqual(ok('[1, 2]'), ['[1,', '2]']);
  });

  it('refuses unbalanced quotes and empty commands', () => {
    assert.equal(splitCommand('echo "open').ok, false);
    assert.equal(splitCommand('   ').ok, false);
    assert.equal(splitCommand('[]').ok, false);
  });
});

describe('logs tail --follow bookkeeping', () => {
  const event = (id: string, timestamp: number, message = id) => ({
    eventId: id,
    timestamp,
    message,
    logStreamName: 'ecs/job/abc',
  });

  it('offers each event id once, and polls again from a window before the newest', () => {
    const seen = new SeenEvents();
    assert.equal(seen.nextStart(T0), T0, 'nothing seen: start where --since said');
    assert.equal(seen.add(event('1', T0 + 1000)), true);
    assert.equal(seen.add(event('2', T0 + 90_000)), true);
    assert.equal(seen.add(event('1', T0 + 1000)), false, 'a repeat is not printed again');
    const start = seen.nextStart(T0);
    assert.equal(start, T0 + 90_000 - LOOKBACK_MS);
    seen.prune(start);
    assert.equal(seen.size, 1, 'ids the next poll cannot return are forgotten');
    // A late event stamped inside the window is still caught, once.
    assert.equal(seen.add(event('3', T0 + 60_000)), true);
    assert.equal(seen.add(event('3', T0 + 60_000)), false);
    assert.equal(seen.add(event('2', T0 + 90_000)), false);
  });

  it('formats one line per event without the trailing newline', () => {
    assert.equal(
      formatLogLine(event('1', Date.UTC(2026, 6, 1, 10, 0, 0, 5), 'hello\n')),
      '2026-07-01T10:00:00.005Z ecs/job/abc hello\n',
    );
  });
});
