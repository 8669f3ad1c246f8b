/**
 * Target operations: PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget.
 * A rule holds at most five targets [aws-verified]; targets are upserted by `Id` and listed in
 * the order they were first added (AWS's own order is unconfirmed).
 */
import type { Kysely } from 'kysely';

import type { Database } from '../store/store.ts';
import type { RuleRow } from '../store/tables/events.tables.ts';
import { ruleNotFound, tooManyTargets } from './events.errors.ts';
import {
  checkBusName,
  decodeToken,
  encodeToken,
  type EventsDeps,
  findRule,
  requireBus,
  toTarget,
} from './events.model.ts';
import type {
  ListRuleNamesByTargetInput,
  ListRuleNamesByTargetOutput,
  ListTargetsByRuleInput,
  ListTargetsByRuleOutput,
  PutTargetsInput,
  RemoveTargetsInput,
  TargetsResultOutput,
} from './events.types.ts';
import { checkLimit, checkList, checkString, Violations } from './events.validate.ts';
import { checkRuleName } from './rules.ops.ts';
import { checkTargetId, checkTargetRules, checkTargetsModel } from './targets.validate.ts';

/** Most targets one rule may have [aws-verified]. */
export const MAX_TARGETS_PER_RULE = 5;

async function requireRule(
  db: Kysely<Database>,
  region: string,
  busName: string,
  name: string,
): Promise<RuleRow> {
  await requireBus(db, region, busName);
  const row = await findRule(db, region, busName, name);
  if (!row) throw ruleNotFound(name, busName);
  return row;
}

/**
 * PutTargets: validates everything first, then upserts all targets or none. Validation failures
 * fail the whole request (see targets.validate.ts), so `FailedEntries` is always empty here.
 */
export async function putTargets(
  deps: EventsDeps,
  input: PutTargetsInput,
  changes: string[],
): Promise<TargetsResultOutput> {
  const v = new Violations();
  const name = checkRuleName(v, input.Rule, 'rule');
  const busName = checkBusName(v, input.EventBusName, deps.context);
  const targets = checkTargetsModel(v, input.Targets);
  v.throwIfAny();
  checkTargetRules(targets);

  // A later entry with the same Id replaces an earlier one, as a second call would.
  const byId = new Map(targets.map((t) => [t.Id, t]));
  const arn = await deps.store.transaction(async (trx) => {
    const rule = await requireRule(trx, deps.context.region, busName, name);
    const existing = await trx
      .selectFrom('events_targets')
      .select(['target_id', 'seq'])
      .where('rule_arn', '=', rule.arn)
      .execute();
    const ids = new Set([...existing.map((r) => r.target_id), ...byId.keys()]);
    if (ids.size > MAX_TARGETS_PER_RULE) throw tooManyTargets();
    const known = new Set(existing.map((r) => r.target_id));
    let seq = existing.reduce((max, r) => Math.max(max, Number(r.seq)), 0);
    for (const target of byId.values()) {
      const body = JSON.stringify(target);
      if (known.has(target.Id)) {
        await trx
          .updateTable('events_targets')
          .set({ target_arn: target.Arn, body })
          .where('rule_arn', '=', rule.arn)
          .where('target_id', '=', target.Id)
          .execute();
      } else {
        seq += 1;
        await trx
          .insertInto('events_targets')
          .values({ rule_arn: rule.arn, target_id: target.Id, target_arn: target.Arn, seq, body })
          .execute();
      }
    }
    return rule.arn;
  });
  changes.push(arn);
  return { FailedEntryCount: 0, FailedEntries: [] };
}

/**
 * RemoveTargets. An id the rule does not have is skipped without a failed entry: AWS's answer is
 * unconfirmed (LocalStack reports a per-entry ResourceNotFoundException), and Terraform treats
 * any failed entry on delete as an error, so silence is the kinder choice.
 */
export async function removeTargets(
  deps: EventsDeps,
  input: RemoveTargetsInput,
  changes: string[],
): Promise<TargetsResultOutput> {
  const v = new Violations();
  const name = checkRuleName(v, input.Rule, 'rule');
  const busName = checkBusName(v, input.EventBusName, deps.context);
  const list = checkList(v, input.Ids, 'ids', { required: true, min: 1, max: 100 }) ?? [];
  const ids = list.map((id, i) => checkTargetId(v, id, `ids.${i + 1}.member`) ?? '');
  v.throwIfAny();
  const removed = await deps.store.transaction(async (trx) => {
    const rule = await requireRule(trx, deps.context.region, busName, name);
    const result = await trx
      .deleteFrom('events_targets')
      .where('rule_arn', '=', rule.arn)
      .where('target_id', 'in', ids)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0 ? rule.arn : undefined;
  });
  if (removed) changes.push(removed);
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export async function listTargetsByRule(
  deps: EventsDeps,
  input: ListTargetsByRuleInput,
): Promise<ListTargetsByRuleOutput> {
  const v = new Violations();
  const name = checkRuleName(v, input.Rule, 'rule');
  const busName = checkBusName(v, input.EventBusName, deps.context);
  const limit = checkLimit(v, input.Limit) ?? 100;
  v.throwIfAny();
  const after = decodeToken(deps.pageTokens, 'ListTargetsByRule', input.NextToken, 'number');
  const rule = await requireRule(deps.store.db, deps.context.region, busName, name);
  let query = deps.store.db
    .selectFrom('events_targets')
    .selectAll()
    .where('rule_arn', '=', rule.arn)
    .orderBy('seq')
    .limit(limit + 1);
  if (after !== undefined) query = query.where('seq', '>', after);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const out: ListTargetsByRuleOutput = { Targets: page.map(toTarget) };
  const last = page[page.length - 1];
  if (rows.length > limit && last) {
    out.NextToken = encodeToken(deps.pageTokens, 'ListTargetsByRule', Number(last.seq));
  }
  return out;
}

export async function listRuleNamesByTarget(
  deps: EventsDeps,
  input: ListRuleNamesByTargetInput,
): Promise<ListRuleNamesByTargetOutput> {
  const v = new Violations();
  const targetArn =
    checkString(v, input.TargetArn, 'targetArn', { required: true, min: 1, max: 1600 }) ?? '';
  const busName = checkBusName(v, input.EventBusName, deps.context);
  const limit = checkLimit(v, input.Limit) ?? 100;
  v.throwIfAny();
  const after = decodeToken(deps.pageTokens, 'ListRuleNamesByTarget', input.NextToken, 'string');
  await requireBus(deps.store.db, deps.context.region, busName);
  let query = deps.store.db
    .selectFrom('events_rules')
    .innerJoin('events_targets', 'events_targets.rule_arn', 'events_rules.arn')
    .select('events_rules.name')
    .distinct()
    .where('events_rules.region', '=', deps.context.region)
    .where('events_rules.bus_name', '=', busName)
    .where('events_targets.target_arn', '=', targetArn)
    .orderBy('events_rules.name')
    .limit(limit + 1);
  if (after !== undefined) query = query.where('events_rules.name', '>', after);
  const rows = await query.execute();
  const page = rows.slice(0, limit).map((r) => r.name);
  const out: ListRuleNamesByTargetOutput = { RuleNames: page };
  const last = page[page.length - 1];
  if (rows.length > limit && last !== undefined) {
    out.NextToken = encodeToken(deps.pageTokens, 'ListRuleNamesByTarget', last);
  }
  return out;
}
