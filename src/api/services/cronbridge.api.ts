/**
 * cronbridge's own read API (awsJson1.1, `X-Amz-Target: CronBridge_20261129.<Operation>`, signing
 * name `cronbridge`): what EventBridge has no operation for but a self-hosted scheduler is asked
 * about every day. Which slots of a rule fired or were missed, with every invocation attempt and
 * the tasks it started (GetRuleHistory); which deliveries ran out of retries (ListDeadLetters);
 * when each rule fires next, as the firing loop has it indexed (GetNextSlots).
 *
 * Shapes follow AWS's JSON conventions so any SigV4 client can call it: PascalCase members,
 * timestamps as epoch seconds, opaque `NextToken`s, `MaxResults` up to 100. Lists are oldest
 * first. The CLI's typed client (`src/cli/client/cronbridge.client.ts`) imports these types.
 */
import { checkBusName, decodeToken, encodeToken, ruleArn } from '../../events/events.model.ts';
import type { EventsService } from '../../events/events.service.ts';
import { checkInteger, checkList, checkString, Violations } from '../../events/events.validate.ts';
import type { FiringLoop, SlotStatus } from '../../firing/index.ts';
import type {
  DeadLetterPosition,
  DeadLetterView,
  RunHistory,
  RunSlotView,
} from '../../invoke/index.ts';
import { ServiceError, ValidationException } from '../../platform/errors.ts';
import type { AwsContext } from '../../platform/ids.ts';
import type { PageTokens } from '../../platform/page-token.ts';
import type { JsonServiceModule } from '../api.types.ts';

export const CRONBRIDGE_TARGET_PREFIX = 'CronBridge_20261129';
export const CRONBRIDGE_SIGNING_NAME = 'cronbridge';

// ---- wire shapes ----

export interface GetRuleHistoryInput {
  /** Rule name (on `EventBusName`) or rule ARN; a deleted rule's history is found by either. */
  Rule: string;
  EventBusName?: string;
  /** Slots with StartTime ≤ nominal time < EndTime, epoch seconds. */
  StartTime?: number;
  EndTime?: number;
  NextToken?: string;
  /** 1–100. @default 100 */
  MaxResults?: number;
}

export interface HistoryAttempt {
  AttemptNumber: number;
  StartTime: number;
  EndTime: number;
  Outcome: 'SUCCEEDED' | 'FAILED';
  Retryable: boolean;
  ErrorCode?: string;
  ErrorMessage?: string;
  TaskArns: string[];
}

export interface HistoryInvocation {
  InvocationId: string;
  TargetId: string;
  TargetArn: string;
  /** `PENDING` | `SUCCEEDED` | `FAILED`. */
  Status: string;
  /** When the next retry is due (PENDING only). */
  NextAttemptTime?: number;
  Attempts: HistoryAttempt[];
  TaskArns: string[];
}

export interface HistorySlot {
  NominalTime: number;
  /** Differs from NominalTime only on a MISSED row that stands for `SlotCount` slots. */
  FirstNominalTime: number;
  SlotCount: number;
  Status: SlotStatus;
  FiredTime?: number;
  /** Fired time − nominal time, ms. */
  LagMillis?: number;
  Reason?: string;
  Invocations: HistoryInvocation[];
}

export interface GetRuleHistoryOutput {
  RuleArn: string;
  Slots: HistorySlot[];
  NextToken?: string;
}

export interface ListDeadLettersInput {
  /** Only this rule's dead letters (name on `EventBusName`, or ARN). */
  Rule?: string;
  EventBusName?: string;
  NextToken?: string;
  /** 1–100. @default 100 */
  MaxResults?: number;
}

export interface DeadLetter {
  DeadLetterId: string;
  InvocationId: string;
  RuleArn: string;
  RuleName: string;
  TargetId: string;
  TargetArn: string;
  /** The target's DeadLetterConfig ARN; absent when it has none. */
  DeadLetterArn?: string;
  /** `id` and `time` of the event that was not delivered. */
  EventId?: string;
  EventTime?: number;
  ErrorCode: string;
  ErrorMessage: string;
  /** `MaximumRetryAttempts` | `MaximumEventAgeInSeconds`; absent for a non-retriable error. */
  ExhaustedCondition?: string;
  /** Attempts made in all. */
  Attempts: number;
  /** When the invocation was given up. */
  Time: number;
  /** The undelivered event, as JSON text. */
  Event: string;
}

export interface ListDeadLettersOutput {
  DeadLetters: DeadLetter[];
  NextToken?: string;
}

export interface GetNextSlotsInput {
  /** 1–100 rule ARNs. */
  RuleArns: string[];
}

export interface GetNextSlotsOutput {
  /** One entry per requested ARN, in order; NextSlotTime absent when the loop has none. */
  Slots: { RuleArn: string; NextSlotTime?: number }[];
}

// ---- module ----

