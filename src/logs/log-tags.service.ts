/**
 * Log group tags, by name (TagLogGroup/UntagLogGroup/ListTagsLogGroup: deprecated, but Terraform
 * v3 uses them) and by ARN (TagResource/UntagResource/ListTagsForResource, ARN without `:*`).
 */
import {
  changeTags,
  MAX_TAGS,
  mergeTags,
  removeTags,
  TAG_KEY_MAX_LENGTH,
  TAG_KEY_PATTERN,
} from '../platform/tags.ts';
import { logGroupNotFound } from './logs.errors.ts';
import { getGroup, logGroupArn, type LogsDeps } from './logs.model.ts';
import type {
  LogGroupNameInput,
  TagLogGroupInput,
  TagResourceInput,
  Tags,
  TagsOutput,
  UntagLogGroupInput,
  UntagResourceInput,
} from './logs.types.ts';
import { checkGroupName, checkList, checkString, checkTags, Violations } from './logs.validate.ts';

/** Applies `change` to the group's tag map inside one transaction (shared tag helper). */
async function updateTags(
  deps: LogsDeps,
  groupName: string,
  change: (tags: Tags) => Tags,
): Promise<void> {
  await changeTags(
    deps.store,
    {
      // getGroup answers a missing group with the verified message itself.
      read: async (trx) =>
        JSON.parse((await getGroup(trx, deps.context.region, groupName)).tags) as Tags,
      write: async (trx, tags) => {
        await trx
          .updateTable('logs_groups')
          .set({ tags: JSON.stringify(tags) })
          .where('region', '=', deps.context.region)
          .where('name', '=', groupName)
          .execute();
      },
      notFound: logGroupNotFound,
    },
    change,
  );
}

function checkTagKeys(v: Violations, value: unknown, path: string, min: number): string[] {
  const keys = checkList(v, value, path, { required: true, min, max: MAX_TAGS }) ?? [];
  return keys.map(
    (k, i) =>
      checkString(v, k, `${path}.${i + 1}.member`, {
        required: true,
        min: 1,
        max: TAG_KEY_MAX_LENGTH,
        pattern: TAG_KEY_PATTERN,
      }) ?? '',
  );
}

/**
 * The group named by a tagging ARN. The ARN must be the request's account's and region's log
 * group ARN without `:*`; another region's group is not found here, as on AWS.
 */
function groupFromArn(deps: LogsDeps, resourceArn: unknown): string {
  const v = new Violations();
  const value =
    checkString(v, resourceArn, 'resourceArn', { required: true, min: 1, max: 1011 }) ?? '';
  v.throwIfAny();
  const prefix = logGroupArn(deps.context, '');
  if (!value.startsWith(prefix) || value.endsWith(':*')) throw logGroupNotFound();
  return value.slice(prefix.length);
}

export async function tagLogGroup(deps: LogsDeps, input: TagLogGroupInput): Promise<void> {
  const v = new Violations();
  const name = checkGroupName(v, input.logGroupName) ?? '';
  const tags = checkTags(v, input.tags, 'tags', true) ?? {};
  v.throwIfAny();
  await updateTags(deps, name, (old) => mergeTags(old, tags));
}

export async function untagLogGroup(deps: LogsDeps, input: UntagLogGroupInput): Promise<void> {
  const v = new Violations();
  const name = checkGroupName(v, input.logGroupName) ?? '';
  const keys = checkTagKeys(v, input.tags, 'tags', 1);
  v.throwIfAny();
  await updateTags(deps, name, (old) => removeTags(old, keys));
}

export async function listTagsLogGroup(
  deps: LogsDeps,
  input: LogGroupNameInput,
): Promise<TagsOutput> {
  const v = new Violations();
  const name = checkGroupName(v, input.logGroupName) ?? '';
  v.throwIfAny();
  const group = await getGroup(deps.store.db, deps.context.region, name);
  return { tags: JSON.parse(group.tags) as Tags };
}

export async function tagResource(deps: LogsDeps, input: TagResourceInput): Promise<void> {
  const name = groupFromArn(deps, input.resourceArn);
  const v = new Violations();
  const tags = checkTags(v, input.tags, 'tags', true) ?? {};
  v.throwIfAny();
  await updateTags(deps, name, (old) => mergeTags(old, tags));
}

export async function untagResource(deps: LogsDeps, input: UntagResourceInput): Promise<void> {
  const name = groupFromArn(deps, input.resourceArn);
  const v = new Violations();
  const keys = checkTagKeys(v, input.tagKeys, 'tagKeys', 0);
  v.throwIfAny();
  await updateTags(deps, name, (old) => removeTags(old, keys));
}

export async function listTagsForResource(
  deps: LogsDeps,
  input: { resourceArn: string },
): Promise<TagsOutput> {
  const name = groupFromArn(deps, input.resourceArn);
  const group = await getGroup(deps.store.db, deps.context.region, name);
  return { tags: JSON.parse(group.tags) as Tags };
}
