/** In-process tests of the HTTP edge (fastify inject): routing, error shapes, STS, ops endpoints. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ServiceError } from '../platform/errors.ts';
import { apiFixture, jsonHeaders, T0 } from './api.test-support.ts';
import type { JsonServiceModule, RequestContext } from './api.types.ts';
import { signedFor, signingServer } from './signing.test-support.ts';
import { createApiServer } from './server.ts';
import { supportedOperationsMarkdown } from './service-registry.ts';
import { stsApi } from './services/sts.api.ts';
import { ManualClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A throwaway service that echoes its request context, and fails on demand. */
const echo: JsonServiceModule = {
  protocol: 'awsJson1.0',
  signingName: 'echo',
  targetPrefix: 'Echo_20250101',
  errorMessageKey: 'Message',
  operations: {
    WhoAmI: {
      handler: async (_input, ctx: RequestContext) => ({
        region: ctx.aws.region,
        accountId: ctx.aws.accountId,
        accessKeyId: ctx.caller.accessKeyId ?? null,
        requestId: ctx.requestId,
      }),
    },
    Members: {
      handler: async (input) => ({ members: Object.keys(input) }),
    },
    Fail: {
      handler: async () => {
        throw new ServiceError('ConflictException', 'busy', { httpStatus: 409 });
      },
    },
    Crash: {
      handler: async () => {
        throw new TypeError('secret internals at /src/x.ts:12');
      },
    },
  },
};

