/**
 * Property-based fuzzing of every served operation (issue 12). The operations come from the
 * modules `cronbridge up` registers (`engineApiServices`), so a new operation is fuzzed without a
 * change here. Requests are built from each operation's member names with random JSON values of
 * random types and nesting, plus malformed JSON, odd encodings, odd headers and targets, and form
 * bodies. For every answer:
 *
 * - no 5xx, except the deliberate 503 throttle of the body budget;
 * - every error is AWS-shaped: `__type` (or `x-amzn-ErrorType` for restJson1) or the query
 *   `<Code>`, a message, the protocol's content type and a request id;
 * - a rejected request changes nothing: every table's row count and content hash are the same
 *   before and after it.
 *
 * Bounded for CI: a fixed seed and a few hundred runs per property. `FUZZ_RUNS=<n>` scales every
 * property, `FUZZ_SEED=<n>` explores elsewhere; a failure prints the seed to replay. Generators
 * live in api-fuzz.requests.test-support.ts, the checks in api-fuzz.checks.test-support.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import fc from 'fast-check';

import { engineApiServices } from '../engine/engine-api.ts';
import { startTestEngine, type TestEngine } from '../engine/engine.fixture.ts';
import { ManualClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { shapeHeadersProblem, shapeProblem, snapshot } from './api-fuzz.checks.test-support.ts';
import {
  formActions,
  formRequests,
  jsonOperations,
  malformedBodies,
  memberRequests,
  oddHeaders,
  type FuzzRequest,
  type JsonOperationRef,
} from './api-fuzz.requests.test-support.ts';
import { T0 } from './api.test-support.ts';
import { createApiServer, type ApiServer } from './server.ts';
import { signingServer } from './signing.test-support.ts';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261203);

interface Violation {
  readonly request: FuzzRequest;
  readonly status: number;
  readonly problem: string;
  readonly body: string;
}

/** What was sent and found, across every property of this file. */
const tally = { requests: 0, serverErrors: 0, throttled: 0, violations: [] as Violation[] };

// ---- the suite -------------------------------------------------------------------------------

describe('API fuzzing (every served operation)', () => {
  let fx: TestEngine;
  let server: ApiServer;
  let ops: JsonOperationRef[];
  let actions: { version: string; action: string }[];

  before(async () => {
    fx = await startTestEngine({ runtime: 'memory', clock: new ManualClock(T0), withApi: false });
    const services = engineApiServices(fx.engine);
    // Every request is signed with the test key so that it reaches the handlers; a fuzzed
    // `authorization` header is sent as generated and meets the verifier instead.
    server = signingServer(
      createApiServer({
        services,
        context: DEFAULT_CONTEXT,
        clock: fx.clock,
        // Unexpected failures show up as 5xx below; the log would only repeat them.
        logger: { error: () => undefined },
      }),
      services,
      fx.clock,
    );
    ops = jsonOperations(services);
    actions = formActions(services);
    assert.ok(ops.length > 40, `only ${ops.length} awsJson operations found`);
    await seed(server);
  });

  after(async () => {
    await server?.stop();
    await fx?.close();
  });

  async function send(request: FuzzRequest): Promise<void> {
    const before = snapshot(fx.store);
    const res = await server.inject({
      method: request.method as 'POST',
      url: request.url,
      headers: request.headers,
      payload: request.payload,
    });
    // Let work a success started in the background settle before the next snapshot.
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    tally.requests++;
    const status = res.statusCode;
    const record = (problem: string) =>
      tally.violations.push({ request, status, problem, body: res.body.slice(0, 300) });
    if (status >= 500) {
      const throttled = status === 503 && /Throttling/.test(res.body);
      if (throttled) tally.throttled++;
      else {
        tally.serverErrors++;
        record(`status ${status}`);
      }
    }
    if (status >= 400) {
      // A HEAD answer may carry no body by definition; its headers are still checked.
      const headOnly = request.method === 'HEAD' && res.body === '';
      const problem = headOnly
        ? shapeHeadersProblem(res.headers)
        : shapeProblem(status, res.headers, res.body);
      if (problem) record(problem);
      const afterwards = snapshot(fx.store);
      if (afterwards !== before) {
        record(`state changed by a rejected request: ${before} → ${afterwards}`);
      }
    }
  }

  const property = (arb: () => fc.Arbitrary<FuzzRequest>, runs: number) => () =>
    fc.assert(
      fc.asyncProperty(arb(), async (request) => {
        await send(request);
      }),
      { seed: SEED, numRuns: runs },
    );

  it(
    'requests built from every operation’s members',
    property(() => memberRequests(ops), RUNS * 6),
  );
  it(
    'malformed JSON and odd encodings',
    property(() => malformedBodies(ops), RUNS * 2),
  );
  it(
    'odd headers, targets, methods and paths',
    property(() => oddHeaders(ops), RUNS * 2),
  );
  it(
    'form (query protocol) bodies',
    property(() => formRequests(actions), RUNS),
  );

  it('found no 5xx, no unshaped error and no change from a rejected request', (t) => {
    t.diagnostic(
      `fuzzed ${tally.requests} requests (seed ${SEED}): ${tally.serverErrors} 5xx, ` +
        `${tally.throttled} throttled, ` +
        `${tally.violations.length} violations`,
    );
    const examples = tally.violations
      .slice(0, 8)
      .map(
        (v) =>
          `${v.problem} ← ${v.request.label} ${JSON.stringify(String(v.request.payload)).slice(0, 200)} → ${v.body}`,
      );
    assert.equal(tally.violations.length, 0, examples.join('\n'));
    assert.ok(tally.requests >= RUNS * 11, 'every property ran');
  });
});

/** A few real resources, so random requests reach existing state as well as missing state. */
async function seed(server: ApiServer): Promise<void> {
  const calls: [string, unknown][] = [
    ['Logs_20140328.CreateLogGroup', { logGroupName: '/fuzz/group' }],
    [
      'Logs_20140328.CreateLogStream',
      { logGroupName: '/fuzz/group', logStreamName: 'fuzz-stream' },
    ],
    ['AmazonEC2ContainerServiceV20141113.CreateCluster', { clusterName: 'fuzz-cluster' }],
    [
      'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition',
      {
        family: 'fuzz-family',
        containerDefinitions: [{ name: 'app', image: 'busybox', memory: 128, command: ['true'] }],
      },
    ],
    [
      'AWSEvents.PutRule',
      { Name: 'fuzz-rule', ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' },
    ],
  ];
  for (const [target, body] of calls) {
    const res = await server.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      payload: JSON.stringify(body),
    });
    assert.equal(res.statusCode, 200, `${target}: ${res.body}`);
  }
}
