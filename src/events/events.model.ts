/**
 * Shared pieces of the events domain: dependencies, ARNs, bus resolution, row ↔ wire mapping and
 * page tokens. Operations live in `rules.ops.ts`, `targets.ops.ts`, `buses.ops.ts`, `tags.ops.ts`.
 */
import type { Kysely } from 'kysely';

import type { Clock } from '../platform/clock.ts';
import { arn, type AwsContext, isArnOf } from '../platform/ids.ts';
import type { PageTokens } from '../platform/page-token.ts';
import type { Database, Store } from '../store/store.ts';
import type { RuleRow, RuleTargetRow } from '../store/tables/events.tables.ts';
import { busNotFound, ValidationException } from './events.errors.ts';
import { DEFAULT_BUS, type RuleState, type RuleSummary, type RuleTarget } from './events.types.ts';
import { BUS_NAME_OR_ARN_PATTERN, checkString, type Violations } from './events.validate.ts';

/** What every events operation needs. */
export interface EventsDeps {
  store: Store;
  clock: Clock;
  /** The request's partition, region and account: buses and rules are scoped to its region. */
  context: AwsContext;
  /** Signs the list operations' page tokens. */
  pageTokens: PageTokens;
}

/** `arn:…:rule/<name>` on the default bus, `arn:…:rule/<bus>/<name>` elsewhere [aws-verified]. */
export function ruleArn(ctx: AwsContext, busName: string, name: string): string {
  return arn(ctx, 'events', busName === DEFAULT_BUS ? `rule/${name}` : `rule/${busName}/${name}`);
}

export function busArn(ctx: AwsContext, busName: string): string {
  return arn(ctx, 'events', `event-bus/${busName}`);
}

/**
 * Checks `EventBusName` (name or bus ARN, 1–1600 [model]) and returns the bus name. A bus ARN of
 * another region or account than the request's names no bus this request can reach: `Event bus
 * <name> does not exist.` (thrown at once, before the caller's other checks).
 */
export function checkBusName(v: Violations, value: unknown, ctx: AwsContext): string {
  const given = checkString(v, value, 'eventBusName', {
    min: 1,
    max: 1600,
    pattern: BUS_NAME_OR_ARN_PATTERN,
  });
  if (given === undefined) return DEFAULT_BUS;
  const marker = ':event-bus/';
  const at = given.indexOf(marker);
  if (!given.startsWith('arn:') || at < 0) return given;
  const name = given.slice(at + marker.length);
  if (!isArnOf(ctx, given)) throw busNotFound(name);
  return name;
}

/**
 * Throws `Event bus <name> does not exist.` unless the bus exists in `region` (every region has
 * its own `default` bus).
 */
export async function requireBus(
  db: Kysely<Database>,
  region: string,
  busName: string,
): Promise<void> {
  if (busName === DEFAULT_BUS) return;
  const row = await db
    .selectFrom('events_buses')
    .select('name')
    .where('region', '=', region)
    .where('name', '=', busName)
    .executeTakeFirst();
  if (!row) throw busNotFound(busName);
}

/** The rule `name` on bus `busName` of `region` (by the `(region, bus_name, name)` key). */
export async function findRule(
  db: Kysely<Database>,
  region: string,
  busName: string,
  name: string,
): Promise<RuleRow | undefined> {
  return db
    .selectFrom('events_rules')
    .selectAll()
    .where('region', '=', region)
    .where('bus_name', '=', busName)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** `rule.state` as the wire enum (rows only ever hold validated values). */
export function ruleState(row: RuleRow): RuleState {
  return row.state as RuleState;
}

/** Scheduled rules fire unless disabled; the CloudTrail variant is an enabled state too. */
export function isEnabled(row: Pick<RuleRow, 'state'>): boolean {
  return row.state !== 'DISABLED';
}

/** A rule as ListRules shows it: members without a value are left out [aws-verified]. */
export function toRuleSummary(row: RuleRow): RuleSummary {
  const out: RuleSummary = {
    Name: row.name,
    Arn: row.arn,
    State: ruleState(row),
    EventBusName: row.bus_name,
  };
  if (row.event_pattern != null) out.EventPattern = row.event_pattern;
  if (row.description != null) out.Description = row.description;
  if (row.schedule_expression != null) out.ScheduleExpression = row.schedule_expression;
  if (row.role_arn != null) out.RoleArn = row.role_arn;
  return out;
}

export function toTarget(row: RuleTargetRow): RuleTarget {
  return JSON.parse(row.body) as RuleTarget;
}

/**
 * A page token of operation `kind` carrying the sort key of the last item returned, so pages stay
 * stable while rules are added or removed between calls.
 */
export function encodeToken(tokens: PageTokens, kind: string, after: string | number): string {
  return tokens.issue(kind, after);
}

/**
 * Reads a token of {@link encodeToken} for operation `kind`. A forged, expired or other
 * operation's token is refused alike; AWS's message for a bad token is unconfirmed, this one is
 * ours.
 */
export function decodeToken(
  tokens: PageTokens,
  kind: string,
  token: unknown,
  type: 'string',
): string | undefined;
export function decodeToken(
  tokens: PageTokens,
  kind: string,
  token: unknown,
  type: 'number',
): number | undefined;
export function decodeToken(
  tokens: PageTokens,
  kind: string,
  token: unknown,
  type: 'string' | 'number',
): string | number | undefined {
  if (token == null) return undefined;
  const bad = () => new ValidationException('The provided NextToken is not valid.');
  if (typeof token !== 'string' || token.length < 1 || token.length > 2048) throw bad();
  const read = tokens.read(kind, token);
  if (read.ok && typeof read.payload === type) return read.payload as string | number;
  throw bad();
}
