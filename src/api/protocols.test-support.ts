/**
 * Small stand-in services for the protocol tests: an ec2-dialect module shaped like the EC2 VPC
 * subset and a restJson1 module shaped like EventBridge Scheduler. Each records the calls its
 * handlers received, so a test can tell that a handler did (or did not) run.
 */
import { ManualClock } from '../platform/clock.ts';
import { ServiceError } from '../platform/errors.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import type {
  ApiLogger,
  Ec2ServiceModule,
  JsonServiceModule,
  RequestContext,
  RestJsonServiceModule,
  ServiceModule,
} from './api.types.ts';
import type { Authorizer } from './authorizer.ts';
import { createApiServer, type ApiServer } from './server.ts';
import { signingServer, type SignedInjectOptions } from './signing.test-support.ts';
import { stsApi } from './services/sts.api.ts';

/** One recorded handler call. */
export interface Call {
  readonly operation: string;
  readonly input: unknown;
  readonly ctx: RequestContext;
}

/** A fake EC2: CreateVpc, DescribeVpcs (with `vpcSet`/`tagSet` lists) and a failing DeleteVpc. */
export function fakeEc2(calls: Call[]): Ec2ServiceModule {
  return {
    protocol: 'ec2',
    signingName: 'ec2',
    version: '2016-11-15',
    xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    operations: {
      CreateVpc: {
        handler: async (params, ctx) => {
          calls.push({ operation: 'CreateVpc', input: params, ctx });
          return {
            vpc: { vpcId: 'vpc-0123456789abcdef0', state: 'pending', cidrBlock: params.CidrBlock },
          };
        },
      },
      DescribeVpcs: {
        handler: async (params, ctx) => {
          calls.push({ operation: 'DescribeVpcs', input: params, ctx });
          return {
            vpcSet: [
              {
                vpcId: 'vpc-1',
                isDefault: false,
                tagSet: [{ key: 'Name', value: 'a&b' }],
              },
              { vpcId: 'vpc-2', isDefault: true, tagSet: [] },
            ],
          };
        },
      },
      DeleteVpc: {
        handler: async (params, ctx) => {
          calls.push({ operation: 'DeleteVpc', input: params, ctx });
          throw new ServiceError(
            'InvalidVpcID.NotFound',
            `The vpc ID '${params.VpcId}' does not exist`,
          );
        },
      },
      Crash: {
        handler: async () => {
          throw new RangeError('internal detail');
        },
      },
    },
  };
}

/** A fake Scheduler: schedules by name, a greedy-label route, a 201 and a header binding. */
export function fakeScheduler(calls: Call[]): RestJsonServiceModule {
  const record =
    (operation: string) => async (input: Record<string, unknown>, ctx: RequestContext) => {
      calls.push({ operation, input, ctx });
      return { operation, input };
    };
  return {
    protocol: 'restJson1',
    signingName: 'scheduler',
    errorMessageKey: 'Message',
    operations: {
      CreateSchedule: {
        http: { method: 'POST', uri: '/schedules/{Name}' },
        body: { ScheduleExpression: 'string', FlexibleTimeWindow: { struct: { Mode: 'string' } } },
        headers: { 'X-Amz-Client-Token': 'ClientToken' },
        handler: record('CreateSchedule'),
      },
      GetSchedule: {
        http: { method: 'GET', uri: '/schedules/{Name}' },
        query: { groupName: 'GroupName' },
        handler: async (input, ctx) => {
          calls.push({ operation: 'GetSchedule', input, ctx });
          throw new ServiceError(
            'ResourceNotFoundException',
            `Schedule ${String(input.Name)} does not exist.`,
            { httpStatus: 404 },
          );
        },
      },
      DeleteSchedule: {
        http: { method: 'DELETE', uri: '/schedules/{Name}' },
        query: { groupName: 'GroupName', clientToken: 'ClientToken' },
        handler: record('DeleteSchedule'),
      },
      ListSchedules: {
        http: { method: 'GET', uri: '/schedules' },
        query: {
          NamePrefix: 'NamePrefix',
          MaxResults: { member: 'MaxResults', type: 'integer' },
          TagKeys: { member: 'TagKeys', type: 'list' },
          Deep: { member: 'Deep', type: 'boolean' },
        },
        handler: record('ListSchedules'),
      },
      ListAll: {
        http: { method: 'GET', uri: '/schedules/all' },
        handler: record('ListAll'),
      },
      GetObject: {
        http: { method: 'GET', uri: '/objects/{Key+}' },
        handler: record('GetObject'),
      },
      GetObjectAcl: {
        http: { method: 'GET', uri: '/objects/{Key+}/acl' },
        handler: record('GetObjectAcl'),
      },
      CreateGroup: {
        http: { method: 'PUT', uri: '/schedule-groups/{Name}', code: 201 },
        handler: record('CreateGroup'),
      },
      Crash: {
        http: { method: 'POST', uri: '/crash' },
        handler: async () => {
          throw new RangeError('internal detail');
        },
      },
    },
  };
}

/** A fake awsJson service, for the authorizer tests. */
export function fakeJson(calls: Call[]): JsonServiceModule {
  return {
    protocol: 'awsJson1.1',
    signingName: 'fake',
    targetPrefix: 'Fake_20260101',
    operations: {
      Ping: {
        handler: async (input, ctx) => {
          calls.push({ operation: 'Ping', input, ctx });
          return {};
        },
      },
    },
  };
}

/** A server with the fakes (plus the real STS module), capturing unexpected failures. */
export function protocolServer(options: { authorize?: Authorizer; extra?: ServiceModule[] } = {}): {
  server: ApiServer & { inject(request: SignedInjectOptions): ReturnType<ApiServer['inject']> };
  calls: Call[];
  logged: string[];
} {
  const calls: Call[] = [];
  const logged: string[] = [];
  const logger: ApiLogger = { error: (message) => logged.push(message) };
  const services = [
    fakeJson(calls),
    stsApi(),
    fakeEc2(calls),
    fakeScheduler(calls),
    ...(options.extra ?? []),
  ];
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const server = createApiServer({
    services,
    context: DEFAULT_CONTEXT,
    clock,
    logger,
    ...(options.authorize ? { authorize: options.authorize } : {}),
  });
  return { server: signingServer(server, services, clock), calls, logged };
}

export { signedFor } from './signing.test-support.ts';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

/** POSTs a query/ec2 form body to `/` in-process. */
export function postForm(
  server: { inject: ApiServer['inject'] },
  payload: string,
): ReturnType<ApiServer['inject']> {
  return server.inject({ method: 'POST', url: '/', headers: FORM, payload });
}
