/**
 * EventBridge rules on the wire (awsJson1.1, `X-Amz-Target: AWSEvents.<Operation>`, signing name
 * `events`). {@link EventsService} already speaks the model's PascalCase shapes and checks every
 * constraint; this module declares each operation's member types from the `events` model, so a
 * member of the wrong JSON type is refused before the service sees it, and turns the model's
 * timestamps (event bus `CreationTime`, `LastModifiedTime`) from milliseconds into epoch seconds.
 */
import type { EventsService } from '../../events/events.service.ts';
import { OTHER_KIND_PARAMETERS } from '../../events/targets.validate.ts';
import type { JsonOperation, JsonServiceModule } from '../api.types.ts';
import { epochSecondsConverter } from '../epoch-seconds.ts';
import type { MemberShapes, Shape } from '../json-shape.check.ts';

const stringList = { list: 'string' } as const;
const tags: Shape = { list: { struct: { Key: 'string', Value: 'string' } } };

/** Members of the model typed `timestamp` (event bus `CreationTime`, `LastModifiedTime`). */
const toWire = epochSecondsConverter(['CreationTime', 'LastModifiedTime']);

/**
 * Binds an EventsService method as a handler. The service re-checks every member at run time, so
 * the cast only hands it the decoded object under its wire type.
 */
function op<I>(input: MemberShapes, call: (input: I) => Promise<unknown>): JsonOperation {
  return { input, handler: async (body) => toWire(await call(body as I)) };
}

type In<K extends keyof EventsService> = EventsService[K] extends (input: infer I) => unknown
  ? I
  : never;

/** `EcsParameters` of a target, as the model declares it. */
const ecsParameters: Shape = {
  struct: {
    TaskDefinitionArn: 'string',
    TaskCount: 'integer',
    LaunchType: 'string',
    NetworkConfiguration: {
      struct: {
        awsvpcConfiguration: {
          struct: { Subnets: stringList, SecurityGroups: stringList, AssignPublicIp: 'string' },
        },
      },
    },
    PlatformVersion: 'string',
    Group: 'string',
    // The model spells these members in camelCase, unlike the rest of EcsParameters.
    CapacityProviderStrategy: {
      list: { struct: { capacityProvider: 'string', weight: 'integer', base: 'integer' } },
    },
    EnableECSManagedTags: 'boolean',
    EnableExecuteCommand: 'boolean',
    PlacementConstraints: { list: { struct: { type: 'string', expression: 'string' } } },
    PlacementStrategy: { list: { struct: { type: 'string', field: 'string' } } },
    PropagateTags: 'string',
    ReferenceId: 'string',
    Tags: tags,
  },
};

/**
 * One `Target`. Other target kinds' parameters are structures kept as given (their members are
 * not checked here: cronbridge stores them but cannot invoke those targets).
 */
const target: Shape = {
  struct: {
    Id: 'string',
    Arn: 'string',
    RoleArn: 'string',
    Input: 'string',
    InputPath: 'string',
    InputTransformer: {
      struct: { InputPathsMap: { map: 'string' }, InputTemplate: 'string' },
    },
    EcsParameters: ecsParameters,
    RetryPolicy: {
      struct: { MaximumRetryAttempts: 'integer', MaximumEventAgeInSeconds: 'integer' },
    },
    DeadLetterConfig: { struct: { Arn: 'string' } },
    ...Object.fromEntries(OTHER_KIND_PARAMETERS.map((name) => [name, { struct: {} }])),
  },
};

/** Members of the operations that address one rule by name. */
const ruleName: MemberShapes = { Name: 'string', EventBusName: 'string' };
const page: MemberShapes = { NextToken: 'string', Limit: 'integer' };

/** The EventBridge module for `createApiServer`. */
export function eventsApi(events: EventsService): JsonServiceModule {
  return {
    protocol: 'awsJson1.1',
    signingName: 'events',
    targetPrefix: 'AWSEvents',
    errorMessageKey: 'message',
    // The model's server fault for EventBridge (aws-semantics.md §6.4).
    internalErrorCode: 'InternalException',
    operations: {
      PutRule: op<In<'putRule'>>(
        {
          Name: 'string',
          ScheduleExpression: 'string',
          EventPattern: 'string',
          State: 'string',
          Description: 'string',
          RoleArn: 'string',
          Tags: tags,
          EventBusName: 'string',
        },
        (i) => events.putRule(i),
      ),
      DescribeRule: op<In<'describeRule'>>(ruleName, (i) => events.describeRule(i)),
      ListRules: op<In<'listRules'>>(
        { NamePrefix: 'string', EventBusName: 'string', ...page },
        (i) => events.listRules(i),
      ),
      EnableRule: op<In<'enableRule'>>(ruleName, (i) => events.enableRule(i)),
      DisableRule: op<In<'disableRule'>>(ruleName, (i) => events.disableRule(i)),
      DeleteRule: op<In<'deleteRule'>>({ ...ruleName, Force: 'boolean' }, (i) =>
        events.deleteRule(i),
      ),
      PutTargets: op<In<'putTargets'>>(
        { Rule: 'string', EventBusName: 'string', Targets: { list: target } },
        (i) => events.putTargets(i),
      ),
      RemoveTargets: op<In<'removeTargets'>>(
        { Rule: 'string', EventBusName: 'string', Ids: stringList, Force: 'boolean' },
        (i) => events.removeTargets(i),
      ),
      ListTargetsByRule: op<In<'listTargetsByRule'>>(
        { Rule: 'string', EventBusName: 'string', ...page },
        (i) => events.listTargetsByRule(i),
      ),
      ListRuleNamesByTarget: op<In<'listRuleNamesByTarget'>>(
        { TargetArn: 'string', EventBusName: 'string', ...page },
        (i) => events.listRuleNamesByTarget(i),
      ),
      TagResource: op<In<'tagResource'>>({ ResourceARN: 'string', Tags: tags }, (i) =>
        events.tagResource(i),
      ),
      UntagResource: op<In<'untagResource'>>({ ResourceARN: 'string', TagKeys: stringList }, (i) =>
        events.untagResource(i),
      ),
      ListTagsForResource: op<In<'listTagsForResource'>>({ ResourceARN: 'string' }, (i) =>
        events.listTagsForResource(i),
      ),
      CreateEventBus: op<In<'createEventBus'>>(
        {
          Name: 'string',
          EventSourceName: 'string',
          Description: 'string',
          KmsKeyIdentifier: 'string',
          DeadLetterConfig: { struct: { Arn: 'string' } },
          Tags: tags,
        },
        (i) => events.createEventBus(i),
      ),
      DescribeEventBus: op<In<'describeEventBus'>>({ Name: 'string' }, (i) =>
        events.describeEventBus(i),
      ),
      DeleteEventBus: op<In<'deleteEventBus'>>({ Name: 'string' }, (i) => events.deleteEventBus(i)),
      ListEventBuses: op<In<'listEventBuses'>>({ NamePrefix: 'string', ...page }, (i) =>
        events.listEventBuses(i),
      ),
    },
  };
}
