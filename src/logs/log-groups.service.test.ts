import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CTX, logsFixture, rejectsWith, T0 } from './logs.test-support.ts';

const ARN = 'arn:aws:logs:us-east-1:000000000000:log-group';

describe('log groups', () => {
  it('creates a group and describes it in AWS shape', async () => {
    await using f = await logsFixture();
    assert.deepEqual(await f.logs.createLogGroup(CTX, { logGroupName: '/ecs/job' }), {});
    const out = await f.logs.describeLogGroups(CTX, {});
    assert.deepEqual(out, {
      logGroups: [
        {
          logGroupName: '/ecs/job',
          creationTime: T0,
          metricFilterCount: 0,
          arn: `${ARN}:/ecs/job:*`,
          storedBytes: 0,
          logGroupClass: 'STANDARD',
          logGroupArn: `${ARN}:/ecs/job`,
          deletionProtectionEnabled: false,
        },
      ],
    });
  });

  it('rejects a duplicate with the verified message (no trailing period)', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await rejectsWith(
      f.logs.createLogGroup(CTX, { logGroupName: 'g' }),
      'ResourceAlreadyExistsException',
      'The specified log group already exists',
    );
  });

  it('validates names with the AWS validation-message format', async () => {
    await using f = await logsFixture();
    await rejectsWith(
      f.logs.createLogGroup(CTX, { logGroupName: 'a:b' }),
      'InvalidParameterException',
      "1 validation error detected: Value 'a:b' at 'logGroupName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
    );
    await rejectsWith(
      f.logs.createLogGroup(CTX, { logGroupName: 'x'.repeat(513), logGroupClass: 'COLD' as never }),
      'InvalidParameterException',
      `2 validation errors detected: Value '${'x'.repeat(513)}' at 'logGroupName' failed to ` +
        'satisfy constraint: Member must have length less than or equal to 512; ' +
        "Value 'COLD' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum " +
        'value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]',
    );
    await rejectsWith(
      f.logs.createLogGroup(CTX, {} as never),
      'InvalidParameterException',
      "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: " +
        'Member must not be null',
    );
    await rejectsWith(
      f.logs.createLogGroup(CTX, { logGroupName: 'aws/mine' }),
      'InvalidParameterException',
      'Log group names cannot start with "aws/".',
    );
    assert.deepEqual((await f.logs.describeLogGroups(CTX)).logGroups, []);
  });

  it('keeps class, kms key, protection and tags', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, {
      logGroupName: 'g',
      kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/k',
      logGroupClass: 'INFREQUENT_ACCESS',
      deletionProtectionEnabled: true,
      tags: { team: 'ops' },
    });
    const [g] = (await f.logs.describeLogGroups(CTX)).logGroups;
    assert.equal(g?.kmsKeyId, 'arn:aws:kms:us-east-1:000000000000:key/k');
    assert.equal(g?.logGroupClass, 'INFREQUENT_ACCESS');
    assert.equal(g?.deletionProtectionEnabled, true);
    assert.deepEqual(await f.logs.listTagsLogGroup(CTX, { logGroupName: 'g' }), {
      tags: { team: 'ops' },
    });
    await rejectsWith(
      f.logs.deleteLogGroup(CTX, { logGroupName: 'g' }),
      'ValidationException',
      'Log group deletion is not allowed while deletion protection is enabled.',
    );
  });

  it('describes in ASCII order with prefix, pattern, limit and nextToken', async () => {
    await using f = await logsFixture();
    for (const name of ['b', 'a/x', 'B', '_z', 'a', 'a/y', '/ecs/a']) {
      await f.logs.createLogGroup(CTX, { logGroupName: name });
    }
    const names = async (input: Parameters<typeof f.logs.describeLogGroups>[1]) =>
      (await f.logs.describeLogGroups(CTX, input)).logGroups.map((g) => g.logGroupName);
    assert.deepEqual(await names({}), ['/ecs/a', 'B', '_z', 'a', 'a/x', 'a/y', 'b']);
    assert.deepEqual(await names({ logGroupNamePrefix: 'a' }), ['a', 'a/x', 'a/y']);
    assert.deepEqual(await names({ logGroupNamePattern: '/' }), ['/ecs/a', 'a/x', 'a/y']);
    assert.deepEqual(await names({ logGroupNamePattern: 'X' }), []);

    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await f.logs.describeLogGroups(CTX, { limit: 3, nextToken });
      seen.push(...page.logGroups.map((g) => g.logGroupName));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['/ecs/a', 'B', '_z', 'a', 'a/x', 'a/y', 'b']);

    const patterned = await f.logs.describeLogGroups(CTX, { logGroupNamePattern: 'a', limit: 2 });
    assert.deepEqual(
      patterned.logGroups.map((g) => g.logGroupName),
      ['/ecs/a', 'a'],
    );
    const rest = await f.logs.describeLogGroups(CTX, {
      logGroupNamePattern: 'a',
      limit: 2,
      nextToken: patterned.nextToken,
    });
    assert.deepEqual(
      rest.logGroups.map((g) => g.logGroupName),
      ['a/x', 'a/y'],
    );
    assert.equal(rest.nextToken, undefined);
  });

  it('checks describe parameters', async () => {
    await using f = await logsFixture();
    await rejectsWith(
      f.logs.describeLogGroups(CTX, { logGroupNamePrefix: 'a', logGroupNamePattern: 'b' }),
      'InvalidParameterException',
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
    await rejectsWith(
      f.logs.describeLogGroups(CTX, { limit: 51 }),
      'InvalidParameterException',
      "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: " +
        'Member must have value less than or equal to 50',
    );
    await rejectsWith(
      f.logs.describeLogGroups(CTX, { limit: 0 }),
      'InvalidParameterException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 1',
    );
    await rejectsWith(
      f.logs.describeLogGroups(CTX, { nextToken: 'garbage' }),
      'InvalidParameterException',
      'The specified nextToken is invalid.',
    );
  });

  it('refuses a nextToken of another operation, or one older than 24 hours', async () => {
    await using f = await logsFixture();
    for (const name of ['a', 'b']) await f.logs.createLogGroup(CTX, { logGroupName: name });
    await f.logs.createLogStream(CTX, { logGroupName: 'a', logStreamName: 's' });
    const { nextToken } = await f.logs.describeLogGroups(CTX, { limit: 1 });
    assert.ok(nextToken);
    await rejectsWith(
      f.logs.describeLogStreams(CTX, { logGroupName: 'a', nextToken }),
      'InvalidParameterException',
      'The specified nextToken is invalid.',
    );
    await f.clock.advance(24 * 60 * 60 * 1000);
    await rejectsWith(
      f.logs.describeLogGroups(CTX, { nextToken }),
      'InvalidParameterException',
      'The specified nextToken is invalid.',
    );
  });

  it('deletes a group with its streams and events', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: [{ timestamp: T0, message: 'hello' }],
    });
    await f.logs.deleteLogGroup(CTX, { logGroupName: 'g' });
    assert.deepEqual((await f.logs.describeLogGroups(CTX)).logGroups, []);
    const left = await f.store.db
      .selectFrom('logs_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(left.n), 0);
    await rejectsWith(
      f.logs.deleteLogGroup(CTX, { logGroupName: 'g' }),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
    // A re-created group with the same stream name starts empty.
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    const events = await f.logs.getLogEvents(CTX, { logGroupName: 'g', logStreamName: 's' });
    assert.deepEqual(events.events, []);
  });

  it('sets and removes retention, validating the allowed values', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.putRetentionPolicy(CTX, { logGroupName: 'g', retentionInDays: 14 });
    assert.equal((await f.logs.describeLogGroups(CTX)).logGroups[0]?.retentionInDays, 14);
    await rejectsWith(
      f.logs.putRetentionPolicy(CTX, { logGroupName: 'g', retentionInDays: 2 }),
      'InvalidParameterException',
      "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ' +
        '400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]',
    );
    assert.equal((await f.logs.describeLogGroups(CTX)).logGroups[0]?.retentionInDays, 14);
    await f.logs.deleteRetentionPolicy(CTX, { logGroupName: 'g' });
    assert.equal(
      'retentionInDays' in ((await f.logs.describeLogGroups(CTX)).logGroups[0] ?? {}),
      false,
    );
    await rejectsWith(
      f.logs.putRetentionPolicy(CTX, { logGroupName: 'nope', retentionInDays: 1 }),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
  });

  it('hides events older than the retention period and purges them lazily', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    const day = 86_400_000;
    // Two calls: one batch may not span more than 24 hours.
    for (const [timestamp, message] of [
      [T0 - 3 * day, 'old'],
      [T0 - day / 2, 'new'],
    ] as const) {
      await f.logs.putLogEvents(CTX, {
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [{ timestamp, message }],
      });
    }
    await f.logs.putRetentionPolicy(CTX, { logGroupName: 'g', retentionInDays: 1 });
    const got = await f.logs.getLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      startFromHead: true,
    });
    assert.deepEqual(
      got.events.map((e) => e.message),
      ['new'],
    );
    const filtered = await f.logs.filterLogEvents(CTX, { logGroupName: 'g' });
    assert.deepEqual(
      filtered.events.map((e) => e.message),
      ['new'],
    );
    assert.equal(await f.logs.purgeExpiredEvents(), 1);
    await f.logs.deleteRetentionPolicy(CTX, { logGroupName: 'g' });
    const after = await f.logs.getLogEvents(CTX, { logGroupName: 'g', logStreamName: 's' });
    assert.deepEqual(
      after.events.map((e) => e.message),
      ['new'],
    );
  });
});

