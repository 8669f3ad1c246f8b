/**
 * Tables of the EventBridge rules domain: custom event buses, rules and their targets.
 *
 * Everything is regional: a bus is keyed by `(region, name)`, and each region has its own
 * `default` bus, which is never stored (it always exists) unless it is tagged. Rules are keyed by
 * ARN (which already encodes region, bus and name); `(region, bus_name, name)` is unique as well. Tags
 * are a JSON object text (`{"key":"value"}`, insertion order kept) and a target's wire members are
 * stored as JSON text, byte-for-byte as the client sent its strings (Terraform compares `Input`).
 */

/** One custom event bus. */
export interface EventBusRow {
  region: string;
  name: string;
  arn: string;
  description: string | null;
  tags: string;
  created_ms: number;
}

/** One rule. Empty members are null, so DescribeRule can omit them. */
export interface RuleRow {
  arn: string;
  /** The region of the ARN, as a column so one region's rules are listed by index. */
  region: string;
  bus_name: string;
  name: string;
  schedule_expression: string | null;
  event_pattern: string | null;
  /** `ENABLED` | `DISABLED` | `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`. */
  state: string;
  description: string | null;
  role_arn: string | null;
  /** Phase of a `rate()` schedule, epoch ms (see `ScheduledRule.anchorMs`). */
  anchor_ms: number;
  created_ms: number;
  tags: string;
}

/** One target of a rule. `seq` keeps the order targets were first added in. */
export interface RuleTargetRow {
  rule_arn: string;
  target_id: string;
  /** The target's `Arn`, duplicated out of `body` for ListRuleNamesByTarget. */
  target_arn: string;
  seq: number;
  /** The `Target` structure as JSON text (AWS member names). */
  body: string;
}

export interface EventsTables {
  events_buses: EventBusRow;
  events_rules: RuleRow;
  events_targets: RuleTargetRow;
}
