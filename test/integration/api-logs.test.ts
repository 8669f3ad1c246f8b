/**
 * Real AWS SDK v3 clients against the API server on a loopback port: CloudWatch Logs and STS.
 * Needs no Docker, so it always runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  paginateDescribeLogGroups,
  paginateGetLogEvents,
  ListTagsLogGroupCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { apiFixture, T0, type ApiFixture } from '../../src/api/api.test-support.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('AWS SDK v3 against the API server', () => {
  let fx: ApiFixture;
  let logs: CloudWatchLogsClient;
  let sts: STSClient;

  before(async () => {
    fx = await apiFixture();
    const { url } = await fx.server.start({ host: '127.0.0.1', port: 0 });
    const common = { endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 };
    logs = new CloudWatchLogsClient(common);
    sts = new STSClient(common);
  });

  after(async () => {
    logs.destroy();
    sts.destroy();
    await fx[Symbol.asyncDispose]();
  });

  it('creates a group and stream, writes and reads events back', async () => {
    await logs.send(
      new CreateLogGroupCommand({ logGroupName: '/ecs/job', tags: { team: 'data' } }),
    );
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/job', logStreamName: 's1' }));
    const put = await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/job',
        logStreamName: 's1',
        logEvents: [
          { timestamp: T0 - 3000, message: 'starting job' },
          { timestamp: T0 - 2000, message: 'ERROR disk full' },
          { timestamp: T0 - 1000, message: 'retrying' },
          { timestamp: T0 - 500, message: 'ERROR still full' },
          { timestamp: T0, message: 'done' },
        ],
      }),
    );
    assert.equal(typeof put.nextSequenceToken, 'string');
    assert.equal(put.rejectedLogEventsInfo, undefined);

    const latest = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/job', logStreamName: 's1', limit: 2 }),
    );
    assert.deepEqual(
      latest.events?.map((e) => [e.timestamp, e.message, e.ingestionTime]),
      [
        [T0 - 500, 'ERROR still full', T0],
        [T0, 'done', T0],
      ],
    );
    assert.match(latest.nextForwardToken ?? '', /^f\//);
    assert.match(latest.nextBackwardToken ?? '', /^b\//);

    const tags = await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/ecs/job' }));
    assert.deepEqual(tags.tags, { team: 'data' });
  });

  it('paginates GetLogEvents from the head and stops on the repeated token', async () => {
    const messages: string[] = [];
    let pages = 0;
    for await (const page of paginateGetLogEvents(
      { client: logs, pageSize: 2, stopOnSameToken: true },
      { logGroupName: '/ecs/job', logStreamName: 's1', startFromHead: true },
    )) {
      pages++;
      assert.ok(pages <= 10, 'the paginator did not terminate');
      messages.push(...(page.events ?? []).map((e) => e.message ?? ''));
    }
    assert.deepEqual(messages, [
      'starting job',
      'ERROR disk full',
      'retrying',
      'ERROR still full',
      'done',
    ]);
    // Three full/partial pages, then one empty page that returns the same token.
    assert.equal(pages, 4);
  });

  it('filters events with a pattern', async () => {
    const res = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/ecs/job', filterPattern: 'ERROR' }),
    );
    assert.deepEqual(
      res.events?.map((e) => [e.logStreamName, e.timestamp, e.message]),
      [
        ['s1', T0 - 2000, 'ERROR disk full'],
        ['s1', T0 - 500, 'ERROR still full'],
      ],
    );
    assert.equal(res.nextToken, undefined);
  });

  it('pages DescribeLogGroups with the SDK paginator', async () => {
    for (const name of ['/p/a', '/p/b', '/p/c', '/p/d', '/p/e']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    }
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/p/c', retentionInDays: 7 }));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeLogGroups(
      { client: logs, pageSize: 2 },
      { logGroupNamePrefix: '/p/' },
    )) {
      pages++;
      assert.ok(pages <= 10, 'the paginator did not terminate');
      names.push(
        ...(page.logGroups ?? []).map((g) => `${g.logGroupName}:${g.retentionInDays ?? '-'}`),
      );
    }
    assert.deepEqual(names, ['/p/a:-', '/p/b:-', '/p/c:7', '/p/d:-', '/p/e:-']);
    assert.equal(pages, 3);
  });

  it('surfaces errors as the SDK typed exceptions with AWS messages', async () => {
    await assert.rejects(
      logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/job' })),
      (err: unknown) => {
        assert.ok(err instanceof ResourceAlreadyExistsException);
        assert.equal(err.message, 'The specified log group already exists');
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.match(err.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
        return true;
      },
    );
    await assert.rejects(
      logs.send(new DeleteLogGroupCommand({ logGroupName: '/missing' })),
      (err: unknown) => {
        assert.ok(err instanceof ResourceNotFoundException);
        assert.equal(err.message, 'The specified log group does not exist.');
        return true;
      },
    );
    await assert.rejects(
      logs.send(
        new GetLogEventsCommand({ logGroupName: '/ecs/job', logStreamName: 's1', limit: 10001 }),
      ),
      (err: unknown) => {
        assert.ok(err instanceof InvalidParameterException);
        assert.equal(
          err.message,
          "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
        );
        return true;
      },
    );
    await assert.rejects(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: '/ecs/job',
          logStreamName: 's1',
          logEvents: [
            { timestamp: T0, message: 'b' },
            { timestamp: T0 - 1, message: 'a' },
          ],
        }),
      ),
      (err: unknown) => {
        assert.ok(err instanceof InvalidParameterException);
        assert.equal(
          err.message,
          'Log events in a single PutLogEvents request must be in chronological order.',
        );
        return true;
      },
    );
  });

  it('answers STS GetCallerIdentity', async () => {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, '000000000000');
    assert.equal(id.Arn, 'arn:aws:iam::000000000000:root');
    assert.equal(id.UserId, '000000000000');
    assert.match(id.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  });
});
