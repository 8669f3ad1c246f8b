/**
 * Model-constraint checks for CloudWatch Logs requests, producing AWS's message format:
 * `N validation error(s) detected: Value '<v>' at '<path>' failed to satisfy constraint: Member must …`
 * with violations joined by `; `. CloudWatch Logs sends these as `InvalidParameterException`
 * (aws-verified for `limit`; aws-semantics.md §6.4), not as `ValidationException`.
 *
 * The request arrives as decoded JSON, so values are `unknown` here and narrowed by the checks.
 */
import { InvalidParameterError, LogsValidationError } from './logs.errors.ts';

/** `[\.\-_/#A-Za-z0-9]+`, 1–512 [model]. */
export const LOG_GROUP_NAME_PATTERN = '[\\.\\-_/#A-Za-z0-9]+';
/** `[^:*]*`, 1–512 [model]. */
export const LOG_STREAM_NAME_PATTERN = '[^:*]*';
/** Tag keys and values [model]. */
export const TAG_KEY_PATTERN = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$';
export const TAG_VALUE_PATTERN = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';

const compiled = new Map<string, RegExp>();
/** Model patterns must match the whole value (AWS anchors them implicitly). */
function fullMatch(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    const body = pattern.startsWith('^') ? pattern.slice(1, -1) : pattern;
    re = new RegExp(`^(?:${body})$`, 'u');
    compiled.set(pattern, re);
  }
  return re.test(value);
}

/** Renders a value the way AWS's (Java) validator prints it inside `Value '…'`. */
function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${render(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

const MAX_RENDERED = 1_024;

/** Collects constraint violations of one request and throws them together. */
export class Violations {
  readonly #items: string[] = [];

  add(value: unknown, path: string, constraint: string): void {
    // A rejected 10,001-event batch would otherwise echo megabytes back; AWS's own cut-off is
    // unknown, so values are shortened to a readable length.
    let text = render(value);
    if (text.length > MAX_RENDERED) text = `${text.slice(0, MAX_RENDERED)}...`;
    const shown = value == null ? 'Value null' : `Value '${text}'`;
    this.#items.push(
      `${shown} at '${path}' failed to satisfy constraint: Member must ${constraint}`,
    );
  }

  get count(): number {
    return this.#items.length;
  }

  /** Throws one `InvalidParameterException` listing every violation, if there are any. */
  throwIfAny(): void {
    const n = this.#items.length;
    if (n === 0) return;
    const noun = n === 1 ? 'error' : 'errors';
    throw new InvalidParameterError(`${n} validation ${noun} detected: ${this.#items.join('; ')}`);
  }
}

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: string;
  required?: boolean;
}

function typeError(path: string, type: string): InvalidParameterError {
  // Wrong JSON types are a SerializationException on AWS; the HTTP layer is expected to catch
  // them first, so this is a fallback for direct callers.
  return new InvalidParameterError(`Invalid type for parameter ${path}, expected ${type}.`);
}

/** Checks a string member; returns it narrowed (undefined when absent and optional). */
export function checkString(
  v: Violations,
  value: unknown,
  path: string,
  rule: StringRule,
): string | undefined {
  if (value == null) {
    if (rule.required) v.add(null, path, 'not be null');
    return undefined;
  }
  if (typeof value !== 'string') throw typeError(path, 'string');
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min) {
    v.add(value, path, `have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && length > rule.max) {
    v.add(value, path, `have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern !== undefined && !fullMatch(rule.pattern, value)) {
    v.add(value, path, `satisfy regular expression pattern: ${rule.pattern}`);
  }
  return value;
}

/** Checks an integer member against an inclusive range. */
export function checkInteger(
  v: Violations,
  value: unknown,
  path: string,
  rule: { min?: number; max?: number; required?: boolean },
): number | undefined {
  if (value == null) {
    if (rule.required) v.add(null, path, 'not be null');
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(path, 'integer');
  if (rule.min !== undefined && value < rule.min) {
    v.add(value, path, `have value greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value > rule.max) {
    v.add(value, path, `have value less than or equal to ${rule.max}`);
  }
  return value;
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
  if (value == null) return undefined;
  if (typeof value !== 'boolean') throw typeError(path, 'boolean');
  return value;
}

/** Checks an enum member; the message lists the allowed values as AWS does. */
export function checkEnum<T extends string | number>(
  v: Violations,
  value: unknown,
  path: string,
  allowed: readonly T[],
  required = false,
): T | undefined {
  if (value == null) {
    if (required) v.add(null, path, 'not be null');
    return undefined;
  }
  if (!allowed.includes(value as T)) {
    v.add(value, path, `satisfy enum value set: [${allowed.join(', ')}]`);
    return undefined;
  }
  return value as T;
}

/** Checks a list member's length; items are checked by the caller. */
export function checkList(
  v: Violations,
  value: unknown,
  path: string,
  rule: { min?: number; max?: number; required?: boolean },
): unknown[] | undefined {
  if (value == null) {
    if (rule.required) v.add(null, path, 'not be null');
    return undefined;
  }
  if (!Array.isArray(value)) throw typeError(path, 'list');
  if (rule.min !== undefined && value.length < rule.min) {
    v.add(value, path, `have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    v.add(value, path, `have length less than or equal to ${rule.max}`);
  }
  return value;
}

/** Checks a tag map: 1–50 entries, key 1–128 and value 0–256 characters, model patterns. */
export function checkTags(
  v: Violations,
  value: unknown,
  path: string,
  required = false,
): Record<string, string> | undefined {
  if (value == null) {
    if (required) v.add(null, path, 'not be null');
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(path, 'map');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length < 1) v.add(value, path, 'have length greater than or equal to 1');
  if (entries.length > 50) v.add(value, path, 'have length less than or equal to 50');
  const out: Record<string, string> = {};
  for (const [key, val] of entries) {
    checkString(v, key, `${path}.key`, { min: 1, max: 128, pattern: TAG_KEY_PATTERN });
    const s = checkString(v, val, `${path}.${key}.member`, {
      required: true,
      max: 256,
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
    throw new LogsValidationError(
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
