/**
 * CloudWatch Logs is regional: a log group lives in the region of the request (or, for the
 * awslogs driver, of `awslogs-region`) and no other region sees or reaches it (issue 13 item 4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AwsContext } from '../platform/ids.ts';
import { AwslogsWriter } from './awslogs-writer.ts';
import { CTX, logsFixture, rejectsWith, T0 } from './logs.test-support.ts';

const TOKYO: AwsContext = { ...CTX, region: 'ap-northeast-1' };
const TOKYO_GROUPS = `arn:aws:logs:ap-northeast-1:${CTX.accountId}:log-group:`;
const NO_GROUP = 'The specified log group does not exist.';

describe('logs regions', () => {
  it('writes the region into ARNs and scopes describe, read and write to it', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(TOKYO, { logGroupName: '/ecs/job' });
    const [group] = (await f.logs.describeLogGroups(TOKYO)).logGroups;
    assert.equal(group?.logGroupArn, `${TOKYO_GROUPS}/ecs/job`);
    assert.equal(group?.arn, `${TOKYO_GROUPS}/ecs/job:*`);
    assert.deepEqual((await f.logs.describeLogGroups(CTX)).logGroups, []);
    const ref = { logGroupName: '/ecs/job', logStreamName: 's' };
    await rejectsWith(f.logs.createLogStream(CTX, ref), 'ResourceNotFoundException', NO_GROUP);
    await f.logs.createLogStream(TOKYO, ref);
    await f.logs.putLogEvents(TOKYO, { ...ref, logEvents: [{ timestamp: T0, message: 'hi' }] });
    await rejectsWith(
      f.logs.putLogEvents(CTX, { ...ref, logEvents: [{ timestamp: T0, message: 'no' }] }),
      'ResourceNotFoundException',
      NO_GROUP,
    );
    await rejectsWith(f.logs.getLogEvents(CTX, ref), 'ResourceNotFoundException', NO_GROUP);
    await rejectsWith(
      f.logs.filterLogEvents(CTX, { logGroupName: '/ecs/job' }),
      'ResourceNotFoundException',
      NO_GROUP,
    );
    assert.deepEqual(
      (await f.logs.getLogEvents(TOKYO, ref)).events.map((e) => e.message),
      ['hi'],
    );
    assert.deepEqual(
      (
        await f.logs.filterLogEvents(TOKYO, { logGroupIdentifier: `${TOKYO_GROUPS}/ecs/job` })
      ).events?.map((e) => e.message),
      ['hi'],
    );
    // An identifier ARN of another region names no group of this one, whatever the name.
    await rejectsWith(
      f.logs.describeLogStreams(CTX, { logGroupIdentifier: `${TOKYO_GROUPS}/ecs/job` }),
      'ResourceNotFoundException',
      NO_GROUP,
    );
    assert.deepEqual(
      (await f.logs.describeLogGroups(CTX, { logGroupIdentifiers: [`${TOKYO_GROUPS}/ecs/job`] }))
        .logGroups,
      [],
    );
  });

  it('keeps one name in two regions as two groups with their own streams and settings', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.createLogGroup(TOKYO, { logGroupName: 'g' });
    await f.logs.putRetentionPolicy(TOKYO, { logGroupName: 'g', retentionInDays: 1 });
    const ref = { logGroupName: 'g', logStreamName: 's' };
    await f.logs.createLogStream(CTX, ref);
    await f.logs.createLogStream(TOKYO, ref);
    await f.logs.putLogEvents(CTX, { ...ref, logEvents: [{ timestamp: T0, message: 'here' }] });
    await f.logs.putLogEvents(TOKYO, { ...ref, logEvents: [{ timestamp: T0, message: 'there' }] });
    assert.deepEqual(
      (await f.logs.getLogEvents(CTX, ref)).events.map((e) => e.message),
      ['here'],
    );
    assert.equal((await f.logs.describeLogGroups(CTX)).logGroups[0]?.retentionInDays, undefined);
    assert.equal((await f.logs.describeLogGroups(TOKYO)).logGroups[0]?.retentionInDays, 1);

    // Retention housekeeping spans regions, each group by its own policy.
    await f.clock.advance(2 * 86_400_000);
    assert.equal(await f.logs.purgeExpiredEvents(), 1);
    assert.deepEqual(
      (await f.logs.getLogEvents(CTX, ref)).events.map((e) => e.message),
      ['here'],
    );

    await f.logs.deleteLogGroup(TOKYO, { logGroupName: 'g' });
    assert.deepEqual((await f.logs.describeLogGroups(TOKYO)).logGroups, []);
    assert.deepEqual(
      (await f.logs.getLogEvents(CTX, ref)).events.map((e) => e.message),
      ['here'],
    );
  });

  it('tags a group by its ARN in the ARN’s region only', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(TOKYO, { logGroupName: 'g', tags: { team: 'tokyo' } });
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    const resourceArn = `${TOKYO_GROUPS}g`;
    await f.logs.tagResource(TOKYO, { resourceArn, tags: { env: 'prod' } });
    assert.deepEqual((await f.logs.listTagsForResource(TOKYO, { resourceArn })).tags, {
      team: 'tokyo',
      env: 'prod',
    });
    await rejectsWith(
      f.logs.listTagsForResource(CTX, { resourceArn }),
      'ResourceNotFoundException',
      NO_GROUP,
    );
    await rejectsWith(
      f.logs.tagResource(CTX, { resourceArn, tags: { x: 'y' } }),
      'ResourceNotFoundException',
      NO_GROUP,
    );
    assert.deepEqual((await f.logs.listTagsLogGroup(CTX, { logGroupName: 'g' })).tags, {});
  });

  it('lets the awslogs pipe create and fill a group in the region it names', async () => {
    await using f = await logsFixture();
    const writer = await AwslogsWriter.open({
      logs: f.logs,
      clock: f.clock,
      context: TOKYO,
      groupName: '/ecs/job',
      streamName: 'ecs/app/1',
      createGroup: true,
    });
    writer.write('line', T0);
    await writer.close();
    const ref = { logGroupName: '/ecs/job', logStreamName: 'ecs/app/1' };
    assert.deepEqual(
      (await f.logs.getLogEvents(TOKYO, ref)).events.map((e) => e.message),
      ['line'],
    );
    assert.equal(await f.logs.countStreamEvents(TOKYO, '/ecs/job', 'ecs/app/1'), 1);
    assert.equal(await f.logs.countStreamEvents(CTX, '/ecs/job', 'ecs/app/1'), 0);
    assert.deepEqual((await f.logs.describeLogGroups(CTX)).logGroups, []);
    // Without awslogs-create-group the group must exist in that region.
    await rejectsWith(
      f.logs.ensureStream(CTX, '/ecs/job', 'ecs/app/2'),
      'ResourceNotFoundException',
      NO_GROUP,
    );
  });
});
