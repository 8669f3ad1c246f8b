/**
 * The AWS-compatible HTTP API: one server on one port (default 127.0.0.1:4566, like LocalStack)
 * carrying every registered service. On `POST|GET /`, `X-Amz-Target` means awsJson and a form
 * body (or `?Action=…`) the query protocol or its ec2 dialect; any other path is looked up in the
 * restJson1 route table; `/metrics` and `/health` serve operators. Every protocol runs the one
 * authorizer before a handler (authorizer.ts).
 *
 * Bodies are read as raw text whatever their content type and decoded by the protocol modules, so
 * that every failure has AWS's shape; the server library's own error and 404 shapes never reach a
 * client. Every response carries `x-amzn-RequestId`.
 */
import type { IncomingMessage } from 'node:http';

import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type InjectOptions,
  type LightMyRequestResponse,
} from 'fastify';

import type { Clock } from '../platform/clock.ts';
import { uuid, type AwsContext } from '../platform/ids.ts';
import { RequestEntityTooLargeException, UnknownOperationException } from './api.errors.ts';
import { ApiMetrics, type MetricsSource } from './api.metrics.ts';
import type { ApiLogger, RequestContext, ServiceModule } from './api.types.ts';
import { encodeJsonError } from './api-errors.serialize.ts';
import { allowAll, type Authorizer } from './authorizer.ts';
import { DEFAULT_ROOT_KEY, rootCredentials, type CredentialLookup } from './credentials.ports.ts';
import { dispatchJson } from './aws-json.protocol.ts';
import {
  BodyBudget,
  BodyLease,
  DEFAULT_BODY_BUDGET,
  DEFAULT_BODY_LIMIT,
  readBodyBytes,
} from './body-reader.ts';
import type { DispatchResult } from './dispatch.ts';
import {
  answerClientError,
  answerExpectation,
  encodeEdgeError,
  throttlingError,
  translateLibraryError,
} from './http-edge.errors.ts';
import { header, isForm, pathOf, queryParams, queryString, send } from './http-request.ts';
import { dispatchForm, parseForm } from './query.protocol.ts';
import { requestContext } from './request-context.ts';
import { dispatchRestJson } from './rest-json.protocol.ts';
import { verifySignature } from './sigv4-verify.ts';
import { ServiceRegistry, supportedOperations, type SupportedService } from './service-registry.ts';

export interface ApiServerOptions {
  /** Service modules on this port; see `src/api/services/`. */
  services: readonly ServiceModule[];
  /** Partition, account and default region (used when a request is unsigned). */
  context: AwsContext;
  clock: Clock;
  /** Receives unexpected failures (500s) with their request id. @default stderr */
  logger?: ApiLogger;
  /** Largest accepted body. PutLogEvents allows 1 MiB of messages plus JSON overhead. @default 16 MiB */
  bodyLimit?: number;
  /**
   * Body bytes held by all requests at once; a request that would exceed it is throttled (503).
   * @default 64 MiB
   */
  bodyBudget?: number;
  /**
   * Runs before every operation of every protocol; throws a ServiceError to deny. The IAM issue
   * supplies a policy check. @default allow everything
   */
  authorize?: Authorizer;
  /**
   * Access keys whose SigV4 signatures are accepted; every API request must be signed by one.
   * `false` turns verification off (the scope is then taken on trust, as before issue 14).
   * @default the root key `test`/`test` of `context`'s account
   */
  credentials?: CredentialLookup | false;
  /**
   * The clock that signature times and presigned expiries are checked against (±15 minutes).
   * Clients sign with wall-clock time, so a server whose `clock` is simulated (a test's
   * ManualClock) passes a real one here. @default `clock`
   */
  signatureClock?: Clock;
}

export interface ListenOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 4566 */
  port?: number;
}

/** Where a started server listens. */
export interface ApiAddress {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, ready to use as an SDK or CLI endpoint. */
  readonly url: string;
}

export interface ApiServer extends AsyncDisposable {
  /** Starts listening; calling it again returns the same address. */
  start(options?: ListenOptions): Promise<ApiAddress>;
  /** Stops listening and closes open connections; idempotent. */
  stop(): Promise<void>;
  /** Runs a request in-process without a socket (tests). */
  inject(request: InjectOptions): Promise<LightMyRequestResponse>;
  /** Adds Prometheus text to `/metrics` (firing loop, task counts); returns a remover. */
  registerMetricsSource(source: MetricsSource): () => void;
  /** Registered services and their operations, for docs and `/health`. */
  supportedOperations(): SupportedService[];
  readonly address: ApiAddress | undefined;
}

