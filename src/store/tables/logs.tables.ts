/**
 * Tables of the CloudWatch Logs domain: groups, streams and events.
 *
 * Streams get a surrogate `id` (random hex) so the event table, which holds millions of rows,
 * repeats a short key instead of the group and stream names (up to 512 characters each). A
 * re-created stream gets a new id, so events of a deleted stream can never reappear.
 */

/** One log group. `tags` is a JSON object text; booleans are 0/1 integers for dialect neutrality. */
export interface LogGroupRow {
  /** The group's region: `(region, name)` is its key, so each region has its own names. */
  region: string;
  name: string;
  /** `arn:…:log-group:<name>` (no trailing `:*`; the wire `arn` member adds it). */
  arn: string;
  creation_time: number;
  retention_in_days: number | null;
  kms_key_id: string | null;
  log_group_class: string;
  tags: string;
  deletion_protection: number;
}

/** One log stream; the event bounds are null until the first event arrives. */
export interface LogStreamRow {
  id: string;
  /** Its group's region; `(region, group_name, name)` is unique. */
  region: string;
  group_name: string;
  name: string;
  creation_time: number;
  first_event_timestamp: number | null;
  last_event_timestamp: number | null;
  last_ingestion_time: number | null;
  /** Highest event `seq` handed out in this stream (0 when empty); sequences are per stream. */
  last_seq: number;
}

/** One stored log event. Reads order by (timestamp, seq); `seq` is the ingestion order. */
export interface LogEventRow {
  stream_id: string;
  seq: number;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

export interface LogsTables {
  logs_groups: LogGroupRow;
  logs_streams: LogStreamRow;
  logs_events: LogEventRow;
}
