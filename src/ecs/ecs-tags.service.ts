/**
 * TagResource, UntagResource and ListTagsForResource for ECS clusters, task definitions, tasks
 * and the Fargate capacity providers. Tags live inside each resource's stored document
 * (clusters, tasks) or its tag column (task definitions), so a resource and its tags are read
 * and deleted together; the built-in capacity providers have a tag row of their own. Only ARNs
 * of the caller's region and account are taggable there: another region's are not found.
 */
import type { Transaction } from 'kysely';

import type { AwsContext } from '../platform/ids.ts';
import { changeTags, removeTagList, type TagStorage } from '../platform/tags.ts';
import type { Database, Store } from '../store/store.ts';
import { BUILTIN_CAPACITY_PROVIDERS } from './cluster.validate.ts';
import { inContext } from './ecs-arns.ts';
import { MAX_TAGS, mergeTags, validateTags } from './ecs-tags.validate.ts';
import {
  ClusterNotFoundException,
  InvalidParameterException,
  ResourceNotFoundException,
} from './ecs.errors.ts';
import type { Tag } from './ecs.types.ts';

const TAGGABLE = ['cluster', 'task-definition', 'task', 'capacity-provider'] as const;
type Kind = (typeof TAGGABLE)[number];

export class EcsTags {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async listTagsForResource(
    ctx: AwsContext,
    input: { resourceArn?: string },
  ): Promise<{ tags: Tag[] }> {
    return { tags: await this.#change(ctx, input.resourceArn, undefined) };
  }

  async tagResource(
    ctx: AwsContext,
    input: { resourceArn?: string; tags?: Tag[] },
  ): Promise<Record<string, never>> {
    if (!Array.isArray(input.tags) || input.tags.length === 0) {
      throw new InvalidParameterException('Tags cannot be empty.'); // ⚠
    }
    const added = validateTags(input.tags);
    await this.#change(ctx, input.resourceArn, (tags) => {
      const merged = mergeTags(tags, added);
      if (merged.length > MAX_TAGS) {
        // ⚠ wording ours
        throw new InvalidParameterException(
          `A resource can have at most ${MAX_TAGS} tags; this request would leave ${merged.length}.`,
        );
      }
      return merged;
    });
    return {};
  }

  async untagResource(
    ctx: AwsContext,
    input: {
      resourceArn?: string;
      tagKeys?: string[];
    },
  ): Promise<Record<string, never>> {
    await this.#change(ctx, input.resourceArn, (tags) =>
      removeTagList(tags, input.tagKeys ?? [], (t) => t.key ?? ''),
    );
    return {};
  }

  /** Reads (and with `fn`, rewrites) the tags of the resource an ARN names. */
  #change(
    ctx: AwsContext,
    resourceArn: string | undefined,
    fn: ((tags: Tag[]) => Tag[]) | undefined,
  ): Promise<Tag[]> {
    const arn = resourceArn ?? '';
    const storage = this.#storage(kindOf(arn), arn);
    // Another region's (or account's) resource does not exist here, whatever its kind.
    if (!inContext(ctx, arn)) return Promise.reject(storage.notFound());
    return changeTags(this.#store, storage, fn);
  }

  /** Task definitions keep their tags in a column; clusters and tasks inside their document. */
  #storage(kind: Kind, arn: string): TagStorage<Transaction<Database>, Tag[]> {
    if (kind === 'capacity-provider') return capacityProviderTags(arn);
    if (kind === 'task-definition') {
      return {
        read: async (trx) => {
          const row = await trx
            .selectFrom('ecs_task_definitions')
            .select('tags')
            .where('arn', '=', arn)
            .executeTakeFirst();
          return row && (JSON.parse(row.tags) as Tag[]);
        },
        write: async (trx, tags) => {
          await trx
            .updateTable('ecs_task_definitions')
            .set({ tags: JSON.stringify(tags) })
            .where('arn', '=', arn)
            .execute();
        },
        // ⚠ wording ours
        notFound: () =>
          new ResourceNotFoundException('The specified task definition does not exist.'),
      };
    }
    const table = kind === 'cluster' ? 'ecs_clusters' : 'ecs_tasks';
    // The document is read once per operation and written back whole with the new tags.
    let body: { tags?: Tag[] } = {};
    return {
      read: async (trx) => {
        const row = await trx
          .selectFrom(table)
          .select('body')
          .where('arn', '=', arn)
          .executeTakeFirst();
        if (!row) return undefined;
        body = JSON.parse(row.body) as { tags?: Tag[] };
        return body.tags ?? [];
      },
      write: async (trx, tags) => {
        await trx
          .updateTable(table)
          .set({ body: JSON.stringify({ ...body, tags }) })
          .where('arn', '=', arn)
          .execute();
      },
      notFound: () =>
        kind === 'cluster'
          ? new ClusterNotFoundException()
          : // ⚠ wording ours
            new ResourceNotFoundException('The specified task does not exist.'),
    };
  }
}

/** The kind of ECS resource an ARN names (in any region); InvalidParameter for anything else. */
function kindOf(resourceArn: string): Kind {
  const parts = resourceArn.split(':');
  const resource = parts[0] === 'arn' && parts[2] === 'ecs' ? parts.slice(5).join(':') : '';
  const kind = TAGGABLE.find((k) => resource.startsWith(`${k}/`));
  // ⚠ wording ours
  if (!kind) throw new InvalidParameterException('The ARN provided is not valid for tagging.');
  return kind;
}

/**
 * The built-in capacity providers exist in every region without a record; their tags are kept
 * in a row that appears with the first tag. Any other provider name is unknown.
 */
function capacityProviderTags(arn: string): TagStorage<Transaction<Database>, Tag[]> {
  const name = arn.slice(arn.indexOf(':capacity-provider/') + ':capacity-provider/'.length);
  const known = (BUILTIN_CAPACITY_PROVIDERS as readonly string[]).includes(name);
  return {
    read: async (trx) => {
      if (!known) return undefined;
      const row = await trx
        .selectFrom('ecs_capacity_provider_tags')
        .select('tags')
        .where('arn', '=', arn)
        .executeTakeFirst();
      return row ? (JSON.parse(row.tags) as Tag[]) : [];
    },
    write: async (trx, tags) => {
      await trx
        .insertInto('ecs_capacity_provider_tags')
        .values({ arn, tags: JSON.stringify(tags) })
        .onConflict((oc) => oc.column('arn').doUpdateSet({ tags: JSON.stringify(tags) }))
        .execute();
    },
    // ⚠ wording ours
    notFound: () =>
      new ResourceNotFoundException('The specified capacity provider does not exist.'),
  };
}