export interface CronbridgeApiDeps {
  history: Pick<RunHistory, 'slots' | 'deadLetterPage'>;
  rules: Pick<EventsService, 'describeRule'>;
  /** The running firing loop; without one no next slot is known. */
  firing?: Pick<FiringLoop, 'nextSlotOf'>;
  /** Signs page tokens (the engine's, shared with its services). */
  pageTokens: PageTokens;
}

const seconds = (ms: number) => ms / 1000;
const RULE_ARN = /^arn:[\w-]+:events:[\w-]*:\d{12}:rule\/.+$/;
const PAGE_MAX = 100;

/** The module for `createApiServer`. */
export function cronbridgeApi(deps: CronbridgeApiDeps): JsonServiceModule {
  return {
    protocol: 'awsJson1.1',
    signingName: CRONBRIDGE_SIGNING_NAME,
    targetPrefix: CRONBRIDGE_TARGET_PREFIX,
    errorMessageKey: 'message',
    operations: {
      GetRuleHistory: {
        input: {
          Rule: 'string',
          EventBusName: 'string',
          StartTime: 'double',
          EndTime: 'double',
          NextToken: 'string',
          MaxResults: 'integer',
        },
        handler: (body, ctx) => getRuleHistory(deps, body, ctx.aws),
      },
      ListDeadLetters: {
        input: {
          Rule: 'string',
          EventBusName: 'string',
          NextToken: 'string',
          MaxResults: 'integer',
        },
        handler: (body, ctx) => listDeadLetters(deps, body, ctx.aws),
      },
      GetNextSlots: {
        input: { RuleArns: { list: 'string' } },
        handler: async (body) => getNextSlots(deps, body),
      },
    },
  };
}

/**
 * A rule's ARN from a name or an ARN. The rule service knows live rules; a deleted rule's ARN is
 * rebuilt from the name, and `confirm` reports the rule as unknown only if it left no trace.
 */
async function resolveRule(
  deps: CronbridgeApiDeps,
  rule: string,
  busName: string,
  aws: AwsContext,
): Promise<{ arn: string; unknown?: ServiceError }> {
  if (RULE_ARN.test(rule)) return { arn: rule };
  try {
    const described = await deps.rules.describeRule(aws, { Name: rule, EventBusName: busName });
    return { arn: described.Arn };
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'ResourceNotFoundException') {
      return { arn: ruleArn(aws, busName, rule), unknown: error };
    }
    throw error;
  }
}

function checkPaging(v: Violations, body: Record<string, unknown>): number {
  return checkInteger(v, body['MaxResults'], 'maxResults', { min: 1, max: PAGE_MAX }) ?? PAGE_MAX;
}

function checkSeconds(value: unknown, path: string): number | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValidationException(`${path} must be a non-negative number of epoch seconds.`);
  }
  return Math.round(value * 1000);
}

async function getRuleHistory(
  deps: CronbridgeApiDeps,
  body: Record<string, unknown>,
  aws: AwsContext,
): Promise<GetRuleHistoryOutput> {
  const v = new Violations();
  const rule = checkString(v, body['Rule'], 'rule', { required: true, min: 1, max: 1600 });
  const busName = checkBusName(v, body['EventBusName'], aws);
  const maxResults = checkPaging(v, body);
  v.throwIfAny();
  const startMs = checkSeconds(body['StartTime'], 'StartTime');
  const endMs = checkSeconds(body['EndTime'], 'EndTime');
  const after = decodeToken(deps.pageTokens, 'GetRuleHistory', body['NextToken'], 'number');
  const { arn, unknown } = await resolveRule(deps, rule as string, busName, aws);
  // A page token carries the next slot's nominal time; (rule, nominal) is unique per slot row.
  const fromMs = after ?? startMs;
  const slots = await deps.history.slots({
    ruleArn: arn,
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(endMs === undefined ? {} : { toMs: endMs }),
    limit: maxResults + 1,
  });
  if (unknown && slots.length === 0 && after === undefined) {
    // No live rule and no slot in range: most likely a typo, so say so rather than print nothing.
    const any = await deps.history.slots({ ruleArn: arn, limit: 1 });
    if (any.length === 0) throw unknown;
  }
  const page = slots.slice(0, maxResults);
  const next = slots[maxResults];
  return {
    RuleArn: arn,
    Slots: page.map(toHistorySlot),
    ...(next ? { NextToken: encodeToken(deps.pageTokens, 'GetRuleHistory', next.nominalMs) } : {}),
  };
}

