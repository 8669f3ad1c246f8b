/**
 * Event bus operations. The `default` bus always exists and is never stored; custom buses hold
 * pattern rules only (ScheduleExpression is refused off the default bus), so they never fire.
 */
import { ValidationException } from '../platform/errors.ts';
import { isArnOf } from '../platform/ids.ts';
import { tagMapOfKeyValues } from '../platform/tags.ts';
import { ResourceAlreadyExistsException, busNotFound } from './events.errors.ts';
import { busArn, decodeToken, encodeToken, type EventsDeps } from './events.model.ts';
import {
  type CreateEventBusInput,
  type CreateEventBusOutput,
  DEFAULT_BUS,
  type DeleteEventBusInput,
  type DescribeEventBusInput,
  type EmptyOutput,
  type EventBusSummary,
  type ListEventBusesInput,
  type ListEventBusesOutput,
} from './events.types.ts';
import {
  BUS_NAME_OR_ARN_PATTERN,
  BUS_NAME_PATTERN,
  checkLimit,
  checkString,
  checkTags,
  Violations,
} from './events.validate.ts';

export async function createEventBus(
  deps: EventsDeps,
  input: CreateEventBusInput,
): Promise<CreateEventBusOutput> {
  const v = new Violations();
  const name = checkNameMember(v, input.Name);
  const description = checkString(v, input.Description, 'description', { max: 512 });
  const tags = checkTags(v, input.Tags, 'tags');
  v.throwIfAny();
  if (name.includes('/') || name.startsWith('aws.')) {
    // Such names belong to partner event sources, which cronbridge does not have (our wording).
    throw new ValidationException(`Event bus name ${name} is reserved for partner event sources.`);
  }
  const arn = busArn(deps.context, name);
  await deps.store.transaction(async (trx) => {
    const existing = await trx
      .selectFrom('events_buses')
      .select('name')
      .where('region', '=', deps.context.region)
      .where('name', '=', name)
      .executeTakeFirst();
    // LocalStack's wording; AWS's exact text is unconfirmed.
    if (existing || name === DEFAULT_BUS) {
      throw new ResourceAlreadyExistsException(`Event bus ${name} already exists.`);
    }
    await trx
      .insertInto('events_buses')
      .values({
        region: deps.context.region,
        name,
        arn,
        description: description ?? null,
        tags: JSON.stringify(tagMapOfKeyValues(tags)),
        created_ms: deps.clock.now(),
      })
      .execute();
  });
  const out: CreateEventBusOutput = { EventBusArn: arn };
  if (description !== undefined) out.Description = description;
  return out;
}

/** The request region's buses, its default one first, as `{Name, Arn, Description?}`. */
async function allBuses(deps: EventsDeps): Promise<EventBusSummary[]> {
  // A `default` row exists only to hold the default bus's tags.
  const rows = await deps.store.db
    .selectFrom('events_buses')
    .selectAll()
    .where('region', '=', deps.context.region)
    .where('name', '!=', DEFAULT_BUS)
    .orderBy('name')
    .execute();
  const out: EventBusSummary[] = [{ Name: DEFAULT_BUS, Arn: busArn(deps.context, DEFAULT_BUS) }];
  for (const row of rows) {
    const bus: EventBusSummary = { Name: row.name, Arn: row.arn };
    if (row.description != null) bus.Description = row.description;
    const created = Number(row.created_ms);
    bus.CreationTime = created;
    bus.LastModifiedTime = created;
    out.push(bus);
  }
  return out;
}

export async function describeEventBus(
  deps: EventsDeps,
  input: DescribeEventBusInput,
): Promise<EventBusSummary> {
  const v = new Violations();
  const given = checkString(v, input.Name, 'name', {
    min: 1,
    max: 1600,
    pattern: BUS_NAME_OR_ARN_PATTERN,
  });
  v.throwIfAny();
  const marker = ':event-bus/';
  const name =
    given === undefined
      ? DEFAULT_BUS
      : given.startsWith('arn:')
        ? given.slice(given.indexOf(marker) + marker.length)
        : given;
  // Another region's (or account's) bus ARN names no bus of this request's region.
  if (given?.startsWith('arn:') && !isArnOf(deps.context, given)) throw busNotFound(name);
  const bus = (await allBuses(deps)).find((b) => b.Name === name);
  if (!bus) throw busNotFound(name);
  return bus;
}

/**
 * DeleteEventBus. The default bus cannot be deleted (our wording). A missing bus is not an
 * error, and the bus's rules and targets go with it (both unconfirmed; AWS's docs ask callers to
 * delete the rules first).
 */
export async function deleteEventBus(
  deps: EventsDeps,
  input: DeleteEventBusInput,
  changes: string[],
): Promise<EmptyOutput> {
  const v = new Violations();
  const name = checkNameMember(v, input.Name);
  v.throwIfAny();
  if (name === DEFAULT_BUS) throw new ValidationException('Cannot delete event bus default.');
  const removed = await deps.store.transaction(async (trx) => {
    const rules = await trx
      .selectFrom('events_rules')
      .select('arn')
      .where('region', '=', deps.context.region)
      .where('bus_name', '=', name)
      .execute();
    const arns = rules.map((r) => r.arn);
    if (arns.length > 0) {
      await trx.deleteFrom('events_targets').where('rule_arn', 'in', arns).execute();
      await trx.deleteFrom('events_rules').where('arn', 'in', arns).execute();
    }
    await trx
      .deleteFrom('events_buses')
      .where('region', '=', deps.context.region)
      .where('name', '=', name)
      .execute();
    return arns;
  });
  changes.push(...removed);
  return {};
}

export async function listEventBuses(
  deps: EventsDeps,
  input: ListEventBusesInput,
): Promise<ListEventBusesOutput> {
  const v = new Violations();
  const prefix = checkString(v, input.NamePrefix, 'namePrefix', {
    min: 1,
    max: 256,
    pattern: BUS_NAME_PATTERN,
  });
  const limit = checkLimit(v, input.Limit) ?? 100;
  v.throwIfAny();
  const after = decodeToken(deps.pageTokens, 'ListEventBuses', input.NextToken, 'number');
  const buses = (await allBuses(deps)).filter(
    (b) => prefix === undefined || b.Name.startsWith(prefix),
  );
  const offset = after ?? 0;
  const page = buses.slice(offset, offset + limit);
  const out: ListEventBusesOutput = { EventBuses: page };
  if (offset + limit < buses.length) {
    out.NextToken = encodeToken(deps.pageTokens, 'ListEventBuses', offset + limit);
  }
  return out;
}

/** The `Name` member of CreateEventBus and DeleteEventBus: a bus name, never an ARN. */
function checkNameMember(v: Violations, value: unknown): string {
  return (
    checkString(v, value, 'name', {
      required: true,
      min: 1,
      max: 256,
      pattern: BUS_NAME_PATTERN,
    }) ?? ''
  );
}
