/** restJson1 through the server (in-process): routing, input binding, statuses, error shapes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { protocolServer, signedFor } from './protocols.test-support.ts';

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe('restJson1 protocol', () => {
  it('binds the path label, JSON body and a header into one input', async () => {
    const { server, calls } = protocolServer();
    await using _ = server;
    const res = await server.inject({
      method: 'POST',
      url: '/schedules/nightly',
      headers: {
        'content-type': 'application/json',
        'x-amz-client-token': 'tok-1',
        authorization: signedFor('scheduler', 'eu-west-1'),
      },
      payload: JSON.stringify({
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Name: 'from-body-loses',
      }),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(json(res.body), {
      operation: 'CreateSchedule',
      input: {
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Name: 'nightly',
        ClientToken: 'tok-1',
      },
    });
    assert.equal(calls[0]?.ctx.aws.region, 'eu-west-1');
    assert.equal(calls[0]?.ctx.caller.signingService, 'scheduler');
  });

  it('routes the same path by method, with query-string members', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const del = await server.inject({
      method: 'DELETE',
      url: '/schedules/nightly?groupName=batch&clientToken=t%201',
    });
    assert.equal(del.statusCode, 200);
    assert.deepEqual(json(del.body), {
      operation: 'DeleteSchedule',
      input: { GroupName: 'batch', ClientToken: 't 1', Name: 'nightly' },
    });

    const list = await server.inject({
      method: 'GET',
      url: '/schedules?NamePrefix=night&MaxResults=10&TagKeys=a&TagKeys=b&Deep=true&Other=x',
    });
    assert.deepEqual(json(list.body), {
      operation: 'ListSchedules',
      input: { NamePrefix: 'night', MaxResults: 10, TagKeys: ['a', 'b'], Deep: true },
    });
  });

  it('prefers a literal segment to a label, and decodes labels (an encoded / stays inside)', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const all = await server.inject({ method: 'GET', url: '/schedules/all' });
    assert.equal(json(all.body).operation, 'ListAll');

    const arn = 'arn:aws:scheduler:us-east-1:000000000000:schedule-group/batch';
    const del = await server.inject({
      method: 'DELETE',
      url: `/schedules/${encodeURIComponent(arn)}`,
    });
    assert.deepEqual((json(del.body).input as Record<string, unknown>).Name, arn);

    const long = 'x'.repeat(300);
    const longRes = await server.inject({ method: 'DELETE', url: `/schedules/${long}` });
    assert.equal((json(longRes.body).input as Record<string, unknown>).Name, long);
  });

  it('matches greedy labels over several segments, with a literal suffix', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const obj = await server.inject({ method: 'GET', url: '/objects/a/b%20c/d.txt' });
    assert.deepEqual(json(obj.body), { operation: 'GetObject', input: { Key: 'a/b c/d.txt' } });
    const acl = await server.inject({ method: 'GET', url: '/objects/a/b/acl' });
    assert.deepEqual(json(acl.body), { operation: 'GetObjectAcl', input: { Key: 'a/b' } });
    const one = await server.inject({ method: 'GET', url: '/objects/k' });
    assert.deepEqual(json(one.body), { operation: 'GetObject', input: { Key: 'k' } });
    // A greedy label needs at least one segment.
    const empty = await server.inject({ method: 'GET', url: '/objects/' });
    assert.equal(empty.statusCode, 404);
  });

  it('answers with the operation’s success status', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const res = await server.inject({ method: 'PUT', url: '/schedule-groups/batch' });
    assert.equal(res.statusCode, 201);
    assert.equal(json(res.body).operation, 'CreateGroup');
  });

  it('encodes a thrown ServiceError with x-amzn-ErrorType, the module’s Message key and status', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const res = await server.inject({ method: 'GET', url: '/schedules/nope?groupName=default' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.match(String(res.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    assert.equal(res.body, '{"Message":"Schedule nope does not exist."}');
  });

  it('rejects bad bodies and query values as SerializationException before the handler', async () => {
    const { server, calls } = protocolServer();
    await using _ = server;
    const badType = await server.inject({
      method: 'POST',
      url: '/schedules/n',
      payload: '{"ScheduleExpression": 5}',
    });
    assert.equal(badType.statusCode, 400);
    assert.equal(badType.headers['x-amzn-errortype'], 'SerializationException');
    assert.deepEqual(json(badType.body), {
      Message: 'NUMBER_VALUE can not be converted to a String',
    });
    const badJson = await server.inject({ method: 'POST', url: '/schedules/n', payload: '{' });
    assert.equal(badJson.headers['x-amzn-errortype'], 'SerializationException');
    const badInt = await server.inject({ method: 'GET', url: '/schedules?MaxResults=ten' });
    assert.equal(badInt.statusCode, 400);
    assert.equal(badInt.headers['x-amzn-errortype'], 'SerializationException');
    assert.match(json(badInt.body).Message as string, /MaxResults: 'ten'/);
    const badBool = await server.inject({ method: 'GET', url: '/schedules?Deep=yes' });
    assert.equal(badBool.headers['x-amzn-errortype'], 'SerializationException');
    assert.deepEqual(calls, []);
  });

  it('answers a served path with a wrong method by 405, and unknown paths by the 404', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const wrong = await server.inject({ method: 'PATCH', url: '/schedules/nightly' });
    assert.equal(wrong.statusCode, 405);
    assert.equal(wrong.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.equal(wrong.headers.allow, 'DELETE, GET, POST');
    assert.deepEqual(json(wrong.body), {
      Message: 'PATCH is not supported on /schedules/nightly; use DELETE or GET or POST.',
    });

    const unknown = await server.inject({ method: 'GET', url: '/nothing/here?x=1' });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(json(unknown.body), {
      __type: 'UnknownOperationException',
      message: 'No API is served at GET /nothing/here?x=1.',
    });
  });

  it('hides unexpected failures behind a logged 500', async () => {
    const { server, logged } = protocolServer();
    await using _ = server;
    const res = await server.inject({ method: 'POST', url: '/crash' });
    assert.equal(res.statusCode, 500);
    assert.equal(res.headers['x-amzn-errortype'], 'InternalFailure');
    assert.doesNotMatch(res.body, /internal detail/);
    assert.deepEqual(logged, ['unexpected failure in scheduler.Crash']);
  });

  it('keeps POST / and the operator endpoints apart from the route table', async () => {
    const { server } = protocolServer();
    await using _ = server;
    const health = await server.inject({ method: 'GET', url: '/health' });
    assert.equal(health.statusCode, 200);
    assert.ok(
      (json(health.body).services as { service: string; protocol: string }[]).some(
        (s) => s.service === 'scheduler' && s.protocol === 'restJson1',
      ),
    );
    const metrics = await server.inject({ method: 'GET', url: '/metrics' });
    assert.equal(metrics.statusCode, 200);
    const root = await server.inject({ method: 'POST', url: '/', payload: '{}' });
    assert.equal(root.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.equal(root.statusCode, 400);
  });
});
