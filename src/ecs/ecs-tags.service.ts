/**
 * TagResource, UntagResource and ListTagsForResource for ECS clusters, task definitions and
 * tasks. Tags live inside each resource's stored document (clusters, tasks) or its tag column
 * (task definitions), so a resource and its tags are read and deleted together.
 */
import type { Transaction } from 'kysely';

import type { AwsContext } from '../platform/ids.ts';
import { changeTags, removeTagList, type TagStorage } from '../platform/tags.ts';
import type { Database, Store } from '../store/store.ts';
import { MAX_TAGS, mergeTags, validateTags } from './ecs-tags.validate.ts';
import {
  ClusterNotFoundException,
  InvalidParameterException,
  ResourceNotFoundException,
} from './ecs.errors.ts';
import type { Tag } from './ecs.types.ts';

const TAGGABLE = ['cluster', 'task-definition', 'task'] as const;
type Kind = (typeof TAGGABLE)[number];

export class EcsTags {
  readonly #store: Store;
  readonly #context: AwsContext;

  constructor(store: Store, context: AwsContext) {
    this.#store = store;
    this.#context = context;
  }

  async listTagsForResource(input: { resourceArn?: string }): Promise<{ tags: Tag[] }> {
    return { tags: await this.#change(input.resourceArn, undefined) };
  }

  async tagResource(input: { resourceArn?: string; tags?: Tag[] }): Promise<Record<string, never>> {
    if (!Array.isArray(input.tags) || input.tags.length === 0) {
      throw new InvalidParameterException('Tags cannot be empty.'); // ⚠
    }
    const added = validateTags(input.tags);
    await this.#change(input.resourceArn, (tags) => {
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

  async untagResource(input: {
    resourceArn?: string;
    tagKeys?: string[];
  }): Promise<Record<string, never>> {
    await this.#change(input.resourceArn, (tags) =>
      removeTagList(tags, input.tagKeys ?? [], (t) => t.key ?? ''),
    );
    return {};
  }

  /** Reads (and with `fn`, rewrites) the tags of the resource an ARN names. */
  #change(
    resourceArn: string | undefined,
    fn: ((tags: Tag[]) => Tag[]) | undefined,
  ): Promise<Tag[]> {
    const arn = resourceArn ?? '';
    return changeTags(this.#store, this.#storage(this.#kindOf(arn), arn), fn);
  }

  /** Task definitions keep their tags in a column; clusters and tasks inside their document. */
  #storage(kind: Kind, arn: string): TagStorage<Transaction<Database>, Tag[]> {
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

  #kindOf(resourceArn: string): Kind {
    const { partition, region, accountId } = this.#context;
    const prefix = `arn:${partition}:ecs:${region}:${accountId}:`;
    const resource = resourceArn.startsWith(prefix) ? resourceArn.slice(prefix.length) : '';
    const kind = TAGGABLE.find((k) => resource.startsWith(`${k}/`));
    // ⚠ wording ours
    if (!kind) throw new InvalidParameterException('The ARN provided is not valid for tagging.');
    return kind;
  }
}
