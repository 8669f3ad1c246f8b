/**
 * PutLogEvents: validation, the whole-batch rules (size, count, order, 24-hour span), per-event
 * rejection of too-new / too-old / expired events, then one append.
 */
import { appendEvents } from './log-events.append.ts';
import { InvalidParameterException } from './logs.errors.ts';
import {
  DAY_MS,
  eventSize,
  getStream,
  type LogsDeps,
  retentionCutoff,
  sequenceToken,
} from './logs.model.ts';
import type {
  InputLogEvent,
  PutLogEventsInput,
  PutLogEventsOutput,
  RejectedLogEventsInfo,
} from './logs.types.ts';
import {
  checkGroupName,
  checkList,
  checkStreamName,
  checkString,
  checkTimestamp,
  Violations,
} from './logs.validate.ts';

/** Batch limits [model doc]. */
export const MAX_BATCH_EVENTS = 10_000;
export const MAX_BATCH_BYTES = 1_048_576;
/** Events further ahead than this are rejected individually. */
export const MAX_FUTURE_MS = 2 * 3_600_000;
/** Events older than this are rejected individually. */
export const MAX_AGE_MS = 14 * DAY_MS;
/** The accepted events of one batch may not span more than this. */
export const MAX_BATCH_SPAN_MS = DAY_MS;

/** Validates the request members and returns the events narrowed to their wire type. */
export function validatePutLogEvents(input: PutLogEventsInput): {
  groupName: string;
  streamName: string;
  events: InputLogEvent[];
} {
  const v = new Violations();
  const groupName = checkGroupName(v, input.logGroupName) ?? '';
  const streamName = checkStreamName(v, input.logStreamName) ?? '';
  const list =
    checkList(v, input.logEvents, 'logEvents', {
      required: true,
      min: 1,
      max: MAX_BATCH_EVENTS,
    }) ?? [];
  checkString(v, input.sequenceToken, 'sequenceToken', { min: 1 });
  const events: InputLogEvent[] = [];
  list.forEach((item, i) => {
    const e = (item ?? {}) as Partial<InputLogEvent>;
    const path = `logEvents.${i + 1}.member`;
    const timestamp = checkTimestamp(v, e.timestamp, `${path}.timestamp`, true) ?? 0;
    const message = checkString(v, e.message, `${path}.message`, { required: true, min: 1 }) ?? '';
    events.push({ timestamp, message });
  });
  v.throwIfAny();

  let bytes = 0;
  for (const e of events) bytes += eventSize(e.message);
  if (bytes > MAX_BATCH_BYTES) {
    // Limit and arithmetic are AWS's [model doc]; the message text is unconfirmed.
    throw new InvalidParameterException(
      `Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`,
    );
  }
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as InputLogEvent).timestamp < (events[i - 1] as InputLogEvent).timestamp) {
      throw new InvalidParameterException(
        'Log events in a single PutLogEvents request must be in chronological order.',
      );
    }
  }
  return { groupName, streamName, events };
}

/**
 * Splits a chronologically sorted batch into the accepted slice and AWS's rejection indices.
 * Too-old and expired events form a prefix, too-new ones a suffix, because the batch is sorted.
 */
export function classifyEvents(
  events: readonly InputLogEvent[],
  now: number,
  expiredBefore: number,
): { accepted: readonly InputLogEvent[]; rejected?: RejectedLogEventsInfo } {
  const oldBefore = now - MAX_AGE_MS;
  const newAfter = now + MAX_FUTURE_MS;
  let tooOldEnd = 0;
  while (tooOldEnd < events.length && (events[tooOldEnd] as InputLogEvent).timestamp < oldBefore) {
    tooOldEnd++;
  }
  let expiredEnd = 0;
  while (
    expiredEnd < events.length &&
    (events[expiredEnd] as InputLogEvent).timestamp < expiredBefore
  ) {
    expiredEnd++;
  }
  let tooNewStart = events.length;
  while (tooNewStart > 0 && (events[tooNewStart - 1] as InputLogEvent).timestamp > newAfter) {
    tooNewStart--;
  }
  const rejected: RejectedLogEventsInfo = {};
  if (tooNewStart < events.length) rejected.tooNewLogEventStartIndex = tooNewStart;
  if (tooOldEnd > 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
  if (expiredEnd > 0) rejected.expiredLogEventEndIndex = expiredEnd;
  const start = Math.min(Math.max(tooOldEnd, expiredEnd), tooNewStart);
  const accepted = events.slice(start, tooNewStart);
  return Object.keys(rejected).length === 0 ? { accepted } : { accepted, rejected };
}

export async function putLogEvents(
  deps: LogsDeps,
  input: PutLogEventsInput,
): Promise<PutLogEventsOutput> {
  const { groupName, streamName, events } = validatePutLogEvents(input);
  return deps.store.transaction(async (trx) => {
    const { group, stream } = await getStream(trx, deps.context.region, groupName, streamName);
    const now = deps.clock.now();
    const { accepted, rejected } = classifyEvents(events, now, retentionCutoff(group, now));
    const first = accepted[0];
    const last = accepted[accepted.length - 1];
    if (first && last && last.timestamp - first.timestamp > MAX_BATCH_SPAN_MS) {
      // Rule [model doc]; message text unconfirmed (aws-semantics.md Appendix C).
      throw new InvalidParameterException(
        'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      );
    }
    const lastSeq = await appendEvents(trx, stream.id, accepted, now);
    const out: PutLogEventsOutput = { nextSequenceToken: sequenceToken(lastSeq) };
    if (rejected) out.rejectedLogEventsInfo = rejected;
    return out;
  });
}
