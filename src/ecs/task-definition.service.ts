/**
 * ECS task definitions: RegisterTaskDefinition, DescribeTaskDefinition,
 * DeregisterTaskDefinition, DeleteTaskDefinitions, ListTaskDefinitions and
 * ListTaskDefinitionFamilies.
 *
 * Revisions count up per family from 1 and are never reused: a deregistered (INACTIVE) or
 * deleted (DELETE_IN_PROGRESS) revision keeps its row, so the next revision is always max + 1.
 * Families are per region, as in AWS: every operation takes the caller's AwsContext and sees only
 * that region's revisions.
 */
import type { AwsContext } from '../platform/ids.ts';
import type { Db } from '../store/store.ts';
import type { EcsTaskDefinitionRow } from '../store/tables/ecs.tables.ts';
import type { EcsDeps } from './cluster.service.ts';
import { inContext, parseTaskDefinitionRef, taskDefinitionArn } from './ecs-arns.ts';
import { validateTags } from './ecs-tags.validate.ts';
import { ClientException, InvalidParameterException } from './ecs.errors.ts';
import type { Failure, Tag, TaskDefinition } from './ecs.types.ts';
import { pageOf } from './pagination.ts';
import { buildTaskDefinition } from './task-definition.normalise.ts';
import type { IsolationOptions } from './task-definition.isolation.validate.ts';
import { enumError, validateRegistration } from './task-definition.validate.ts';

export const TASK_DEFINITION_STATUSES = ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'] as const;
export const FAMILY_STATUSES = ['ACTIVE', 'INACTIVE', 'ALL'] as const;
export const SORT_ORDERS = ['ASC', 'DESC'] as const;

export class TaskDefinitionService {
  readonly #deps: EcsDeps;
  readonly #isolation: IsolationOptions;

  constructor(deps: EcsDeps, isolation: IsolationOptions = { allowHostAccess: false }) {
    this.#deps = deps;
    this.#isolation = isolation;
  }

  async registerTaskDefinition(
    ctx: AwsContext,
    input: Record<string, unknown> & { family?: string; tags?: Tag[] },
  ): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
    const sizes = validateRegistration(input, this.#isolation);
    const tags = validateTags(input.tags);
    const family = input.family as string;
    const { clock, store } = this.#deps;
    return store.transaction(async (trx) => {
      const last = await trx
        .selectFrom('ecs_task_definitions')
        .select((eb) => eb.fn.max('revision').as('rev'))
        .where('region', '=', ctx.region)
        .where('family', '=', family)
        .executeTakeFirst();
      const revision = Number(last?.rev ?? 0) + 1;
      const arn = taskDefinitionArn(ctx, family, revision);
      const taskDefinition = buildTaskDefinition(input, sizes, {
        family,
        revision,
        taskDefinitionArn: arn,
        registeredAt: clock.now(),
        registeredBy: `arn:${ctx.partition}:iam::${ctx.accountId}:root`,
      });
      await trx
        .insertInto('ecs_task_definitions')
        .values({
          arn,
          region: ctx.region,
          family,
          revision,
          status: 'ACTIVE',
          body: JSON.stringify(taskDefinition),
          tags: JSON.stringify(tags),
        })
        .execute();
      return { taskDefinition, tags };
    });
  }

