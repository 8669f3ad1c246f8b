/**
 * The engine behind the AWS-compatible API: one server with every service module the engine has,
 * IAM identity policies enforced on every operation (policy-authorizer.ts, with look-ups into
 * IAM and ECS state), and `/metrics` carrying the firing counters (AWS/Events-like) beside the
 * API's own.
 */
import {
  chainCredentials,
  type CredentialLookup,
  DEFAULT_ROOT_KEY,
  rootCredentials,
} from '../api/credentials.ports.ts';
import { iamUserCredentials } from './iam-user-credentials.ts';
import type { TargetResolvers } from '../api/authorization/authorization-target.ts';
import type { Authorizer } from '../api/authorizer.ts';
import { policyAuthorizer } from '../api/policy-authorizer.ts';
import { resourceTags } from './resource-tags.ts';
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
import { ServiceError } from '../platform/errors.ts';
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

/**
 * The names AWS resolves before evaluating a request, read from the engine's current state: a
 * role's or user's ARN with its path, a task definition family's latest revision and the roles
 * a task definition runs with. Unknown names answer undefined (the target then uses the literal
 * ARN, and the operation itself reports the missing entity).
 */
export function engineTargetResolvers(engine: Engine, aws: AwsContext): TargetResolvers {
  // "Not found" (a client error) means unknown; anything else must not turn into a looser check.
  const quietly = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ServiceError && error.fault === 'client') return undefined;
      throw error;
    }
  };
  const taskDefinition = (reference: string) =>
    quietly(
      async () =>
        (await engine.ecs.describeTaskDefinition(aws, { taskDefinition: reference }))
          .taskDefinition,
    );
  return {
    roleArn: (name) => quietly(async () => (await engine.iam.roles.getRole(name)).Arn),
    userArn: (name) => quietly(async () => (await engine.iam.users.getUser(name)).Arn),
    taskDefinitionArn: async (reference) => (await taskDefinition(reference))?.taskDefinitionArn,
    // A definition carries its task and execution roles under the names TaskRoles uses.
    taskDefinitionRoles: (reference) => taskDefinition(reference),
  };
}

/** The IAM policy check the engine's API runs on every operation of a non-root caller. */
export function enginePolicyAuthorizer(
  engine: Engine,
  options: { context: AwsContext; clock: Clock },
): Authorizer {
  return policyAuthorizer({
    decider: engine.iam.authorization,
    clock: options.clock,
    resolvers: (aws) => engineTargetResolvers(engine, aws),
    resourceTags: (arn) => resourceTags(engine, arn),
  });
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
    /** @default IAM identity policies enforced ({@link enginePolicyAuthorizer}) */
    authorize?: Authorizer;
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
    authorize: options.authorize ?? enginePolicyAuthorizer(engine, options),
  });
  server.registerMetricsSource(() => engine.metrics.metricsText());
  server.registerMetricsSource(() => taskCountMetrics(engine.ecs));
  server.registerMetricsSource(() => engineCallMetrics(engine.engineCalls));
  return server;
}
