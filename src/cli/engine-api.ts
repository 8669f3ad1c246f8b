/**
 * The engine behind the AWS-compatible API: one server with every service module the engine has,
 * and `/metrics` carrying the firing counters (AWS/Events-like) beside the API's own.
 */
import { createApiServer, type ApiServer } from '../api/server.ts';
import type { ApiLogger } from '../api/api.types.ts';
import { ecsApi } from '../api/services/ecs.api.ts';
import { logsApi } from '../api/services/logs.api.ts';
import { stsApi } from '../api/services/sts.api.ts';
import type { Clock } from '../platform/clock.ts';
import type { AwsContext } from '../platform/ids.ts';
import type { Engine } from './engine.ts';

export function createEngineApi(
  engine: Engine,
  options: { context: AwsContext; clock: Clock; logger?: ApiLogger },
): ApiServer {
  const server = createApiServer({
    services: [logsApi(engine.logs), ecsApi(engine.ecs), stsApi()],
    context: options.context,
    clock: options.clock,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  server.registerMetricsSource(() => engine.metrics.metricsText());
  return server;
}
