/**
 * TagResource, UntagResource and ListTagsForResource on rule and event bus ARNs. Tag changes do
 * not concern the firing loop, so they notify no listener.
 */
import type { Kysely } from 'kysely';

import { ValidationException } from '../platform/errors.ts';
import {
  changeTags,
  keyValuesOfTagMap,
  mergeTags,
  removeTags,
  type TagMap,
  tagMapOfKeyValues,
  type TagStorage,
} from '../platform/tags.ts';
import type { Database } from '../store/store.ts';
import { busNotFound, ruleNotFound } from './events.errors.ts';
import { busArn, type EventsDeps, findRule } from './events.model.ts';
import {
  DEFAULT_BUS,
  type EmptyOutput,
  type ListTagsForResourceInput,
  type ListTagsForResourceOutput,
  type TagResourceInput,
  type UntagResourceInput,
} from './events.types.ts';
import { checkList, checkString, checkTags, Violations } from './events.validate.ts';

type Resource = (
  { kind: 'rule'; busName: string; name: string } | { kind: 'bus'; busName: string }
) & {
  /** The request's region, where the resource must live. */
  region: string;
  /** Another account's or region's ARN: nothing this request can reach lives there. */
  foreign: boolean;
};

/**
 * Reads a rule or bus ARN of the request's account and region. Requests are regional: an ARN of
 * another region (or account) reads as "not found" here, as on AWS; text that is no events ARN at
 * all is a validation error (our wording, unconfirmed).
 */
function parseResourceArn(deps: EventsDeps, value: string): Resource {
  const m = /^arn:([\w-]+):events:([^:]*):([^:]*):(rule|event-bus)\/(.+)$/.exec(value);
  if (!m) throw new ValidationException(`Provided Arn is not in correct format: ${value}`);
  const [, partition, region, account, kind, rest = ''] = m;
  const ctx = deps.context;
  const foreign = partition !== ctx.partition || region !== ctx.region || account !== ctx.accountId;
  const at = { region: ctx.region, foreign };
  if (kind === 'event-bus') return { kind: 'bus', busName: rest, ...at };
  const slash = rest.lastIndexOf('/');
  return slash < 0
    ? { kind: 'rule', busName: DEFAULT_BUS, name: rest, ...at }
    : { kind: 'rule', busName: rest.slice(0, slash), name: rest.slice(slash + 1), ...at };
}

function notFound(resource: Resource): Error {
  return resource.kind === 'rule'
    ? ruleNotFound(resource.name, resource.busName)
    : busNotFound(resource.busName);
}

/** Current tags of the resource, or undefined when it does not exist. */
async function readTags(db: Kysely<Database>, resource: Resource): Promise<TagMap | undefined> {
  if (resource.foreign) return undefined;
  if (resource.kind === 'rule') {
    const row = await findRule(db, resource.region, resource.busName, resource.name);
    return row ? (JSON.parse(row.tags) as TagMap) : undefined;
  }
  const row = await db
    .selectFrom('events_buses')
    .select('tags')
    .where('region', '=', resource.region)
    .where('name', '=', resource.busName)
    .executeTakeFirst();
  if (row) return JSON.parse(row.tags) as TagMap;
  // The default bus always exists but only gets a row once it is tagged.
  return resource.busName === DEFAULT_BUS ? {} : undefined;
}

async function writeTags(
  deps: EventsDeps,
  db: Kysely<Database>,
  resource: Resource,
  tags: TagMap,
): Promise<void> {
  const text = JSON.stringify(tags);
  if (resource.kind === 'rule') {
    await db
      .updateTable('events_rules')
      .set({ tags: text })
      .where('region', '=', resource.region)
      .where('bus_name', '=', resource.busName)
      .where('name', '=', resource.name)
      .execute();
    return;
  }
  const result = await db
    .updateTable('events_buses')
    .set({ tags: text })
    .where('region', '=', resource.region)
    .where('name', '=', resource.busName)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    await db
      .insertInto('events_buses')
      .values({
        region: resource.region,
        name: resource.busName,
        arn: busArn(deps.context, resource.busName),
        description: null,
        tags: text,
        created_ms: deps.clock.now(),
      })
      .execute();
  }
}

/** Where a rule or bus keeps its tags (a JSON map on its row), for the shared tag helper. */
function tagStorage(deps: EventsDeps, resource: Resource): TagStorage<Kysely<Database>, TagMap> {
  return {
    read: (trx) => readTags(trx, resource),
    write: (trx, tags) => writeTags(deps, trx, resource, tags),
    notFound: () => notFound(resource),
  };
}

function checkResourceArn(v: Violations, value: unknown): string {
  return checkString(v, value, 'resourceARN', { required: true, min: 1, max: 1600 }) ?? '';
}

export async function tagResource(deps: EventsDeps, input: TagResourceInput): Promise<EmptyOutput> {
  const v = new Violations();
  const arn = checkResourceArn(v, input.ResourceARN);
  const tags = checkTags(v, input.Tags, 'tags', true) ?? [];
  v.throwIfAny();
  const resource = parseResourceArn(deps, arn);
  await changeTags(deps.store, tagStorage(deps, resource), (current) =>
    mergeTags(current, tagMapOfKeyValues(tags)),
  );
  return {};
}

export async function untagResource(
  deps: EventsDeps,
  input: UntagResourceInput,
): Promise<EmptyOutput> {
  const v = new Violations();
  const arn = checkResourceArn(v, input.ResourceARN);
  const keys = checkList(v, input.TagKeys, 'tagKeys', { required: true }) ?? [];
  keys.forEach((k, i) =>
    checkString(v, k, `tagKeys.${i + 1}.member`, { required: true, min: 1, max: 128 }),
  );
  v.throwIfAny();
  const resource = parseResourceArn(deps, arn);
  await changeTags(deps.store, tagStorage(deps, resource), (current) =>
    removeTags(current, keys as string[]),
  );
  return {};
}

export async function listTagsForResource(
  deps: EventsDeps,
  input: ListTagsForResourceInput,
): Promise<ListTagsForResourceOutput> {
  const v = new Violations();
  const arn = checkResourceArn(v, input.ResourceARN);
  v.throwIfAny();
  const resource = parseResourceArn(deps, arn);
  const current = await readTags(deps.store.db, resource);
  if (!current) throw notFound(resource);
  return { Tags: keyValuesOfTagMap(current) };
}
