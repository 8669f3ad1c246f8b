/**
 * TagResource, UntagResource and ListTagsForResource for ECS clusters, task definitions and
 * tasks. Tags live inside each resource's stored document (clusters, tasks) or its tag column
 * (task definitions), so a resource and its tags are read and deleted together.
 */
import type { Store } from '../store/store.ts';
import type { AwsContext } from '../platform/ids.ts';
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
    const drop = new Set(input.tagKeys ?? []);
    await this.#change(input.resourceArn, (tags) => tags.filter((t) => !drop.has(t.key ?? '')));
    return {};
  }

  /** Reads (and with `fn`, rewrites) the tags of the resource an ARN names. */
  async #change(
    resourceArn: string | undefined,
    fn: ((tags: Tag[]) => Tag[]) | undefined,
  ): Promise<Tag[]> {
    const arn = resourceArn ?? '';
    const kind = this.#kindOf(arn);
    return this.#store.transaction(async (trx) => {
      if (kind === 'task-definition') {
        const row = await trx
          .selectFrom('ecs_task_definitions')
          .select('tags')
          .where('arn', '=', arn)
          .executeTakeFirst();
        // ⚠ wording ours
        if (!row) {
          throw new ResourceNotFoundException('The specified task definition does not exist.');
        }
        const tags = JSON.parse(row.tags) as Tag[];
        if (!fn) return tags;
        const next = fn(tags);
        await trx
          .updateTable('ecs_task_definitions')
          .set({ tags: JSON.stringify(next) })
          .where('arn', '=', arn)
          .execute();
        return next;
      }
      const table = kind === 'cluster' ? 'ecs_clusters' : 'ecs_tasks';
      const row = await trx
        .selectFrom(table)
        .select('body')
        .where('arn', '=', arn)
        .executeTakeFirst();
      if (!row) {
        if (kind === 'cluster') throw new ClusterNotFoundException();
        // ⚠ wording ours
        throw new ResourceNotFoundException('The specified task does not exist.');
      }
      const body = JSON.parse(row.body) as { tags?: Tag[] };
      const tags = body.tags ?? [];
      if (!fn) return tags;
      const next = fn(tags);
      await trx
        .updateTable(table)
        .set({ body: JSON.stringify({ ...body, tags: next }) })
        .where('arn', '=', arn)
        .execute();
      return next;
    });
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
