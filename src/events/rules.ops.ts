/**
 * Rule operations: PutRule, DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule.
 *
 * Mutating operations push the ARN of every rule they changed onto `changes` inside the
 * transaction; the service notifies listeners only after the transaction has committed.
 */
import { ValidationException } from '../platform/errors.ts';
import { tagMapOfKeyValues } from '../platform/tags.ts';
import { parseScheduleExpression } from '../expressions/index.ts';
import type { RuleRow } from '../store/tables/events.tables.ts';
import { InvalidEventPatternException, ruleNotFound } from './events.errors.ts';
import { RULE_DIALECT } from './rule-schedule.source.ts';
import {
  checkBusName,
  decodeToken,
  encodeToken,
  type EventsDeps,
  findRule,
  requireBus,
  ruleArn,
  toRuleSummary,
} from './events.model.ts';
import {
  DEFAULT_BUS,
  type DeleteRuleInput,
  type DescribeRuleOutput,
  type EmptyOutput,
  type ListRulesInput,
  type ListRulesOutput,
  type PutRuleInput,
  type PutRuleOutput,
  RULE_STATES,
  type RuleNameInput,
  type RuleState,
} from './events.types.ts';
import {
  checkEnum,
  checkLimit,
  checkString,
  checkTags,
  NAME_PATTERN,
  Violations,
} from './events.validate.ts';

/** Rule `Name`: 1–64, `[\.\-_A-Za-z0-9]+` [model]. `path` is `name` or `rule`. */
export function checkRuleName(v: Violations, value: unknown, path = 'name'): string {
  return (
    checkString(v, value, path, { required: true, min: 1, max: 64, pattern: NAME_PATTERN }) ?? ''
  );
}

/**
 * An event pattern must be a JSON object. Matching events against it is out of scope, so only
 * the shape is checked. AWS's message text is `Event pattern is not valid. Reason: …` with a
 * parser-specific reason; our reasons are our own (unconfirmed).
 */
function checkEventPattern(pattern: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(pattern);
  } catch {
    throw new InvalidEventPatternException(
      'Event pattern is not valid. Reason: the pattern is not valid JSON.',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidEventPatternException(
      'Event pattern is not valid. Reason: Filter is not an object',
    );
  }
}

/** PutRule: create or replace. Omitted members are reset; Tags apply to new rules only. */
export async function putRule(
  deps: EventsDeps,
  input: PutRuleInput,
  changes: string[],
): Promise<PutRuleOutput> {
  const v = new Violations();
  const name = checkRuleName(v, input.Name);
  const schedule = checkString(v, input.ScheduleExpression, 'scheduleExpression', { max: 256 });
  const pattern = checkString(v, input.EventPattern, 'eventPattern', { max: 4096 });
  const state: RuleState = checkEnum(v, input.State, 'state', RULE_STATES) ?? 'ENABLED';
  const description = checkString(v, input.Description, 'description', { max: 512 });
  const roleArn = checkString(v, input.RoleArn, 'roleArn', { min: 1, max: 1600 });
  const tags = checkTags(v, input.Tags, 'tags');
  const busName = checkBusName(v, input.EventBusName, deps.context);
  v.throwIfAny();

  if (schedule === undefined && pattern === undefined) {
    // moto/LocalStack wording; AWS's exact text is unconfirmed (aws-semantics.md §1.1).
    throw new ValidationException(
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    );
  }
  if (schedule !== undefined) {
    if (busName !== DEFAULT_BUS) {
      throw new ValidationException(
        'ScheduleExpression is supported only on the default event bus.',
      );
    }
    // Throws AWS's `Parameter ScheduleExpression is not valid.`
    parseScheduleExpression(schedule, RULE_DIALECT);
  }
  if (pattern !== undefined) checkEventPattern(pattern);

  const arn = ruleArn(deps.context, busName, name);
  const now = deps.clock.now();
  await deps.store.transaction(async (trx) => {
    await requireBus(trx, deps.context.region, busName);
    const existing = await findRule(trx, deps.context.region, busName, name);
    const fields = {
      schedule_expression: schedule ?? null,
      event_pattern: pattern ?? null,
      state,
      description: description ?? null,
      role_arn: roleArn ?? null,
    };
    if (!existing) {
      const row: RuleRow = {
        arn,
        region: deps.context.region,
        bus_name: busName,
        name,
        ...fields,
        anchor_ms: now,
        created_ms: now,
        tags: JSON.stringify(tagMapOfKeyValues(tags)),
      };
      await trx.insertInto('events_rules').values(row).execute();
    } else {
      // A rate() phase restarts when the expression changes or the rule comes back from
      // DISABLED; any other replacement keeps the running phase.
      const restart =
        existing.schedule_expression !== fields.schedule_expression ||
        (existing.state === 'DISABLED' && state !== 'DISABLED');
      await trx
        .updateTable('events_rules')
        .set({ ...fields, anchor_ms: restart ? now : Number(existing.anchor_ms) })
        .where('arn', '=', arn)
        .execute();
    }
  });
  changes.push(arn);
  return { RuleArn: arn };
}