async function logsCall(
  fx: Awaited<ReturnType<typeof apiFixture>>,
  operation: string,
  body: unknown,
) {
  return fx.server.inject({
    method: 'POST',
    url: '/',
    headers: jsonHeaders(`Logs_20140328.${operation}`),
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('awsJson routing and errors', () => {
  it('routes X-Amz-Target to Logs and answers with awsJson1.1 and a request id', async () => {
    await using fx = await apiFixture();
    const created = await logsCall(fx, 'CreateLogGroup', { logGroupName: '/ecs/job' });
    assert.equal(created.statusCode, 200);
    assert.equal(created.body, '{}');
    assert.equal(created.headers['content-type'], 'application/x-amz-json-1.1');
    assert.match(String(created.headers['x-amzn-requestid']), UUID);

    const described = await logsCall(fx, 'DescribeLogGroups', {});
    assert.equal(described.statusCode, 200);
    assert.deepEqual(JSON.parse(described.body), {
      logGroups: [
        {
          logGroupName: '/ecs/job',
          creationTime: T0,
          metricFilterCount: 0,
          arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/ecs/job:*',
          storedBytes: 0,
          logGroupClass: 'STANDARD',
          logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/ecs/job',
          deletionProtectionEnabled: false,
        },
      ],
    });
  });

  it('gives each response its own request id', async () => {
    await using fx = await apiFixture();
    const a = await logsCall(fx, 'DescribeLogGroups', {});
    const b = await logsCall(fx, 'DescribeLogGroups', {});
    assert.notEqual(a.headers['x-amzn-requestid'], b.headers['x-amzn-requestid']);
  });

  it('turns a service error into __type/message, x-amzn-ErrorType and its status', async () => {
    await using fx = await apiFixture();
    await logsCall(fx, 'CreateLogGroup', { logGroupName: 'g' });
    const again = await logsCall(fx, 'CreateLogGroup', { logGroupName: 'g' });
    assert.equal(again.statusCode, 400);
    assert.equal(again.headers['x-amzn-errortype'], 'ResourceAlreadyExistsException');
    assert.equal(again.headers['content-type'], 'application/x-amz-json-1.1');
    assert.match(String(again.headers['x-amzn-requestid']), UUID);
    assert.equal(
      again.body,
      '{"__type":"ResourceAlreadyExistsException","message":"The specified log group already exists"}',
    );

    const missing = await logsCall(fx, 'DeleteLogGroup', { logGroupName: 'nope' });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(JSON.parse(missing.body), {
      __type: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });

  it('answers malformed JSON with SerializationException, never a 500', async () => {
    await using fx = await apiFixture();
    for (const payload of ['{"logGroupName":', '[1,2]', '"text"', 'null']) {
      const res = await logsCall(fx, 'CreateLogGroup', payload);
      assert.equal(res.statusCode, 400, payload);
      assert.equal(res.headers['x-amzn-errortype'], 'SerializationException', payload);
      assert.equal(JSON.parse(res.body).__type, 'SerializationException', payload);
    }
    assert.deepEqual(fx.logged, []);
  });

  it('treats an empty body as {}', async () => {
    await using fx = await apiFixture();
    const res = await logsCall(fx, 'DescribeLogGroups', '');
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '{"logGroups":[]}');
  });

  it('rejects members of the wrong JSON type as SerializationException', async () => {
    await using fx = await apiFixture();
    const cases: [string, unknown, string][] = [
      [
        'GetLogEvents',
        { logStreamName: 's', limit: '10' },
        'STRING_VALUE can not be converted to an Integer',
      ],
      ['CreateLogGroup', { logGroupName: 7 }, 'NUMBER_VALUE can not be converted to a String'],
      [
        'DescribeLogStreams',
        { logGroupName: 'g', descending: 'yes' },
        'STRING_VALUE can not be converted to a Boolean',
      ],
      ['CreateLogGroup', { logGroupName: ['g'] }, 'Start of list found where not expected.'],
      [
        'CreateLogGroup',
        { logGroupName: 'g', tags: ['a'] },
        'Start of list found where not expected.',
      ],
      [
        'PutLogEvents',
        { logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: '1', message: 'm' }] },
        'STRING_VALUE can not be converted to a Long',
      ],
      [
        'PutLogEvents',
        { logGroupName: 'g', logStreamName: 's', logEvents: { timestamp: 1 } },
        'Start of structure or map found where not expected.',
      ],
    ];
    for (const [operation, body, message] of cases) {
      const res = await logsCall(fx, operation, body);
      assert.equal(res.statusCode, 400, message);
      assert.deepEqual(JSON.parse(res.body), { __type: 'SerializationException', message });
    }
  });

  it('leaves constraint errors to the service (InvalidParameterException)', async () => {
    await using fx = await apiFixture();
    await logsCall(fx, 'CreateLogGroup', { logGroupName: 'g' });
    await logsCall(fx, 'CreateLogStream', { logGroupName: 'g', logStreamName: 's' });
    const res = await logsCall(fx, 'GetLogEvents', {
      logGroupName: 'g',
      logStreamName: 's',
      limit: 10001,
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(JSON.parse(res.body), {
      __type: 'InvalidParameterException',
      message:
        "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    });
  });

  it('answers unknown operations, prefixes and a missing target with UnknownOperationException', async () => {
    await using fx = await apiFixture();
    const unknownOp = await logsCall(fx, 'PutMetricFilter', {});
    assert.equal(unknownOp.statusCode, 400);
    assert.equal(unknownOp.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.deepEqual(JSON.parse(unknownOp.body), {
      __type: 'UnknownOperationException',
      message: "Operation PutMetricFilter is not supported by this server's logs service.",
    });

    const inherited = await logsCall(fx, 'constructor', {});
    assert.equal(JSON.parse(inherited.body).__type, 'UnknownOperationException');

    const unknownPrefix = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: { ...jsonHeaders('AWSEvents.PutRule') },
      payload: '{}',
    });
    assert.equal(unknownPrefix.statusCode, 400);
    assert.deepEqual(JSON.parse(unknownPrefix.body), {
      __type: 'UnknownOperationException',
      message: "No service of this server answers X-Amz-Target 'AWSEvents.PutRule'.",
    });

    const noTarget = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      payload: '{}',
    });
    assert.equal(noTarget.statusCode, 400);
    assert.equal(noTarget.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.match(String(noTarget.headers['x-amzn-requestid']), UUID);
  });

  it('accepts application/json and awsJson1.0 bodies as well', async () => {
    await using fx = await apiFixture({ extra: [echo] });
    const res = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/json', 'x-amz-target': 'Echo_20250101.WhoAmI' },
      payload: '{}',
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
  });

  it('hands handlers no member that was sent as null (null means absent)', async () => {
    await using fx = await apiFixture({ extra: [echo] });
    const res = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'Echo_20250101.Members',
      },
      payload: '{"nextToken":null,"maxResults":5,"__proto__":{"x":1}}',
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(JSON.parse(res.body), { members: ['maxResults', '__proto__'] });
  });

  it('uses the module message key and status, and hides unexpected failures behind a 500', async () => {
    await using fx = await apiFixture({ extra: [echo] });
    const fail = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: jsonHeaders('Echo_20250101.Fail'),
      payload: '{}',
    });
    assert.equal(fail.statusCode, 409);
    assert.equal(fail.body, '{"__type":"ConflictException","Message":"busy"}');

    const crash = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: jsonHeaders('Echo_20250101.Crash'),
      payload: '{}',
    });
    assert.equal(crash.statusCode, 500);
    assert.equal(crash.headers['x-amzn-errortype'], 'InternalFailure');
    assert.deepEqual(JSON.parse(crash.body), {
      __type: 'InternalFailure',
      Message: 'An internal error occurred. Please retry your request.',
    });
    assert.doesNotMatch(crash.body, /secret|src/);
    assert.equal(fx.logged.length, 1);
    assert.equal(fx.logged[0]?.message, 'unexpected failure in echo.Crash');
    assert.equal(fx.logged[0]?.detail?.requestId, crash.headers['x-amzn-requestid']);
  });
});

