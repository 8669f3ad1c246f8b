/**
 * The AWS-compatible HTTP API: one server on one port (default 127.0.0.1:4566, like LocalStack)
 * carrying every registered service. `POST /` with `X-Amz-Target` is awsJson; a form body (or a
 * `GET /?Action=…`) is the query protocol; `/metrics` and `/health` serve operators.
 *
 * Bodies are read as raw text whatever their content type and decoded by the protocol modules, so
 * that every failure has AWS's shape; the server library's own error and 404 shapes never reach a
 * client. Every response carries `x-amzn-RequestId`.
 */
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type InjectOptions,
  type LightMyRequestResponse,
} from 'fastify';

import type { Clock } from '../platform/clock.ts';
import { ServiceError } from '../platform/errors.ts';
import { uuid, type AwsContext } from '../platform/ids.ts';
import {
  RequestEntityTooLargeException,
  SerializationException,
  UnknownOperationException,
} from './api.errors.ts';
import { ApiMetrics, type MetricsSource } from './api.metrics.ts';
import type { ApiLogger, RequestContext, ServiceModule } from './api.types.ts';
import {
  encodeJsonError,
  encodeQueryError,
  toServiceError,
  type WireResponse,
} from './api-errors.serialize.ts';
import { dispatchJson, type DispatchResult } from './aws-json.protocol.ts';
import { dispatchQuery, parseForm } from './query.protocol.ts';
import { ServiceRegistry, supportedOperations, type SupportedService } from './service-registry.ts';
import { parseAuthorizationScope, parseQueryScope } from './sigv4-scope.parse.ts';

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

const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const stderrLogger: ApiLogger = {
  error: (message, detail) => console.error(`[cronbridge api] ${message}`, detail ?? ''),
};

/** Builds the server; nothing listens until {@link ApiServer.start}. */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const registry = new ServiceRegistry(options.services);
  const metrics = new ApiMetrics();
  const logger = options.logger ?? stderrLogger;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const labels = new WeakMap<FastifyRequest, { service: string; operation: string }>();

  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit,
    genReqId: () => uuid(),
    // A client-sent request id must not become ours: AWS always mints its own.
    requestIdHeader: false,
    forceCloseConnections: true,
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-amzn-RequestId', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    const label = labels.get(req);
    if (label) {
      metrics.observe(label.service, label.operation, reply.statusCode, reply.elapsedTime / 1000);
    }
  });

  const contextOf = (req: FastifyRequest): RequestContext => {
    const scope =
      parseAuthorizationScope(header(req, 'authorization')) ??
      parseQueryScope(queryParams(req)['X-Amz-Credential']);
    const region = scope && REGION.test(scope.region) ? scope.region : options.context.region;
    return {
      requestId: req.id,
      aws: { ...options.context, region },
      accessKeyId: scope?.accessKeyId,
      signingService: scope?.service,
    };
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

  app.route({
    method: ['GET', 'POST'],
    url: '/',
    handler: async (req, reply) => {
      const ctx = contextOf(req);
      const body = typeof req.body === 'string' ? req.body : '';
      const target = header(req, 'x-amz-target');
      const query = queryParams(req);
      let result: DispatchResult;
      if (target !== undefined) {
        result = await dispatchJson(registry, target, body, ctx);
      } else if (req.method === 'GET' || isForm(req) || query.Action !== undefined) {
        const params = { ...query, ...(isForm(req) ? parseForm(body) : {}) };
        result = await dispatchQuery(registry, params, ctx);
      } else {
        // A JSON POST without X-Amz-Target names no operation.
        result = await dispatchJson(registry, undefined, body, ctx);
      }
      return finish(req, reply, result);
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
  app.get('/health', health);
  app.get('/_cronbridge/health', health);

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.contentType);
    return metrics.render();
  });

  app.setNotFoundHandler(async (req, reply) => {
    const error = new UnknownOperationException(`No API is served at ${req.method} ${req.url}.`);
    labels.set(req, { service: 'unknown', operation: 'unknown' });
    return send(reply, { ...encodeJsonError(error), status: 404 });
  });

  // Failures inside the server library (body too large, bad Content-Length) get AWS's shape too.
  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    const serviceError = translateLibraryError(error, bodyLimit);
    labels.set(req, { service: 'unknown', operation: 'unknown' });
    if (serviceError.fault === 'server') {
      logger.error('unexpected failure in the HTTP layer', { requestId: req.id, error });
    }
    const wire = isForm(req)
      ? encodeQueryError(serviceError, req.id)
      : encodeJsonError(serviceError);
    return send(reply, wire);
  });

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

function send(reply: FastifyReply, wire: WireResponse): FastifyReply {
  // A Buffer keeps the content type exactly as AWS sends it (no added `; charset=utf-8`).
  return reply.code(wire.status).headers(wire.headers).send(Buffer.from(wire.body, 'utf8'));
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isForm(req: FastifyRequest): boolean {
  return (header(req, 'content-type') ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');
}

function queryParams(req: FastifyRequest): Record<string, string> {
  const at = req.url.indexOf('?');
  return at < 0 ? {} : parseForm(req.url.slice(at + 1));
}

function translateLibraryError(error: FastifyError, bodyLimit: number): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new RequestEntityTooLargeException(bodyLimit);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new SerializationException(`The request could not be read: ${error.message}`);
  }
  return toServiceError(error, 'InternalFailure');
}
