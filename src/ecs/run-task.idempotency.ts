/**
 * RunTask idempotency by client token, as ECS documents it: a token is scoped to its cluster;
 * a retry with the same token and the same parameters returns the tasks the first call started
 * and starts nothing; the same token with other parameters is a `ConflictException` naming
 * those tasks. A token lives 24 hours. Ours also ends early when none of its tasks is recorded
 * any more (purged after the stopped-task retention): there is nothing left to return ⚠.
 *
 * This is also what makes a rule's delivery exactly once across a crash: the invoker sends a
 * token per attempt, so an attempt cut off after RunTask and made again after a restart finds
 * the tasks the first one started.
 */
import { createHash } from 'node:crypto';

import stableStringify from 'safe-stable-stringify';

import type { Db } from '../store/store.ts';
import { ConflictException } from './ecs.errors.ts';
import type { RunTaskInput } from './run-task.validate.ts';

/** How long a client token stays bound to its request (ECS: 24 hours). */
export const CLIENT_TOKEN_TTL_MS = 24 * 3_600_000;

/**
 * Digest of what the request asks for: its canonical JSON (keys sorted, so member order does not
 * matter) without the token itself.
 */
export function requestDigest(input: RunTaskInput): string {
  const { clientToken: _token, ...request } = input;
  return createHash('sha256')
    .update(stableStringify(request) ?? '')
    .digest('hex');
}

/** What a live client token is bound to: the request's digest and the tasks it started. */
export interface ClientTokenBinding {
  digest: string;
  taskArns: string[];
}

/** The binding of a token in a cluster; undefined when the token is new or expired. */
export async function findClientToken(
  db: Db,
  clusterArn: string,
  clientToken: string,
  nowMs: number,
): Promise<ClientTokenBinding | undefined> {
  const row = await db
    .selectFrom('ecs_client_tokens')
    .select(['request_digest', 'task_arns'])
    .where('cluster_arn', '=', clusterArn)
    .where('client_token', '=', clientToken)
    .where('created_ms', '>', nowMs - CLIENT_TOKEN_TTL_MS)
    .executeTakeFirst();
  return row && { digest: row.request_digest, taskArns: JSON.parse(row.task_arns) as string[] };
}

/**
 * What a retry with a bound token gets, given the token's tasks still recorded (`recorded`, by
 * ARN): those tasks in the first request's order when the request is the same; undefined when
 * none is recorded any more (the token then starts anew). Throws ConflictException when the
 * request differs.
 */
export function replayOf<T>(
  binding: ClientTokenBinding,
  recorded: ReadonlyMap<string, T>,
  digest: string,
): T[] | undefined {
  const tasks = binding.taskArns.flatMap((arn) => recorded.get(arn) ?? []);
  if (tasks.length === 0) return undefined;
  if (binding.digest !== digest) throw new ConflictException(binding.taskArns);
  return tasks;
}

/** Binds the token to the tasks just started (replacing an expired binding), in their transaction. */
export async function recordClientToken(
  db: Db,
  clusterArn: string,
  clientToken: string,
  digest: string,
  taskArns: readonly string[],
  nowMs: number,
): Promise<void> {
  const values = {
    request_digest: digest,
    task_arns: JSON.stringify(taskArns),
    created_ms: nowMs,
  };
  await db
    .insertInto('ecs_client_tokens')
    .values({ cluster_arn: clusterArn, client_token: clientToken, ...values })
    .onConflict((oc) => oc.columns(['cluster_arn', 'client_token']).doUpdateSet(values))
    .execute();
}

/** Forgets tokens older than their lifetime; returns how many. */
export async function purgeExpiredClientTokens(db: Db, nowMs: number): Promise<number> {
  const result = await db
    .deleteFrom('ecs_client_tokens')
    .where('created_ms', '<=', nowMs - CLIENT_TOKEN_TTL_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
