/**
 * The HTTP edge over real sockets: malformed HTTP, undecodable URLs and odd headers get AWS-shaped
 * answers, a body over the limit gets its 413 while the client is still sending, and the body
 * budget throttles requests that would hold too much memory at once.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { T0 } from './api.test-support.ts';
import { signingServer } from './signing.test-support.ts';
import { createApiServer, type ApiServerOptions } from './server.ts';
import { stsApi } from './services/sts.api.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

async function started(options: Partial<ApiServerOptions> = {}) {
  const services = [stsApi()];
  const clock = new ManualClock(T0);
  const server = signingServer(
    createApiServer({
      services,
      context: DEFAULT_CONTEXT,
      clock,
      logger: { error: (message) => assert.fail(`unexpected failure logged: ${message}`) },
      ...options,
    }),
    services,
    clock,
  );
  const { port } = await server.start({ host: '127.0.0.1', port: 0 });
  return { server, port, [Symbol.asyncDispose]: () => server.stop() };
}

/** Sends raw bytes and collects everything the server writes until it closes or answers. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let out = '';
    const done = () => {
      socket.destroy();
      resolve(out);
    };
    socket.on('data', (chunk) => {
      out += chunk.toString('utf8');
      // One complete response is enough: keep-alive sockets would otherwise stay open.
      const split = out.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(out)?.[1];
      if (split > 0 && length !== undefined && out.length >= split + 4 + Number(length)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes);
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parseResponse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  assert.ok(split > 0, `no complete response in ${JSON.stringify(text)}`);
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) };
}

function assertAwsJsonError(res: RawResponse, status: number, code: string, what: string) {
  assert.equal(res.status, status, what);
  assert.match(res.headers['x-amzn-requestid'] ?? '', UUID, what);
  assert.equal(res.headers['x-amzn-errortype'], code, what);
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1', what);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(body.__type, code, what);
  assert.equal(typeof body.message, 'string', what);
}

describe('malformed HTTP gets AWS-shaped answers', () => {
  it('answers what Node refuses to parse with a 400 SerializationException', async () => {
    await using fx = await started();
    const cases: [string, string][] = [
      ['NUL in a header', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n'],
      ['letters in Content-Length', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ab\r\n\r\n'],
      [
        'two Content-Lengths',
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      ],
      [
        'Content-Length beside chunked',
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      ],
      ['an unknown method token', 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['no request line', 'hello\r\n\r\n'],
      ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
      [
        'a bad chunk size',
        'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n',
      ],
    ];
    for (const [what, bytes] of cases) {
      const res = parseResponse(await rawExchange(fx.port, bytes));
      assertAwsJsonError(res, 400, 'SerializationException', what);
      assert.equal(res.headers.connection, 'close', what);
    }
  });

  it('answers oversized headers with 431 and form requests in the query XML shape', async () => {
    await using fx = await started();
    const big = parseResponse(
      await rawExchange(fx.port, `GET / HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    assertAwsJsonError(big, 431, 'SerializationException', 'header overflow');

    const form = parseResponse(
      await rawExchange(
        fx.port,
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
          'Content-Length: zz\r\n\r\n',
      ),
    );
    assert.equal(form.status, 400);
    assert.equal(form.headers['content-type'], 'text/xml');
    assert.match(
      form.body,
      /^<ErrorResponse><Error><Type>Sender<\/Type><Code>SerializationException<\/Code><Message>[^<]+<\/Message>/,
    );
  });

  it('answers undecodable URLs, odd Expect values and a missing Host in AWS shape', async () => {
    await using fx = await started();
    const badUrl = parseResponse(
      await rawExchange(fx.port, 'GET /%ZZ HTTP/1.1\r\nHost: x\r\n\r\n'),
    );
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.headers['x-amzn-errortype'], 'SerializationException');
    assert.match(badUrl.headers['x-amzn-requestid'] ?? '', UUID);
    assert.equal(typeof JSON.parse(badUrl.body).message, 'string');

    const rootBadUrl = parseResponse(
      await rawExchange(fx.port, 'POST /%ZZ%ZZ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'),
    );
    assert.equal(rootBadUrl.status, 400);
    assert.equal(rootBadUrl.headers['x-amzn-errortype'], 'SerializationException');

    const expect = parseResponse(
      await rawExchange(
        fx.port,
        'POST / HTTP/1.1\r\nHost: x\r\nExpect: tea\r\nContent-Length: 0\r\n\r\n',
      ),
    );
    assertAwsJsonError(expect, 417, 'SerializationException', 'Expect: tea');

    const noHost = parseResponse(
      await rawExchange(fx.port, 'POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n'),
    );
    // Unsigned (and unsignable without a Host): the verifier answers before routing.
    assertAwsJsonError(noHost, 400, 'MissingAuthenticationTokenException', 'no Host header');
  });
});

describe('request bodies', () => {
  it('answers a body over the limit with a readable 413 while the client is still sending', async () => {
    const limit = 1024 * 1024;
    await using fx = await started({ bodyLimit: limit });
    const total = 4 * limit;
    for (const chunked of [false, true]) {
      const outcome = await new Promise<{ status?: number; body?: string; error?: string }>(
        (resolve) => {
          const headers: Record<string, string> = {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'Logs_20140328.PutLogEvents',
          };
          if (!chunked) headers['content-length'] = String(total);
          const req = http.request({ port: fx.port, method: 'POST', path: '/', headers });
          req.on('response', (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, body });
              // The answer is in: stop uploading (the test is over; the rest is not needed).
              req.destroy();
            });
          });
          req.on('error', (error) => resolve({ error: error.message }));
          // Paced writes: the client is mid-upload when the server decides.
          const chunk = Buffer.alloc(limit, 120);
          let sent = 0;
          const pump = () => {
            if (req.destroyed) return;
            if (sent >= total) return void req.end();
            sent += chunk.length;
            req.write(chunk, () => setImmediate(pump));
          };
          pump();
        },
      );
      assert.equal(outcome.error, undefined, `chunked=${chunked}`);
      assert.equal(outcome.status, 413);
      assert.deepEqual(JSON.parse(outcome.body ?? ''), {
        __type: 'RequestEntityTooLargeException',
        message: `Request body is larger than the limit of ${limit} bytes.`,
      });
    }
  });

  it('throttles a body the server-wide budget cannot hold, and recovers once it is freed', async () => {
    await using fx = await started({ bodyLimit: 10_000, bodyBudget: 1_000 });
    const headers = (length: number) =>
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n` +
      `X-Amz-Target: Logs_20140328.PutLogEvents\r\nContent-Length: ${length}\r\n\r\n`;

    // A holds the 800 of the 1,000 bytes it has sent while the rest of its body is still due.
    const holder = net.connect(fx.port, '127.0.0.1');
    await new Promise<void>((resolve) => holder.once('connect', resolve));
    let holderAnswer = '';
    const holderDone = new Promise<void>((resolve) => {
      holder.on('data', (chunk) => {
        holderAnswer += chunk.toString('utf8');
        if (holderAnswer.includes('}')) resolve();
      });
    });
    holder.write(headers(900) + '{' + ' '.repeat(799));
    // A's lease is taken once the server has read its headers; until then B may still fit.
    let json = parseResponse(await rawExchange(fx.port, headers(400) + ' '.repeat(400)));
    for (let tries = 0; json.status !== 503 && tries < 50; tries++) {
      json = parseResponse(await rawExchange(fx.port, headers(400) + ' '.repeat(400)));
    }
    assertAwsJsonError(json, 503, 'ThrottlingException', 'json over budget');
    const form = parseResponse(
      await rawExchange(
        fx.port,
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
          `Content-Length: 400\r\n\r\nAction=GetCallerIdentity&x=${'x'.repeat(373)}`,
      ),
    );
    assert.equal(form.status, 503);
    assert.match(form.body, /<Code>Throttling<\/Code>/);

    holder.write(' '.repeat(99) + '}');
    await holderDone;
    holder.destroy();
    assert.match(holderAnswer, /^HTTP\/1.1 400 /);

    const again = parseResponse(await rawExchange(fx.port, headers(400) + ' '.repeat(400)));
    assert.notEqual(again.status, 503);
    // Past the budget: the unsigned request now meets the signature check, not a 503.
    assert.match(again.body, /MissingAuthenticationTokenException/);
  });

  it('lets no one hold the budget by declaring a large body and not sending it', async () => {
    await using fx = await started({ bodyLimit: 10_000, bodyBudget: 1_000 });
    const request = (length: number) =>
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n` +
      `X-Amz-Target: Logs_20140328.PutLogEvents\r\nContent-Length: ${length}\r\n\r\n`;
    const idle = net.connect(fx.port, '127.0.0.1');
    await new Promise<void>((resolve) => idle.once('connect', resolve));
    idle.write(request(900));
    try {
      for (let i = 0; i < 10; i++) {
        const res = parseResponse(await rawExchange(fx.port, request(400) + ' '.repeat(400)));
        assert.notEqual(res.status, 503, `request ${i}: ${res.body}`);
      }
    } finally {
      idle.destroy();
    }
  });

  it('gives each request’s share of the budget back when its response closes', async () => {
    await using fx = await started({ bodyLimit: 1_000, bodyBudget: 1_000 });
    for (let i = 0; i < 5; i++) {
      for (const chunked of [false, true]) {
        const res = await fx.server.inject({
          method: 'POST',
          url: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'Logs_20140328.DescribeLogGroups',
            ...(chunked ? { 'transfer-encoding': 'chunked' } : {}),
          },
          payload: `{"pad":"${'x'.repeat(600)}"}`,
        });
        assert.notEqual(res.statusCode, 503, `request ${i} chunked=${chunked}: ${res.body}`);
      }
    }
  });
});
