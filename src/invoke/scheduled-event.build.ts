/**
 * The Scheduled Event a rule's targets receive (reference §2.6): fixed key order, a fresh UUIDv4
 * id, and `time` = the slot's nominal instant at second precision with a `Z` suffix.
 */
import type { AwsContext } from '../platform/ids.ts';

/** The event document; members in AWS's order (JSON.stringify keeps insertion order). */
export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.events';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, never>;
}

/** `YYYY-MM-DDTHH:MM:SSZ` (milliseconds dropped, not rounded: the slot is inside that second). */
export function formatEventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function buildScheduledEvent(input: {
  ruleArn: string;
  nominalMs: number;
  /** The rule's own partition, region and account (from its ARN). */
  context: AwsContext;
  id: string;
}): ScheduledEvent {
  return {
    version: '0',
    id: input.id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: input.context.accountId,
    time: formatEventTime(input.nominalMs),
    region: input.context.region,
    resources: [input.ruleArn],
    detail: {},
  };
}
