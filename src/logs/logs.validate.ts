/**
 * Model-constraint checks for CloudWatch Logs requests: the shared checks of
 * `platform/model-constraints.ts` bound to CloudWatch Logs' errors, plus Logs' own members.
 * CloudWatch Logs sends violations as `InvalidParameterException` (aws-verified for `limit`;
 * aws-semantics.md §6.4), not as `ValidationException`.
 */
import {
  checkBoolean as checkBooleanIn,
  checkEnum,
  checkInteger,
  checkList,
  checkObject,
  checkString,
  type ConstraintDialect,
  Violations as ModelViolations,
} from '../platform/model-constraints.ts';
import {
  MAX_TAGS,
  TAG_KEY_MAX_LENGTH,
  TAG_KEY_PATTERN,
  TAG_VALUE_MAX_LENGTH,
  TAG_VALUE_PATTERN,
} from '../platform/tags.ts';
import { InvalidParameterException, ValidationException } from './logs.errors.ts';

export { checkEnum, checkInteger, checkList, checkString };
export type { StringRule } from '../platform/model-constraints.ts';

/** `[\.\-_/#A-Za-z0-9]+`, 1–512 [model]. */
export const LOG_GROUP_NAME_PATTERN = '[\\.\\-_/#A-Za-z0-9]+';
/** `[^:*]*`, 1–512 [model]. */
export const LOG_STREAM_NAME_PATTERN = '[^:*]*';

const LOGS: ConstraintDialect = {
  invalid: (message) => new InvalidParameterException(message),
  // Wrong JSON types are a SerializationException on AWS; the HTTP layer is expected to catch
  // them first, so this is a fallback for direct callers.
  wrongType: (path, kind) =>
    new InvalidParameterException(`Invalid type for parameter ${path}, expected ${kind}.`),
  // Lengths in code points, so one emoji counts as one character.
  length: (value) => [...value].length,
  // A rejected 10,001-event batch would otherwise echo megabytes back; AWS's own cut-off is
  // unknown, so values are shortened to a readable length.
  maxRendered: 1_024,
};

/** Collects the constraint violations of one request; throws them as `InvalidParameterException`. */
export class Violations extends ModelViolations {
  constructor() {
    super(LOGS);
  }
}

/** Checks a timestamp (long, ms) member: AWS's model only requires a non-negative integer. */
export function checkTimestamp(
  v: Violations,
  value: unknown,
  path: string,
  required = false,
): number | undefined {
  return checkInteger(v, value, path, { min: 0, required });
}

export function checkBoolean(value: unknown, path: string): boolean | undefined {
  return checkBooleanIn(LOGS, value, path);
}

/** Checks a tag map: 1–50 entries, key 1–128 and value 0–256 characters, model patterns. */
export function checkTags(
  v: Violations,
  value: unknown,
  path: string,
  required = false,
): Record<string, string> | undefined {
  const map = checkObject(v, value, path, required, 'map');
  if (!map) return undefined;
  const entries = Object.entries(map);
  if (entries.length < 1) v.add(value, path, 'have length greater than or equal to 1');
  if (entries.length > MAX_TAGS) {
    v.add(value, path, `have length less than or equal to ${MAX_TAGS}`);
  }
  const out: Record<string, string> = {};
  for (const [key, val] of entries) {
    checkString(v, key, `${path}.key`, {
      min: 1,
      max: TAG_KEY_MAX_LENGTH,
      pattern: TAG_KEY_PATTERN,
    });
    const s = checkString(v, val, `${path}.${key}.member`, {
      required: true,
      max: TAG_VALUE_MAX_LENGTH,
      pattern: TAG_VALUE_PATTERN,
    });
    out[key] = s ?? '';
  }
  return out;
}

/** Checks a log group name member (1–512, model pattern). */
export function checkGroupName(
  v: Violations,
  value: unknown,
  path = 'logGroupName',
  required = true,
): string | undefined {
  return checkString(v, value, path, {
    required,
    min: 1,
    max: 512,
    pattern: LOG_GROUP_NAME_PATTERN,
  });
}

/** Checks a log stream name member (1–512, no `:` or `*`). */
export function checkStreamName(
  v: Violations,
  value: unknown,
  path = 'logStreamName',
  required = true,
): string | undefined {
  return checkString(v, value, path, {
    required,
    min: 1,
    max: 512,
    pattern: LOG_STREAM_NAME_PATTERN,
  });
}

/**
 * Resolves `logGroupName` xor `logGroupIdentifier` (a name or a log group ARN, with or without the
 * trailing `:*`) to a group name. Both together is AWS's verified ValidationException.
 */
export function resolveGroupName(v: Violations, name: unknown, identifier: unknown): string {
  if (name != null && identifier != null) {
    throw new ValidationException(
      'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    );
  }
  if (identifier != null) {
    const id = checkString(v, identifier, 'logGroupIdentifier', {
      min: 1,
      max: 2048,
      pattern: '[\\w#+=/:,.@-]*',
    });
    return groupNameFromIdentifier(id ?? '');
  }
  return checkGroupName(v, name) ?? '';
}

/** `arn:<p>:logs:<r>:<a>:log-group:<name>[:*]` → `<name>`; a plain name passes through. */
export function groupNameFromIdentifier(identifier: string): string {
  const marker = ':log-group:';
  const at = identifier.indexOf(marker);
  if (!identifier.startsWith('arn:') || at < 0) return identifier;
  const rest = identifier.slice(at + marker.length);
  return rest.endsWith(':*') ? rest.slice(0, -2) : rest;
}
