import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CTX, logsFixture, rejectsWith, T0 } from './logs.test-support.ts';

const GROUP_ARN = 'arn:aws:logs:us-east-1:000000000000:log-group:g';

describe('log streams', () => {
  it('creates a stream and describes it in AWS shape, before and after events', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    assert.deepEqual(
      await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 'ecs/app/1' }),
      {},
    );
    assert.deepEqual(await f.logs.describeLogStreams(CTX, { logGroupName: 'g' }), {
      logStreams: [
        {
          logStreamName: 'ecs/app/1',
          creationTime: T0,
          arn: `${GROUP_ARN}:log-stream:ecs/app/1`,
          storedBytes: 0,
        },
      ],
    });
    await f.clock.advance(1000);
    const put = await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 'ecs/app/1',
      logEvents: [
        { timestamp: T0 + 10, message: 'a' },
        { timestamp: T0 + 20, message: 'b' },
      ],
    });
    const [s] = (await f.logs.describeLogStreams(CTX, { logGroupName: 'g' })).logStreams;
    assert.deepEqual(s, {
      logStreamName: 'ecs/app/1',
      creationTime: T0,
      firstEventTimestamp: T0 + 10,
      lastEventTimestamp: T0 + 20,
      lastIngestionTime: T0 + 1000,
      uploadSequenceToken: put.nextSequenceToken,
      arn: `${GROUP_ARN}:log-stream:ecs/app/1`,
      storedBytes: 0,
    });
  });

  it('reports duplicates, missing groups and bad names exactly', async () => {
    await using f = await logsFixture();
    await rejectsWith(
      f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' }),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    await rejectsWith(
      f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' }),
      'ResourceAlreadyExistsException',
      'The specified log stream already exists',
    );
    await rejectsWith(
      f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 'a:b' }),
      'InvalidParameterException',
      "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [^:*]*',
    );
    await rejectsWith(
      f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: '' }),
      'InvalidParameterException',
      "1 validation error detected: Value '' at 'logStreamName' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 1',
    );
    assert.equal(
      (await f.logs.describeLogStreams(CTX, { logGroupName: 'g' })).logStreams.length,
      1,
    );
  });

  it('deletes a stream and its events', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: [{ timestamp: T0, message: 'x' }],
    });
    await f.logs.deleteLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    await rejectsWith(
      f.logs.deleteLogStream(CTX, { logGroupName: 'g', logStreamName: 's' }),
      'ResourceNotFoundException',
      'The specified log stream does not exist.',
    );
    await rejectsWith(
      f.logs.deleteLogStream(CTX, { logGroupName: 'h', logStreamName: 's' }),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    const got = await f.logs.getLogEvents(CTX, { logGroupName: 'g', logStreamName: 's' });
    assert.deepEqual(got.events, []);
  });

  it('orders by name or last event time, with prefix, descending and pages', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    const times: Record<string, number | undefined> = { a: 30, b: 10, c: undefined, d: 20, x1: 5 };
    for (const [name, t] of Object.entries(times)) {
      await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: name });
      if (t !== undefined) {
        await f.logs.putLogEvents(CTX, {
          logGroupName: 'g',
          logStreamName: name,
          logEvents: [{ timestamp: T0 + t, message: name }],
        });
      }
    }
    const walk = async (
      input: Omit<Parameters<typeof f.logs.describeLogStreams>[1], 'nextToken'>,
    ) => {
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await f.logs.describeLogStreams(CTX, {
          ...input,
          logGroupName: 'g',
          nextToken,
        });
        names.push(...page.logStreams.map((s) => s.logStreamName));
        nextToken = page.nextToken;
      } while (nextToken);
      return names;
    };
    assert.deepEqual(await walk({ limit: 2 }), ['a', 'b', 'c', 'd', 'x1']);
    assert.deepEqual(await walk({ limit: 2, descending: true }), ['x1', 'd', 'c', 'b', 'a']);
    assert.deepEqual(await walk({ limit: 2, orderBy: 'LastEventTime' }), [
      'c',
      'x1',
      'b',
      'd',
      'a',
    ]);
    assert.deepEqual(await walk({ limit: 1, orderBy: 'LastEventTime', descending: true }), [
      'a',
      'd',
      'b',
      'x1',
      'c',
    ]);
    assert.deepEqual(await walk({ logStreamNamePrefix: 'x' }), ['x1']);
    await rejectsWith(
      f.logs.describeLogStreams(CTX, {
        logGroupName: 'g',
        logStreamNamePrefix: 'x',
        orderBy: 'LastEventTime',
      }),
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  });

  it('accepts a group ARN as identifier but not together with a name', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    const byArn = await f.logs.describeLogStreams(CTX, { logGroupIdentifier: GROUP_ARN });
    assert.deepEqual(
      byArn.logStreams.map((s) => s.logStreamName),
      ['s'],
    );
    await rejectsWith(
      f.logs.describeLogStreams(CTX, { logGroupName: 'g', logGroupIdentifier: GROUP_ARN }),
      'ValidationException',
      'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    );
    await rejectsWith(
      f.logs.describeLogStreams(CTX, { logGroupName: 'nope' }),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
  });
});