describe('log group tags', () => {
  it('tags, untags and lists by name and by ARN', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: '/ecs/job', tags: { a: '1' } });
    await f.logs.tagLogGroup(CTX, { logGroupName: '/ecs/job', tags: { b: '2', a: '0' } });
    assert.deepEqual(await f.logs.listTagsLogGroup(CTX, { logGroupName: '/ecs/job' }), {
      tags: { a: '0', b: '2' },
    });
    await f.logs.untagLogGroup(CTX, { logGroupName: '/ecs/job', tags: ['a'] });
    const arn = `${ARN}:/ecs/job`;
    assert.equal(f.logs.logGroupArn(CTX, '/ecs/job'), arn);
    assert.deepEqual(await f.logs.listTagsForResource(CTX, { resourceArn: arn }), {
      tags: { b: '2' },
    });
    await f.logs.tagResource(CTX, { resourceArn: arn, tags: { c: '3' } });
    await f.logs.untagResource(CTX, { resourceArn: arn, tagKeys: ['b'] });
    assert.deepEqual(await f.logs.listTagsForResource(CTX, { resourceArn: arn }), {
      tags: { c: '3' },
    });
  });

  it('rejects unknown groups and the :* ARN form', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await rejectsWith(
      f.logs.listTagsForResource(CTX, { resourceArn: `${ARN}:g:*` }),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
    await rejectsWith(
      f.logs.tagLogGroup(CTX, { logGroupName: 'nope', tags: { a: 'b' } }),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
    await rejectsWith(
      f.logs.tagLogGroup(CTX, { logGroupName: 'g', tags: { 'bad!key': 'v' } }),
      'InvalidParameterException',
      "1 validation error detected: Value 'bad!key' at 'tags.key' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$',
    );
    assert.deepEqual(await f.logs.listTagsLogGroup(CTX, { logGroupName: 'g' }), { tags: {} });
  });
});