describe('server-level failures', () => {
  it('answers an oversized body with an AWS-shaped 413 in the request protocol', async () => {
    const clock = new ManualClock(T0);
    await using server = signingServer(
      createApiServer({ services: [stsApi()], context: DEFAULT_CONTEXT, clock, bodyLimit: 100 }),
      [stsApi()],
      clock,
    );
    const json = await server.inject({
      method: 'POST',
      url: '/',
      headers: jsonHeaders('Logs_20140328.PutLogEvents'),
      payload: 'x'.repeat(200),
    });
    assert.equal(json.statusCode, 413);
    assert.equal(json.headers['x-amzn-errortype'], 'RequestEntityTooLargeException');
    assert.match(String(json.headers['x-amzn-requestid']), UUID);
    assert.deepEqual(JSON.parse(json.body), {
      __type: 'RequestEntityTooLargeException',
      message: 'Request body is larger than the limit of 100 bytes.',
    });
    const form = await server.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'Action=GetCallerIdentity&x=' + 'x'.repeat(200),
    });
    assert.equal(form.statusCode, 413);
    assert.match(
      form.body,
      /^<ErrorResponse><Error><Type>Sender<\/Type><Code>RequestEntityTooLargeException<\/Code>/,
    );
  });
});

describe('request context', () => {
  it('takes region and access key from the SigV4 credential scope, else the default', async () => {
    await using fx = await apiFixture({ extra: [echo] });
    const signed = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: jsonHeaders('Echo_20250101.WhoAmI', 'eu-west-3'),
      payload: '{}',
    });
    const body = JSON.parse(signed.body);
    assert.equal(body.region, 'eu-west-3');
    assert.equal(body.accessKeyId, 'test');
    assert.equal(body.accountId, '000000000000');
    assert.equal(body.requestId, signed.headers['x-amzn-requestid']);

    const unscoped = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'Echo_20250101.WhoAmI',
      },
      payload: '{}',
    });
    assert.equal(JSON.parse(unscoped.body).region, 'us-east-1');

    // Unsigned requests are refused now (issue 14) instead of running in the default region.
    const unsigned = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'Echo_20250101.WhoAmI',
      },
      payload: '{}',
      unsigned: true,
    });
    assert.equal(unsigned.statusCode, 400);
    assert.equal(JSON.parse(unsigned.body).__type, 'MissingAuthenticationTokenException');
  });
});

describe('STS (query protocol)', () => {
  const form = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };

  it('answers GetCallerIdentity with the captured XML shape', async () => {
    await using fx = await apiFixture();
    const res = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: form,
      payload: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/xml');
    const id = String(res.headers['x-amzn-requestid']);
    assert.match(id, UUID);
    assert.equal(
      res.body,
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
        '<GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:root</Arn>' +
        '<UserId>000000000000</UserId><Account>000000000000</Account></GetCallerIdentityResult>' +
        `<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata>` +
        '</GetCallerIdentityResponse>',
    );
  });

  it('finds STS by the credential scope alone, and by GET query string', async () => {
    await using fx = await apiFixture();
    const scoped = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: {
        ...form,
        authorization: signedFor('sts'),
      },
      payload: 'Action=GetCallerIdentity',
    });
    assert.equal(scoped.statusCode, 200);
    const viaGet = await fx.server.inject({
      method: 'GET',
      url: '/?Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(viaGet.statusCode, 200);
    assert.match(viaGet.body, /<Account>000000000000<\/Account>/);
  });

  it('answers unknown and missing actions with query-protocol XML errors', async () => {
    await using fx = await apiFixture();
    const invalid = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: form,
      payload: 'Action=AssumeRole&Version=2011-06-15',
    });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.headers['content-type'], 'text/xml');
    const id = String(invalid.headers['x-amzn-requestid']);
    assert.equal(
      invalid.body,
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
        '<Code>InvalidAction</Code><Message>The action or operation requested is invalid. ' +
        'Verify that the action is typed correctly.</Message></Error>' +
        `<RequestId>${id}</RequestId></ErrorResponse>`,
    );

    const missing = await fx.server.inject({
      method: 'POST',
      url: '/',
      headers: form,
      payload: 'Version=2011-06-15',
    });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /<Code>MissingAction<\/Code>/);
  });
});