const HEALTH_PATHS = ['/health', '/_cronbridge/health'];
/** What the server answers itself; restJson1 routes that these would shadow are refused. */
const RESERVED = [
  { method: 'GET', path: '/' },
  { method: 'POST', path: '/' },
  ...HEALTH_PATHS.map((path) => ({ method: 'GET', path })),
  { method: 'GET', path: '/metrics' },
];
/**
 * Methods restJson1 routes may use. fastify adds HEAD beside GET on its own; no restJson1 operation
 * declares HEAD, so such requests get the table's 405 or 404.
 */
const REST_METHODS = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'];

const stderrLogger: ApiLogger = {
  error: (message, detail) => console.error(`[cronbridge api] ${message}`, detail ?? ''),
};

/** Builds the server; nothing listens until {@link ApiServer.start}. */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const registry = new ServiceRegistry(options.services, RESERVED);
  const env = { registry, authorize: options.authorize ?? allowAll };
  const metrics = new ApiMetrics();
  const logger = options.logger ?? stderrLogger;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const budget = new BodyBudget(options.bodyBudget ?? DEFAULT_BODY_BUDGET);
  const labels = new WeakMap<FastifyRequest, { service: string; operation: string }>();
  const leases = new WeakMap<FastifyRequest, BodyLease>();
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();

  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit,
    genReqId: () => uuid(),
    // A client-sent request id must not become ours: AWS always mints its own.
    requestIdHeader: false,
    forceCloseConnections: true,
    // Malformed HTTP and undecodable URLs get AWS's shape too (http-edge.errors.ts).
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, req, reply) => edgeError(error, req, reply),
    // Without a Host header Node would answer 400 itself, outside fastify; nothing here uses it.
    http: { requireHostHeader: false },
  });
  app.server.on('checkExpectation', answerExpectation);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', async (req: FastifyRequest, payload: IncomingMessage) => {
    // onRequest (below) has always leased by now; the fallback only keeps the types honest.
    const bytes = await readBodyBytes(payload, leases.get(req) ?? new BodyLease(budget), {
      limit: bodyLimit,
      tooLarge: () => new RequestEntityTooLargeException(bodyLimit),
      throttled: () => throttlingError(isForm(req)),
    });
    // Signature verification hashes the bytes as received; the protocols read the text.
    rawBodies.set(req, bytes);
    return bytes.toString('utf8');
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-amzn-RequestId', req.id);
    // The server's own time, as AWS sends it: SDKs correct their clock skew from this header.
    reply.header('date', new Date((options.signatureClock ?? options.clock).now()).toUTCString());
    // The request's share of the body budget goes back when its response closes: finished or
    // the connection dropped, whichever comes first.
    const lease = new BodyLease(budget);
    leases.set(req, lease);
    reply.raw.once('close', () => lease.release());
  });
  app.addHook('onResponse', async (req, reply) => {
    const label = labels.get(req);
    if (label) {
      metrics.observe(label.service, label.operation, reply.statusCode, reply.elapsedTime / 1000);
    }
  });

  const credentials =
    options.credentials === undefined
      ? rootCredentials(DEFAULT_ROOT_KEY, options.context)
      : options.credentials;

  // Every API request is verified before dispatch; the ops endpoints below never get here.
  const contextOf = async (req: FastifyRequest): Promise<RequestContext> => {
    const body = rawBodies.get(req) ?? (typeof req.body === 'string' ? req.body : '');
    const verification = credentials
      ? await verifySignature(
          {
            method: req.method,
            path: pathOf(req),
            query: queryString(req),
            headers: req.headers,
            body,
          },
          credentials,
          options.signatureClock ?? options.clock,
        )
      : undefined;
    return requestContext({
      requestId: req.id,
      authorization: header(req, 'authorization'),
      credentialParam: queryParams(req)['X-Amz-Credential'],
      defaults: options.context,
      ...(verification ? { verification } : {}),
    });
  };

  const finish = (req: FastifyRequest, reply: FastifyReply, result: DispatchResult) => {
    labels.set(req, { service: result.service, operation: result.operation });
    if (result.unexpected !== undefined) {
      logger.error(`unexpected failure in ${result.service}.${result.operation}`, {
        requestId: req.id,
        error: result.unexpected,
      });
    }
    return send(reply, result.response);
  };

  const notFound = async (req: FastifyRequest, reply: FastifyReply) => {
    const error = new UnknownOperationException(`No API is served at ${req.method} ${req.url}.`);
    labels.set(req, { service: 'unknown', operation: 'unknown' });
    return send(reply, { ...encodeJsonError(error), status: 404 });
  };

  app.route({
    method: ['GET', 'POST'],
    url: '/',
    handler: async (req, reply) => {
      const ctx = await contextOf(req);
      const body = typeof req.body === 'string' ? req.body : '';
      const target = header(req, 'x-amz-target');
      const query = queryParams(req);
      let result: DispatchResult;
      if (target !== undefined) {
        result = await dispatchJson(env, target, body, ctx);
      } else if (req.method === 'GET' || isForm(req) || query.Action !== undefined) {
        // Query or its ec2 dialect: the module found by signing name / Version picks the codec.
        const params = { ...query, ...(isForm(req) ? parseForm(body) : {}) };
        result = await dispatchForm(env, params, ctx);
      } else {
        // A JSON POST without X-Amz-Target names no operation.
        result = await dispatchJson(env, undefined, body, ctx);
      }
      return finish(req, reply, result);
    },
  });

  // Every other path: the restJson1 route table, else the AWS-shaped 404.
  app.route({
    method: REST_METHODS,
    url: '/*',
    handler: async (req, reply) => {
      const result = await dispatchRestJson(
        env,
        {
          method: req.method,
          path: pathOf(req),
          query: queryString(req),
          headers: req.headers,
          body: typeof req.body === 'string' ? req.body : '',
        },
        await contextOf(req),
      );
      return result ? finish(req, reply, result) : notFound(req, reply);
    },
  });

  const health = async () => ({
    status: 'ok',
    time: new Date(options.clock.now()).toISOString(),
    services: supportedOperations(options.services).map((s) => ({
      service: s.service,
      protocol: s.protocol,
      operations: s.operations.length,
    })),
  });
  for (const path of HEALTH_PATHS) app.get(path, health);

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.contentType);
    return metrics.render();
  });

  app.setNotFoundHandler(notFound);

  // Failures inside the server library (body too large, bad Content-Length) get AWS's shape too.
  const edgeError = (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const serviceError = translateLibraryError(error, bodyLimit);
    labels.set(req, { service: 'unknown', operation: 'unknown' });
    if (serviceError.fault === 'server') {
      logger.error('unexpected failure in the HTTP layer', { requestId: req.id, error });
    }
    // fastify closes the connection after any body failure; with a client still sending, that
    // resets the socket before the answer is read. The body reader drains what is left (and cuts
    // a client that sends far too much), so the connection can stay open like any other.
    if (serviceError instanceof RequestEntityTooLargeException || serviceError.httpStatus === 503) {
      reply.removeHeader('connection');
    }
    const wire = encodeEdgeError(serviceError, {
      requestId: req.id,
      form: isForm(req),
      path: pathOf(req),
    });
    return send(reply, wire);
  };
  app.setErrorHandler(async (error: FastifyError, req, reply) => edgeError(error, req, reply));

  let starting: Promise<ApiAddress> | undefined;
  let stopping: Promise<void> | undefined;
  let address: ApiAddress | undefined;

  const stop = (): Promise<void> => {
    stopping ??= app.close().then(() => {
      address = undefined;
    });
    return stopping;
  };

  return {
    start(listen: ListenOptions = {}) {
      if (stopping) return Promise.reject(new Error('the API server was stopped'));
      starting ??= (async () => {
        const host = listen.host ?? '127.0.0.1';
        await app.listen({ host, port: listen.port ?? 4566 });
        const bound = app.server.address();
        const port = typeof bound === 'object' && bound ? bound.port : (listen.port ?? 4566);
        const urlHost = host.includes(':') ? `[${host}]` : host;
        address = { host, port, url: `http://${urlHost}:${port}` };
        return address;
      })();
      return starting;
    },
    stop,
    [Symbol.asyncDispose]: stop,
    inject: (request) => app.inject(request),
    registerMetricsSource: (source) => metrics.registerSource(source),
    supportedOperations: () => supportedOperations(options.services),
    get address() {
      return address;
    },
  };
}