  async describeTaskDefinition(
    ctx: AwsContext,
    input: { taskDefinition?: string; include?: string[] },
  ): Promise<{
    taskDefinition: TaskDefinition;
    tags?: Tag[];
  }> {
    for (const field of input.include ?? []) {
      if (field !== 'TAGS') throw enumError(field, 'include', ['TAGS']);
    }
    const row = await this.find(this.#deps.store.db, ctx, input.taskDefinition ?? '');
    // ECS's text for an unknown definition (seen in real error output).
    if (!row) throw new ClientException('Unable to describe task definition.');
    return {
      taskDefinition: JSON.parse(row.body) as TaskDefinition,
      ...(input.include?.includes('TAGS') ? { tags: JSON.parse(row.tags) as Tag[] } : {}),
    };
  }

  async deregisterTaskDefinition(
    ctx: AwsContext,
    input: { taskDefinition?: string },
  ): Promise<{
    taskDefinition: TaskDefinition;
  }> {
    const ref = parseTaskDefinitionRef(input.taskDefinition ?? '');
    if (ref && ref.revision === undefined) {
      // ⚠ wording ours
      throw new ClientException('Revision must be specified when deregistering a task definition.');
    }
    return this.#deps.store.transaction(async (trx) => {
      const row = await this.find(trx, ctx, input.taskDefinition ?? '');
      // ⚠ wording ours
      if (!row) throw new ClientException('The specified task definition does not exist.');
      const td = JSON.parse(row.body) as TaskDefinition;
      // Deregistering again changes nothing: the first deregistration time stands.
      if (td.status !== 'ACTIVE') return { taskDefinition: td };
      const updated: TaskDefinition = {
        ...td,
        status: 'INACTIVE',
        deregisteredAt: this.#deps.clock.now(),
      };
      await trx
        .updateTable('ecs_task_definitions')
        .set({ status: 'INACTIVE', body: JSON.stringify(updated) })
        .where('arn', '=', td.taskDefinitionArn)
        .execute();
      return { taskDefinition: updated };
    });
  }

  /**
   * Marks INACTIVE revisions DELETE_IN_PROGRESS. ECS removes them later; cronbridge keeps the
   * row so the revision number is never handed out again. Per-item problems are failures.
   */
  async deleteTaskDefinitions(
    ctx: AwsContext,
    input: { taskDefinitions?: string[] },
  ): Promise<{
    taskDefinitions: TaskDefinition[];
    failures: Failure[];
  }> {
    const refs = input.taskDefinitions ?? [];
    if (refs.length === 0 || refs.length > 10) {
      // ⚠ wording ours
      throw new InvalidParameterException('taskDefinitions must contain between 1 and 10 items.');
    }
    return this.#deps.store.transaction(async (trx) => {
      const taskDefinitions: TaskDefinition[] = [];
      const failures: Failure[] = [];
      for (const ref of refs) {
        const parsed = parseTaskDefinitionRef(ref);
        const row = parsed?.revision === undefined ? undefined : await this.find(trx, ctx, ref);
        if (!row) {
          // ⚠ reason wording ours
          failures.push({ arn: ref, reason: 'TASK_DEFINITION_NOT_FOUND' });
          continue;
        }
        const td = JSON.parse(row.body) as TaskDefinition;
        if (td.status === 'ACTIVE') {
          // ⚠ reason wording ours
          failures.push({
            arn: td.taskDefinitionArn,
            reason: 'The specified task definition is still in ACTIVE status. Deregister it first.',
          });
          continue;
        }
        const deleting: TaskDefinition = { ...td, status: 'DELETE_IN_PROGRESS' };
        await trx
          .updateTable('ecs_task_definitions')
          .set({ status: 'DELETE_IN_PROGRESS', body: JSON.stringify(deleting) })
          .where('arn', '=', td.taskDefinitionArn)
          .execute();
        taskDefinitions.push(deleting);
      }
      return { taskDefinitions, failures };
    });
  }

  async listTaskDefinitions(
    ctx: AwsContext,
    input: {
      familyPrefix?: string;
      status?: string;
      sort?: string;
      nextToken?: string;
      maxResults?: number;
    } = {},
  ): Promise<{ taskDefinitionArns: string[]; nextToken?: string }> {
    const status = input.status ?? 'ACTIVE';
    if (!(TASK_DEFINITION_STATUSES as readonly string[]).includes(status)) {
      throw enumError(status, 'status', TASK_DEFINITION_STATUSES);
    }
    const sort = input.sort ?? 'ASC';
    if (!(SORT_ORDERS as readonly string[]).includes(sort)) {
      throw enumError(sort, 'sort', SORT_ORDERS);
    }
    const direction = sort === 'DESC' ? 'desc' : 'asc';
    // `familyPrefix` is, despite its name, an exact family name.
    let query = this.#deps.store.db
      .selectFrom('ecs_task_definitions')
      .select('arn')
      .where('region', '=', ctx.region)
      .where('status', '=', status);
    if (input.familyPrefix) query = query.where('family', '=', input.familyPrefix);
    const rows = await query.orderBy('family', direction).orderBy('revision', direction).execute();
    const page = pageOf(
      this.#deps.pageTokens,
      'ListTaskDefinitions',
      rows.map((r) => r.arn),
      input.nextToken,
      input.maxResults,
      100,
    );
    return {
      taskDefinitionArns: page.items,
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  /**
   * Families by status: ACTIVE = has an ACTIVE revision, INACTIVE = has none, ALL (and the
   * default) = both. `familyPrefix` is a real prefix here, case-sensitive.
   */
  async listTaskDefinitionFamilies(
    ctx: AwsContext,
    input: { familyPrefix?: string; status?: string; nextToken?: string; maxResults?: number } = {},
  ): Promise<{ families: string[]; nextToken?: string }> {
    const status = input.status ?? 'ALL';
    if (!(FAMILY_STATUSES as readonly string[]).includes(status)) {
      throw enumError(status, 'status', FAMILY_STATUSES);
    }
    const rows = await this.#deps.store.db
      .selectFrom('ecs_task_definitions')
      .select(['family', 'status'])
      .where('region', '=', ctx.region)
      .execute();
    const active = new Set(rows.filter((r) => r.status === 'ACTIVE').map((r) => r.family));
    const families = [...new Set(rows.map((r) => r.family))]
      .filter((f) => !input.familyPrefix || f.startsWith(input.familyPrefix))
      .filter((f) => status === 'ALL' || (status === 'ACTIVE') === active.has(f))
      .sort();
    const page = pageOf(
      this.#deps.pageTokens,
      'ListTaskDefinitionFamilies',
      families,
      input.nextToken,
      input.maxResults,
      100,
    );
    return { families: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /**
   * Resolves `family` (its latest ACTIVE revision), `family:revision`, or an ARN in the
   * caller's region; any status. Undefined when malformed, unknown, or another region's ARN.
   */
  async find(db: Db, ctx: AwsContext, ref: string): Promise<EcsTaskDefinitionRow | undefined> {
    const parsed = parseTaskDefinitionRef(ref);
    if (!parsed) return undefined;
    if (ref.startsWith('arn:') && !inContext(ctx, ref)) return undefined;
    let query = db
      .selectFrom('ecs_task_definitions')
      .selectAll()
      .where('region', '=', ctx.region)
      .where('family', '=', parsed.family);
    query =
      parsed.revision === undefined
        ? query.where('status', '=', 'ACTIVE')
        : query.where('revision', '=', parsed.revision);
    return query.orderBy('revision', 'desc').executeTakeFirst();
  }
}
