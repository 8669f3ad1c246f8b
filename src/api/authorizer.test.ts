/**
 * The authorizer hook: it sees who calls what, with the decoded input, before any handler runs,
 * in every protocol, and a denial comes back in the protocol's own error shape and status.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AccessDeniedException, type AuthorizationRequest } from './authorizer.ts';
import { FORM, postForm, protocolServer, signedFor } from './protocols.test-support.ts';

const denied = 'User is not authorized to perform this operation';

/** Denies every operation of `service`; records every request it was asked about. */
function denying(service: string, seen: AuthorizationRequest[], httpStatus = 400) {
  return (request: AuthorizationRequest) => {
    seen.push(request);
    if (request.service === service) throw new AccessDeniedException(denied, { httpStatus });
  };
}

describe('authorizer hook', () => {
  it('receives request id, verified caller, service, module and operation', async () => {
    const seen: AuthorizationRequest[] = [];
    const { server } = protocolServer({ authorize: (r) => void seen.push(r) });
    await using _ = server;
    const res = await server.inject({
      method: 'POST',
      url: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Fake_20260101.Ping',
        authorization: signedFor('fake', 'ap-south-1'),
      },
      payload: '{}',
    });
    assert.equal(res.statusCode, 200);
    assert.equal(seen.length, 1);
    const [request] = seen;
    assert.equal(request?.requestId, res.headers['x-amzn-requestid']);
    assert.deepEqual(request?.caller, {
      region: 'ap-south-1',
      accessKeyId: 'test',
      signingService: 'fake',
      verified: true,
      principal: {
        arn: 'arn:aws:iam::000000000000:root',
        userId: '000000000000',
        accountId: '000000000000',
        type: 'root',
      },
    });
    assert.equal(request?.service, 'fake');
    assert.equal(request?.module.protocol, 'awsJson1.1');
    assert.equal(request?.operation, 'Ping');

    // Signed without a region preference: the default region, restJson1 routing.
    await server.inject({ method: 'GET', url: '/schedules' });
    assert.equal(seen[1]?.caller.region, 'us-east-1');
    assert.equal(seen[1]?.operation, 'ListSchedules');

    // Unsigned: refused before the authorizer is asked.
    const unsigned = await server.inject({ method: 'GET', url: '/schedules', unsigned: true });
    assert.equal(unsigned.statusCode, 403);
    assert.equal(unsigned.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
    assert.equal(seen.length, 2);
  });

  it('is not asked about requests that name no operation', async () => {
    const seen: AuthorizationRequest[] = [];
    const { server } = protocolServer({ authorize: (r) => void seen.push(r) });
    await using _ = server;
    await server.inject({ method: 'POST', url: '/', headers: FORM, payload: 'Action=Nope' });
    await server.inject({ method: 'GET', url: '/nowhere' });
    await server.inject({ method: 'PATCH', url: '/schedules/x' });
    assert.deepEqual(seen, []);
  });

  it('blocks awsJson with {"__type","message"} before the handler', async () => {
    const seen: AuthorizationRequest[] = [];
    const { server, calls } = protocolServer({ authorize: denying('fake', seen) });
    await using _ = server;
    const ping = (payload: string) =>
      server.inject({
        method: 'POST',
        url: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Fake_20260101.Ping',
        },
        payload,
      });
    const res = await ping('{"who":"me"}');
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.deepEqual(JSON.parse(res.body), { __type: 'AccessDeniedException', message: denied });
    assert.deepEqual(calls, []);
    // The authorizer judges the decoded input (resources and condition keys come from it) ...
    assert.deepEqual(seen[0]?.input, { who: 'me' });
    assert.equal(seen[0]?.aws.region, 'us-east-1');
    // ... so a body that does not decode is refused before it is asked.
    const malformed = await ping('{');
    assert.equal(malformed.headers['x-amzn-errortype'], 'SerializationException');
    assert.equal(seen.length, 1);
    assert.deepEqual(calls, []);
  });

  it('blocks query with <ErrorResponse> before the handler', async () => {
    const seen: AuthorizationRequest[] = [];
    const { server } = protocolServer({ authorize: denying('sts', seen, 403) });
    await using _ = server;
    const res = await postForm(server, 'Action=GetCallerIdentity&Version=2011-06-15');
    assert.equal(res.statusCode, 403);
    const id = String(res.headers['x-amzn-requestid']);
    assert.equal(
      res.body,
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
        `<Code>AccessDeniedException</Code><Message>${denied}</Message></Error>` +
        `<RequestId>${id}</RequestId></ErrorResponse>`,
    );
    assert.equal(seen[0]?.operation, 'GetCallerIdentity');
    assert.deepEqual(seen[0]?.input, { Action: 'GetCallerIdentity', Version: '2011-06-15' });
  });

  it('blocks ec2 with <Response><Errors> before the handler', async () => {
    const seen: AuthorizationRequest[] = [];
    const { server, calls } = protocolServer({ authorize: denying('ec2', seen, 403) });
    await using _ = server;
    const res = await postForm(
      server,
      'Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16',
    );
    assert.equal(res.statusCode, 403);
    const id = String(res.headers['x-amzn-requestid']);
    assert.equal(
      res.body,
      `<Response><Errors><Error><Code>AccessDeniedException</Code><Message>${denied}</Message>` +
        `</Error></Errors><RequestID>${id}</RequestID></Response>`,
    );
    assert.deepEqual(calls, []);
  });

  it('blocks restJson1 with x-amzn-ErrorType and the status before the handler', async () => {
    const seen: AuthorizationRequest[] = [];
    const { server, calls } = protocolServer({ authorize: denying('scheduler', seen, 403) });
    await using _ = server;
    const res = await server.inject({
      method: 'POST',
      url: '/schedules/nightly',
      payload: JSON.stringify({ ScheduleExpression: 'rate(1 hour)' }),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.deepEqual(JSON.parse(res.body), { Message: denied });
    assert.equal(seen[0]?.operation, 'CreateSchedule');
    assert.deepEqual(seen[0]?.input, { ScheduleExpression: 'rate(1 hour)', Name: 'nightly' });
    assert.deepEqual(calls, []);

    // Other services on the port stay reachable under the same authorizer.
    const ec2 = await postForm(server, 'Action=DescribeVpcs&Version=2016-11-15');
    assert.equal(ec2.statusCode, 200);
    assert.equal(calls.length, 1);
  });

  it('lets an async authorizer deny too', async () => {
    const { server, calls } = protocolServer({
      authorize: async () => {
        await Promise.resolve();
        throw new AccessDeniedException(denied);
      },
    });
    await using _ = server;
    const res = await server.inject({ method: 'DELETE', url: '/schedules/x' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.deepEqual(calls, []);
  });
});
