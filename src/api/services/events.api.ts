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
function op<I>(schema: unknown, call: (input: I) => Promise<unknown>): JsonOperation {
  return { input: operationInput(schema), handler: async (body) => toWire(await call(body as I)) };
}

type In<K extends keyof EventsService> = EventsService[K] extends (input: infer I) => unknown
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
      PutRule: op<In<'putRule'>>(model.PutRule$, (i) => events.putRule(i)),
      DescribeRule: op<In<'describeRule'>>(model.DescribeRule$, (i) => events.describeRule(i)),
      ListRules: op<In<'listRules'>>(model.ListRules$, (i) => events.listRules(i)),
      EnableRule: op<In<'enableRule'>>(model.EnableRule$, (i) => events.enableRule(i)),
      DisableRule: op<In<'disableRule'>>(model.DisableRule$, (i) => events.disableRule(i)),
      DeleteRule: op<In<'deleteRule'>>(model.DeleteRule$, (i) => events.deleteRule(i)),
      PutTargets: op<In<'putTargets'>>(model.PutTargets$, (i) => events.putTargets(i)),
      RemoveTargets: op<In<'removeTargets'>>(model.RemoveTargets$, (i) => events.removeTargets(i)),
      ListTargetsByRule: op<In<'listTargetsByRule'>>(model.ListTargetsByRule$, (i) =>
        events.listTargetsByRule(i),
      ),
      ListRuleNamesByTarget: op<In<'listRuleNamesByTarget'>>(model.ListRuleNamesByTarget$, (i) =>
        events.listRuleNamesByTarget(i),
      ),
      TagResource: op<In<'tagResource'>>(model.TagResource$, (i) => events.tagResource(i)),
      UntagResource: op<In<'untagResource'>>(model.UntagResource$, (i) => events.untagResource(i)),
      ListTagsForResource: op<In<'listTagsForResource'>>(model.ListTagsForResource$, (i) =>
        events.listTagsForResource(i),
      ),
      CreateEventBus: op<In<'createEventBus'>>(model.CreateEventBus$, (i) =>
        events.createEventBus(i),
      ),
      DescribeEventBus: op<In<'describeEventBus'>>(model.DescribeEventBus$, (i) =>
        events.describeEventBus(i),
      ),
      DeleteEventBus: op<In<'deleteEventBus'>>(model.DeleteEventBus$, (i) =>
        events.deleteEventBus(i),
      ),
      ListEventBuses: op<In<'listEventBuses'>>(model.ListEventBuses$, (i) =>
        events.listEventBuses(i),
      ),
    },
  };
}