function toHistorySlot(slot: RunSlotView): HistorySlot {
  return {
    NominalTime: seconds(slot.nominalMs),
    FirstNominalTime: seconds(slot.firstNominalMs),
    SlotCount: slot.slotCount,
    Status: slot.status,
    ...(slot.firedAtMs === undefined ? {} : { FiredTime: seconds(slot.firedAtMs) }),
    ...(slot.lagMs === undefined ? {} : { LagMillis: slot.lagMs }),
    ...(slot.reason === undefined ? {} : { Reason: slot.reason }),
    Invocations: slot.invocations.map((inv) => ({
      InvocationId: inv.id,
      TargetId: inv.targetId,
      TargetArn: inv.targetArn,
      Status: inv.status,
      ...(inv.nextAttemptMs === undefined ? {} : { NextAttemptTime: seconds(inv.nextAttemptMs) }),
      Attempts: inv.attempts.map((a) => ({
        AttemptNumber: a.attemptNo,
        StartTime: seconds(a.startedMs),
        EndTime: seconds(a.finishedMs),
        Outcome: a.outcome,
        Retryable: a.retryable,
        ...(a.errorCode === undefined ? {} : { ErrorCode: a.errorCode }),
        ...(a.errorMessage === undefined ? {} : { ErrorMessage: a.errorMessage }),
        TaskArns: a.taskArns,
      })),
      TaskArns: inv.taskArns,
    })),
  };
}

/** A page token names the last letter handed out: `<creation ms>/<letter id>`. */
const letterToken = (tokens: PageTokens, d: DeadLetterView) =>
  encodeToken(tokens, 'ListDeadLetters', `${d.createdMs}/${d.id}`);

function letterPosition(token: string | undefined): DeadLetterPosition | undefined {
  if (token === undefined) return undefined;
  const slash = token.indexOf('/');
  const createdMs = Number(token.slice(0, slash));
  if (slash < 1 || !Number.isSafeInteger(createdMs)) {
    throw new ValidationException('The provided NextToken is not valid.');
  }
  return { createdMs, id: token.slice(slash + 1) };
}

async function listDeadLetters(
  deps: CronbridgeApiDeps,
  body: Record<string, unknown>,
  aws: AwsContext,
): Promise<ListDeadLettersOutput> {
  const v = new Violations();
  const rule = checkString(v, body['Rule'], 'rule', { min: 1, max: 1600 });
  const busName = checkBusName(v, body['EventBusName'], aws);
  const maxResults = checkPaging(v, body);
  v.throwIfAny();
  const after = letterPosition(
    decodeToken(deps.pageTokens, 'ListDeadLetters', body['NextToken'], 'string'),
  );
  const resolved = rule === undefined ? undefined : await resolveRule(deps, rule, busName, aws);
  const { letters, more } = await deps.history.deadLetterPage({
    ...(resolved ? { ruleArn: resolved.arn } : {}),
    ...(after ? { after } : {}),
    limit: maxResults,
  });
  // A rule that no longer exists is still asked about by its letters; without any, it is unknown.
  if (resolved?.unknown && letters.length === 0 && after === undefined) throw resolved.unknown;
  const last = letters.at(-1);
  return {
    DeadLetters: letters.map((letter) => toDeadLetter(letter.dlqArn ?? 'none', letter)),
    ...(more && last ? { NextToken: letterToken(deps.pageTokens, last) } : {}),
  };
}

function toDeadLetter(dlq: string, d: DeadLetterView): DeadLetter {
  const event = (d.event ?? {}) as { id?: unknown; time?: unknown };
  const eventMs = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
  return {
    DeadLetterId: d.id,
    InvocationId: d.invocationId,
    RuleArn: d.ruleArn,
    RuleName: d.ruleArn.slice(d.ruleArn.lastIndexOf('/') + 1),
    TargetId: d.targetId,
    TargetArn: d.targetArn,
    // The history files letters of targets without a DeadLetterConfig under 'none'.
    ...(dlq === 'none' ? {} : { DeadLetterArn: dlq }),
    ...(typeof event.id === 'string' ? { EventId: event.id } : {}),
    ...(Number.isNaN(eventMs) ? {} : { EventTime: seconds(eventMs) }),
    ErrorCode: d.errorCode,
    ErrorMessage: d.errorMessage,
    ...(d.exhaustedCondition === undefined ? {} : { ExhaustedCondition: d.exhaustedCondition }),
    Attempts: d.attempts,
    Time: seconds(d.createdMs),
    Event: JSON.stringify(d.event),
  };
}

function getNextSlots(deps: CronbridgeApiDeps, body: Record<string, unknown>): GetNextSlotsOutput {
  const v = new Violations();
  const list = checkList(v, body['RuleArns'], 'ruleArns', { required: true, min: 1, max: 100 });
  v.throwIfAny();
  const arns = (list ?? []).map((item, i) =>
    checkString(v, item, `ruleArns.${i + 1}.member`, { required: true, min: 1, max: 1600 }),
  );
  v.throwIfAny();
  return {
    Slots: arns.map((arn) => {
      const next = arn === undefined ? undefined : deps.firing?.nextSlotOf(arn);
      return {
        RuleArn: arn ?? '',
        ...(next === undefined ? {} : { NextSlotTime: seconds(next) }),
      };
    }),
  };
}
