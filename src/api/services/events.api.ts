/**
 * EventBridge rules on the wire (awsJson1.1, `X-Amz-Target: AWSEvents.<Operation>`, signing name
 * `events`). {@link EventsService} already speaks the model's PascalCase shapes and checks every
 * constraint; this module types each operation's members, at every depth, by the SDK's schema of
 * the `events` model (model-shapes.ts), so a member of the wrong JSON type is refused before the
 * service sees it, and turns the model's
 * timestamps (event bus `CreationTime`, `LastModifiedTime`) from milliseconds into epoch seconds.
 */
import * as model from '@aws-sdk/client-eventbridge';

import type { EventsService } from '../../events/events.service.ts';
import type { AwsContext } from '../../platform/ids.ts';
import type { JsonOperation, JsonServiceModule } from '../api.types.ts';
import { epochSecondsConverter } from '../epoch-seconds.ts';
import { operationInput } from '../model-shapes.ts';

/** Members of the model typed `timestamp` (event bus `CreationTime`, `LastModifiedTime`). */
const toWire = epochSecondsConverter(['CreationTime', 'LastModifiedTime']);

/**
 * Binds an EventsService method as a handler. The service re-checks every member at run time, so
 * the cast only hands it the decoded object under its wire type. Every number in the inputs served
 * here is an Integer (checked against the `events` model), so no numeric kinds are named.
 */
function op<I>(
  schema: unknown,
  call: (input: I, aws: AwsContext) => Promise<unknown>,
): JsonOperation {
  return {
    input: operationInput(schema),
    // The request's region (its SigV4 scope) decides where the operation looks and writes.
    handler: async (body, ctx) => toWire(await call(body as I, ctx.aws)),
  };
}

type In<K extends keyof EventsService> = EventsService[K] extends (
  ctx: AwsContext,
  input: infer I,
) => unknown
  ? I
  : never;

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
      PutRule: op<In<'putRule'>>(model.PutRule$, (i, aws) => events.putRule(aws, i)),
      DescribeRule: op<In<'describeRule'>>(model.DescribeRule$, (i, aws) =>
        events.describeRule(aws, i),
      ),
      ListRules: op<In<'listRules'>>(model.ListRules$, (i, aws) => events.listRules(aws, i)),
      EnableRule: op<In<'enableRule'>>(model.EnableRule$, (i, aws) => events.enableRule(aws, i)),
      DisableRule: op<In<'disableRule'>>(model.DisableRule$, (i, aws) =>
        events.disableRule(aws, i),
      ),
      DeleteRule: op<In<'deleteRule'>>(model.DeleteRule$, (i, aws) => events.deleteRule(aws, i)),
      PutTargets: op<In<'putTargets'>>(model.PutTargets$, (i, aws) => events.putTargets(aws, i)),
      RemoveTargets: op<In<'removeTargets'>>(model.RemoveTargets$, (i, aws) =>
        events.removeTargets(aws, i),
      ),
      ListTargetsByRule: op<In<'listTargetsByRule'>>(model.ListTargetsByRule$, (i, aws) =>
        events.listTargetsByRule(aws, i),
      ),
      ListRuleNamesByTarget: op<In<'listRuleNamesByTarget'>>(
        model.ListRuleNamesByTarget$,
        (i, aws) => events.listRuleNamesByTarget(aws, i),
      ),
      TagResource: op<In<'tagResource'>>(model.TagResource$, (i, aws) =>
        events.tagResource(aws, i),
      ),
      UntagResource: op<In<'untagResource'>>(model.UntagResource$, (i, aws) =>
        events.untagResource(aws, i),
      ),
      ListTagsForResource: op<In<'listTagsForResource'>>(model.ListTagsForResource$, (i, aws) =>
        events.listTagsForResource(aws, i),
      ),
      CreateEventBus: op<In<'createEventBus'>>(model.CreateEventBus$, (i, aws) =>
        events.createEventBus(aws, i),
      ),
      DescribeEventBus: op<In<'describeEventBus'>>(model.DescribeEventBus$, (i, aws) =>
        events.describeEventBus(aws, i),
      ),
      DeleteEventBus: op<In<'deleteEventBus'>>(model.DeleteEventBus$, (i, aws) =>
        events.deleteEventBus(aws, i),
      ),
      ListEventBuses: op<In<'listEventBuses'>>(model.ListEventBuses$, (i, aws) =>
        events.listEventBuses(aws, i),
      ),
    },
  };
}