describe('operator endpoints', () => {
  it('serves /health and /_cronbridge/health', async () => {
    await using fx = await apiFixture();
    for (const url of ['/health', '/_cronbridge/health']) {
      const res = await fx.server.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(JSON.parse(res.body), {
        status: 'ok',
        time: '2026-01-01T00:00:00.000Z',
        services: [
          { service: 'logs', protocol: 'awsJson1.1', operations: 17 },
          { service: 'sts', protocol: 'query', operations: 1 },
        ],
      });
    }
  });

  it('counts requests per service, operation and status in /metrics', async () => {
    await using fx = await apiFixture();
    await logsCall(fx, 'CreateLogGroup', { logGroupName: 'g' });
    await logsCall(fx, 'CreateLogGroup', { logGroupName: 'g' });
    await logsCall(fx, 'CreateLogGroup', { logGroupName: 'h' });
    await logsCall(fx, 'Nope', {});
    const remove = fx.server.registerMetricsSource(
      () => '# TYPE cronbridge_tasks_running gauge\ncronbridge_tasks_running 3',
    );
    const res = await fx.server.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const lines = res.body.split('\n');
    const has = (line: string) => assert.ok(lines.includes(line), `missing: ${line}`);
    has('cronbridge_api_requests_total{service="logs",operation="CreateLogGroup",status="200"} 2');
    has('cronbridge_api_requests_total{service="logs",operation="CreateLogGroup",status="400"} 1');
    has('cronbridge_api_requests_total{service="logs",operation="unknown",status="400"} 1');
    has(
      'cronbridge_api_request_duration_seconds_count{service="logs",operation="CreateLogGroup",status="200"} 2',
    );
    has('# TYPE cronbridge_api_request_duration_seconds histogram');
    has('cronbridge_tasks_running 3');
    assert.ok(!res.body.includes('operation="metrics"'));

    remove();
    const after = await fx.server.inject({ method: 'GET', url: '/metrics' });
    assert.ok(!after.body.includes('cronbridge_tasks_running'));
  });

  it('answers unknown paths with an AWS-shaped 404', async () => {
    await using fx = await apiFixture();
    const res = await fx.server.inject({ method: 'GET', url: '/nothing/here' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(JSON.parse(res.body), {
      __type: 'UnknownOperationException',
      message: 'No API is served at GET /nothing/here.',
    });
  });

  it('lists supported operations as a Markdown table', async () => {
    await using fx = await apiFixture();
    const services = fx.server.supportedOperations();
    assert.deepEqual(
      services.map((s) => [s.service, s.routing, s.operations.length]),
      [
        ['logs', 'X-Amz-Target: Logs_20140328', 17],
        ['sts', 'Version=2011-06-15', 1],
      ],
    );
    const md = supportedOperationsMarkdown([]);
    assert.equal(md, '| Service | Protocol | Operations |\n| --- | --- | --- |\n');
  });
});

describe('lifecycle', () => {
  it('starts idempotently on an ephemeral port and stops idempotently', async () => {
    await using fx = await apiFixture();
    const first = await fx.server.start({ host: '127.0.0.1', port: 0 });
    const second = await fx.server.start({ host: '127.0.0.1', port: 0 });
    assert.deepEqual(second, first);
    assert.ok(first.port > 0);
    assert.equal(first.url, `http://127.0.0.1:${first.port}`);
    const res = await fetch(`${first.url}/health`);
    assert.equal(res.status, 200);
    await fx.server.stop();
    await fx.server.stop();
    assert.equal(fx.server.address, undefined);
    await assert.rejects(fx.server.start({ port: 0 }), /was stopped/);
  });

  it('refuses two modules with the same target prefix', async () => {
    await assert.rejects(
      apiFixture({ extra: [echo, { ...echo, signingName: 'echo2' }] }),
      /same X-Amz-Target prefix: Echo_20250101/,
    );
  });
});
