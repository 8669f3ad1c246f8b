/**
 * TagResource, UntagResource and ListTagsForResource for ECS clusters, task definitions and
 * tasks. Tags live inside each resource's stored document (tasks, clusters) or its tag column
 * (task definitions), so a resource and its tags are read and deleted together.
 */
import type { Store } from '../store/store.ts';
import { InvalidParameterException } from './ecs.errors.ts';
import type { Tag } from './ecs.types.ts';

type Kind = 'cluster' | 'task-definition' | 'task';

function kindOf(resourceArn: string): Kind {
  const resource = resourceArn.split(':')[5] ?? '';
  if (resource.startsWith('cluster/')) return 'cluster';
  if (resource.startsWith('task-definition/')) return 'task-definition';
  if (resource.startsWith('task/')) return 'task';
  throw new InvalidParameterException('The ARN provided is not valid for tagging.');
}

function merge(existing: Tag[], added: Tag[]): Tag[] {
  const keys = new Set(added.map((t) => t.key));
  return [...existing.filter((t) => !keys.has(t.key)), ...added];
}

export class EcsTags {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async listTagsForResource(input: { resourceArn: string }): Promise<{ tags: Tag[] }> {
    return { tags: await this.#change(input.resourceArn, (tags) => tags, false) };
  }

  async tagResource(input: { resourceArn: string; tags: Tag[] }): Promise<Record<string, never>> {
    if (!Array.isArray(input.tags)) throw new InvalidParameterException('Tags cannot be empty.');
    await this.#change(input.resourceArn, (tags) => merge(tags, input.tags), true);
    return {};
  }

  async untagResource(input: {
    resourceArn: string;
    tagKeys: string[];
  }): Promise<Record<string, never>> {
    const drop = new Set(input.tagKeys ?? []);
    await this.#change(
      input.resourceArn,
      (tags) => tags.filter((t) => !drop.has(t.key ?? '')),
      true,
    );
    return {};
  }

  async #change(resourceArn: string, fn: (tags: Tag[]) => Tag[], write: boolean): Promise<Tag[]> {
    const kind = kindOf(resourceArn ?? '');
    return this.#store.transaction(async (trx) => {
      if (kind === 'task-definition') {
        const row = await trx
          .selectFrom('ecs_task_definitions')
          .select('tags')
          .where('arn', '=', resourceArn)
          .executeTakeFirst();
        if (!row)
          {throw new InvalidParameterException('The specified task definition does not exist.');}
        const tags = fn(JSON.parse(row.tags) as Tag[]);
        if (write) {
          await trx
            .updateTable('ecs_task_definitions')
            .set({ tags: JSON.stringify(tags) })
            .where('arn', '=', resourceArn)
            .execute();
        }
        return tags;
      }
      const table = kind === 'cluster' ? 'ecs_clusters' : 'ecs_tasks';
      const row = await trx
        .selectFrom(table)
        .select('body')
        .where('arn', '=', resourceArn)
        .executeTakeFirst();
      if (!row) {
        throw new InvalidParameterException(
          `The specified ${kind === 'cluster' ? 'cluster' : 'task'} is not found.`,
        );
      }
      const body = JSON.parse(row.body) as { tags?: Tag[] };
      const tags = fn(body.tags ?? []);
      if (write) {
        await trx
          .updateTable(table)
          .set({ body: JSON.stringify({ ...body, tags }) })
          .where('arn', '=', resourceArn)
          .execute();
      }
      return tags;
    });
  }
}