function checkRuleNameInput(
  deps: EventsDeps,
  input: RuleNameInput,
): { name: string; busName: string } {
  const v = new Violations();
  const name = checkRuleName(v, input.Name);
  const busName = checkBusName(v, input.EventBusName, deps.context);
  v.throwIfAny();
  return { name, busName };
}

export async function describeRule(
  deps: EventsDeps,
  input: RuleNameInput,
): Promise<DescribeRuleOutput> {
  const { name, busName } = checkRuleNameInput(deps, input);
  await requireBus(deps.store.db, deps.context.region, busName);
  const row = await findRule(deps.store.db, deps.context.region, busName, name);
  if (!row) throw ruleNotFound(name, busName);
  return { ...toRuleSummary(row), CreatedBy: deps.context.accountId };
}

/** ListRules: by name, optional prefix, keyset pages of at most `Limit` (default 100). */
export async function listRules(deps: EventsDeps, input: ListRulesInput): Promise<ListRulesOutput> {
  const v = new Violations();
  const prefix = checkString(v, input.NamePrefix, 'namePrefix', {
    min: 1,
    max: 64,
    pattern: NAME_PATTERN,
  });
  const busName = checkBusName(v, input.EventBusName, deps.context);
  const limit = checkLimit(v, input.Limit) ?? 100;
  v.throwIfAny();
  const after = decodeToken(deps.pageTokens, 'ListRules', input.NextToken, 'string');
  await requireBus(deps.store.db, deps.context.region, busName);
  let query = deps.store.db
    .selectFrom('events_rules')
    .selectAll()
    .where('region', '=', deps.context.region)
    .where('bus_name', '=', busName)
    .orderBy('name');
  if (after !== undefined) query = query.where('name', '>', after);
  // Prefix filtering happens here rather than in SQL: `_` is a LIKE wildcard and legal in names,
  // and a bus holds a few hundred rules at most.
  const rows = (await query.execute()).filter(
    (r) => prefix === undefined || r.name.startsWith(prefix),
  );
  const page = rows.slice(0, limit);
  const out: ListRulesOutput = { Rules: page.map(toRuleSummary) };
  const last = page[page.length - 1];
  if (rows.length > limit && last) {
    out.NextToken = encodeToken(deps.pageTokens, 'ListRules', last.name);
  }
  return out;
}

async function setState(
  deps: EventsDeps,
  input: RuleNameInput,
  state: 'ENABLED' | 'DISABLED',
  changes: string[],
): Promise<EmptyOutput> {
  const { name, busName } = checkRuleNameInput(deps, input);
  const now = deps.clock.now();
  const arn = await deps.store.transaction(async (trx) => {
    await requireBus(trx, deps.context.region, busName);
    const row = await findRule(trx, deps.context.region, busName, name);
    if (!row) throw ruleNotFound(name, busName);
    // Re-enabling restarts a rate() phase, as a new rule would.
    const restart = row.state === 'DISABLED' && state === 'ENABLED';
    await trx
      .updateTable('events_rules')
      .set({ state, anchor_ms: restart ? now : Number(row.anchor_ms) })
      .where('arn', '=', row.arn)
      .execute();
    return row.arn;
  });
  changes.push(arn);
  return {};
}

export function enableRule(
  deps: EventsDeps,
  input: RuleNameInput,
  changes: string[],
): Promise<EmptyOutput> {
  return setState(deps, input, 'ENABLED', changes);
}

export function disableRule(
  deps: EventsDeps,
  input: RuleNameInput,
  changes: string[],
): Promise<EmptyOutput> {
  return setState(deps, input, 'DISABLED', changes);
}

/**
 * DeleteRule: refused while the rule has targets; a missing rule is not an error [doc], a
 * missing custom bus is. `Force` only concerns managed rules, which cronbridge has none of.
 */
export async function deleteRule(
  deps: EventsDeps,
  input: DeleteRuleInput,
  changes: string[],
): Promise<EmptyOutput> {
  const { name, busName } = checkRuleNameInput(deps, input);
  const deleted = await deps.store.transaction(async (trx) => {
    await requireBus(trx, deps.context.region, busName);
    const row = await findRule(trx, deps.context.region, busName, name);
    if (!row) return undefined;
    const target = await trx
      .selectFrom('events_targets')
      .select('target_id')
      .where('rule_arn', '=', row.arn)
      .executeTakeFirst();
    if (target) throw new ValidationException("Rule can't be deleted since it has targets.");
    await trx.deleteFrom('events_rules').where('arn', '=', row.arn).execute();
    return row.arn;
  });
  if (deleted) changes.push(deleted);
  return {};
}
