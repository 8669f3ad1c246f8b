import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ManualClock } from '../../platform/clock.ts';
import { main } from '../main.ts';

/** Runs the CLI in-process with captured output and a manual clock. */
async function run(args: string[], now = '2026-03-04T05:06:07Z') {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'cronbridge', ...args], {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    clock: new ManualClock(now),
  });
  return { code, stdout, stderr };
}

describe('cronbridge schedule next', () => {
  it('prints the next five instants after now by default, ISO-8601 UTC with Z', async () => {
    const result = await run(['schedule', 'next', 'cron(0 10 * * ? *)']);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    assert.equal(
      result.stdout,
      [
        '2026-03-04T10:00:00Z',
        '2026-03-05T10:00:00Z',
        '2026-03-06T10:00:00Z',
        '2026-03-07T10:00:00Z',
        '2026-03-08T10:00:00Z',
        '',
      ].join('\n'),
    );
  });

  it('honours --count, --after and --timezone', async () => {
    const result = await run([
      'schedule',
      'next',
      'cron(30 2 * * ? *)',
      '--count',
      '3',
      '--after',
      '2024-03-09T00:00:00Z',
      '--timezone',
      'America/New_York',
    ]);
    assert.equal(result.code, 0);
    // 02:30 does not exist in New York on 2024-03-10 (spring forward), so that day is skipped.
    assert.equal(
      result.stdout,
      '2024-03-09T07:30:00Z\n2024-03-11T06:30:00Z\n2024-03-12T06:30:00Z\n',
    );
  });

  it('previews rate() from the --after instant', async () => {
    const result = await run([
      'schedule',
      'next',
      'rate(5 minutes)',
      '-n',
      '2',
      '--after',
      '2026-01-01T00:00:00Z',
    ]);
    assert.equal(result.stdout, '2026-01-01T00:05:00Z\n2026-01-01T00:10:00Z\n');
  });

  it('rejects an invalid expression with AWS message, our hint and exit code 2', async () => {
    const result = await run(['schedule', 'next', 'cron(71 8 1 * ? *)']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    const [message, hint] = result.stderr.split('\n');
    assert.equal(message, 'Invalid Schedule Expression cron(71 8 1 * ? *).');
    assert.match(hint ?? '', /^hint: .*minute/i);
  });

  it('uses the rules message with --service events, where at() is not allowed', async () => {
    const result = await run([
      'schedule',
      'next',
      'at(2030-01-01T00:00:00)',
      '--service',
      'events',
    ]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.split('\n')[0], 'Parameter ScheduleExpression is not valid.');
  });

  it('prints nothing and exits 0 for a schedule that never fires again', async () => {
    const past = await run(['schedule', 'next', 'at(2020-01-01T00:00:00)']);
    assert.deepEqual([past.code, past.stdout, past.stderr], [0, '', '']);
    const ended = await run(['schedule', 'next', 'cron(0 0 1 1 ? 1999)']);
    assert.deepEqual([ended.code, ended.stdout, ended.stderr], [0, '', '']);
  });

  it('rejects bad options with exit code 2', async () => {
    for (const args of [
      ['--count', '0'],
      ['--count', 'x'],
      ['--after', 'yesterday'],
      ['--timezone', 'Mars/Olympus'],
    ]) {
      const result = await run(['schedule', 'next', 'rate(1 hour)', ...args]);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.notEqual(result.stderr, '');
    }
  });

  it('works as a real process through the bin script', () => {
    const bin = fileURLToPath(new URL('../../../bin/cronbridge.mjs', import.meta.url));
    const ok = spawnSync(
      process.execPath,
      [
        bin,
        'schedule',
        'next',
        'cron(0 12 ? * 6#5 *)',
        '--after',
        '2026-01-01T00:00:00Z',
        '-n',
        '2',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(ok.status, 0, ok.stderr);
    // Fifth Fridays of 2026: January 30 and May 29.
    assert.equal(ok.stdout, '2026-01-30T12:00:00Z\n2026-05-29T12:00:00Z\n');
    const bad = spawnSync(process.execPath, [bin, 'schedule', 'next', 'rate(1 minutes)'], {
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^Invalid Schedule Expression rate\(1 minutes\)\.\nhint: /);
  });
});
