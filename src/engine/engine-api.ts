/**
 * The engine behind the AWS-compatible API: one server with every service module the engine has,
 * and `/metrics` carrying the firing counters (AWS/Events-like) beside the API's own.
 */
import {
  chainCredentials,
  type CredentialLookup,
  DEFAULT_ROOT_KEY,
  rootCredentials,
} from '../api/credentials.ports.ts';
import { iamUserCredentials } from './iam-user-credentials.ts';
import { stsSessionCredentials } from './sts-session-credentials.ts';
import { createApiServer, type ApiServer } from '../api/server.ts';
import type { ApiLogger, ServiceModule } from '../api/api.types.ts';
import { cronbridgeApi } from '../api/services/cronbridge.api.ts';
import { ec2Api } from '../api/services/ec2.api.ts';
import { ecsApi } from '../api/services/ecs.api.ts';
import { eventsApi } from '../api/services/events.api.ts';
import { iamApi } from '../api/services/iam.api.ts';
import { logsApi } from '../api/services/logs.api.ts';
import { stsApi } from '../api/services/sts.api.ts';
import type { Clock } from '../platform/clock.ts';
import type { AwsContext } from '../platform/ids.ts';
import { engineCallMetrics } from './engine-call-metrics.ts';
import type { Engine } from './engine.ts';
import { taskCountMetrics } from './task-metrics.ts';

/**
 * Every service module the engine serves. The README's supported-operations table is generated
 * from this list (scripts/gen-readme-ops.ts), so a module added here shows up there too.
 */
export function engineApiServices(engine: Engine): ServiceModule[] {
  return [
    logsApi(engine.logs),
    ecsApi(engine.ecs),
    eventsApi(engine.events),
    stsApi(engine.iam.sessions),
    iamApi(engine.iam),
    ec2Api(engine.ec2),
    cronbridgeApi({
      history: engine.history,
      rules: engine.events,
      firing: engine.firing,
      pageTokens: engine.pageTokens,
    }),
  ];
}

export function createEngineApi(
  engine: Engine,
  options: {
    context: AwsContext;
    clock: Clock;
    logger?: ApiLogger;
    /**
     * The root key (see `ApiServerOptions.credentials`); IAM users' active access keys are
     * accepted after it. @default root test/test
     */
    credentials?: CredentialLookup;
    /** See `ApiServerOptions.signatureClock`. @default `clock` */
    signatureClock?: Clock;
  },
): ApiServer {
  const server = createApiServer({
    services: engineApiServices(engine),
    context: options.context,
    clock: options.clock,
    ...(options.logger ? { logger: options.logger } : {}),
    credentials: chainCredentials(
      options.credentials ?? rootCredentials(DEFAULT_ROOT_KEY, options.context),
      iamUserCredentials(engine.iam, options.context.accountId),
      stsSessionCredentials(engine.iam, options.context.accountId),
    ),
    ...(options.signatureClock ? { signatureClock: options.signatureClock } : {}),
  });
  server.registerMetricsSource(() => engine.metrics.metricsText());
  server.registerMetricsSource(() => taskCountMetrics(engine.ecs));
  server.registerMetricsSource(() => engineCallMetrics(engine.engineCalls));
  return server;
}
