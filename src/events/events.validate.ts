/**
 * Model-constraint checks for EventBridge requests, in AWS's message format
 * (`N validation error(s) detected: Value '<v>' at '<path>' failed to satisfy constraint: Member
 * must …`, violations joined by `; `, aws-semantics.md §6.4), thrown as `ValidationException`.
 * Member paths use the wire's camelCase names with list indices (`targets.1.member.id`).
 *
 * Requests arrive as decoded JSON, so values are `unknown` here and narrowed by the checks. A
 * value of the wrong JSON type is refused at once (AWS does so before any constraint check).
 */
import { SerializationException, ValidationError } from './events.errors.ts';

/** `[\.\-_A-Za-z0-9]+` [model]: rule names, target ids. */
export const NAME_PATTERN = '[\\.\\-_A-Za-z0-9]+';
/** Event bus names [model]. */
export const BUS_NAME_PATTERN = '[/\\.\\-_A-Za-z0-9]+';
/** `EventBusName` in rule operations: a name or a bus ARN [model]. */
export const BUS_NAME_OR_ARN_PATTERN =
  '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+';

const compiled = new Map<string, RegExp>();
/** Model patterns match the whole value (AWS anchors them implicitly). */
function fullMatch(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
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

/** Collects the constraint violations of one request and throws them together. */
export class Violations {
  readonly #items: string[] = [];

  add(value: unknown, path: string, constraint: string): void {
    const shown = value == null ? 'Value null' : `Value '${render(value)}'`;
    this.#items.push(
      `${shown} at '${path}' failed to satisfy constraint: Member must ${constraint}`,
    );
  }

  get count(): number {
    return this.#items.length;
  }

  /** Throws one `ValidationException` listing every violation, if there are any. */
  throwIfAny(): void {
    const n = this.#items.length;
    if (n === 0) return;
    const noun = n === 1 ? 'error' : 'errors';
    throw new ValidationError(`${n} validation ${noun} detected: ${this.#items.join('; ')}`);
  }
}

function wrongType(path: string, type: string): SerializationException {
  return new SerializationException(`Expected ${type} at '${path}'.`);
}

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: string;
}

/** A string member; returns it when present (even if it broke a constraint). */
export function checkString(
  v: Violations,
  value: unknown,
  path: string,
  rule: StringRule = {},
): string | undefined {
  if (value == null) {
    if (rule.required) v.add(value, path, 'not be null');
    return undefined;
  }
  if (typeof value !== 'string') throw wrongType(path, 'a string');
  if (rule.min !== undefined && value.length < rule.min) {
    v.add(value, path, `have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    v.add(value, path, `have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern !== undefined && !fullMatch(rule.pattern, value)) {
    v.add(value, path, `satisfy regular expression pattern: ${rule.pattern}`);
  }
  return value;
}

export interface IntegerRule {
  required?: boolean;
  min?: number;
  max?: number;
}

export function checkInteger(
  v: Violations,
  value: unknown,
  path: string,
  rule: IntegerRule = {},
): number | undefined {
  if (value == null) {
    if (rule.required) v.add(value, path, 'not be null');
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(path, 'an integer');
  if (rule.min !== undefined && value < rule.min) {
    v.add(value, path, `have value greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value > rule.max) {
    v.add(value, path, `have value less than or equal to ${rule.max}`);
  }
  return value;
}

export function checkEnum<T extends string>(
  v: Violations,
  value: unknown,
  path: string,
  allowed: readonly T[],
  required = false,
): T | undefined {
  if (value == null) {
    if (required) v.add(value, path, 'not be null');
    return undefined;
  }
  if (typeof value !== 'string') throw wrongType(path, 'a string');
  if (!(allowed as readonly string[]).includes(value)) {
    v.add(value, path, `satisfy enum value set: [${allowed.join(', ')}]`);
    return undefined;
  }
  return value as T;
}

export function checkBoolean(value: unknown, path: string): boolean | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(path, 'a boolean');
  return value;
}

export interface ListRule {
  required?: boolean;
  min?: number;
  max?: number;
}

export function checkList(
  v: Violations,
  value: unknown,
  path: string,
  rule: ListRule = {},
): unknown[] | undefined {
  if (value == null) {
    if (rule.required) v.add(value, path, 'not be null');
    return undefined;
  }
  if (!Array.isArray(value)) throw wrongType(path, 'a list');
  if (rule.min !== undefined && value.length < rule.min) {
    v.add(value, path, `have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    v.add(value, path, `have length less than or equal to ${rule.max}`);
  }
  return value;
}

/** A structure member: a plain JSON object. */
export function checkObject(
  v: Violations,
  value: unknown,
  path: string,
  required = false,
): Record<string, unknown> | undefined {
  if (value == null) {
    if (required) v.add(value, path, 'not be null');
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(path, 'a structure');
  return value as Record<string, unknown>;
}

/** `Tags` of PutRule, TagResource and CreateEventBus: `[{Key 1–128, Value 0–256}]` [model]. */
export function checkTags(
  v: Violations,
  value: unknown,
  path: string,
  required = false,
): { Key: string; Value: string }[] | undefined {
  const list = checkList(v, value, path, { required });
  if (!list) return undefined;
  const tags: { Key: string; Value: string }[] = [];
  list.forEach((item, i) => {
    const at = `${path}.${i + 1}.member`;
    const tag = checkObject(v, item, at, true);
    if (!tag) return;
    const key = checkString(v, tag.Key, `${at}.key`, { required: true, min: 1, max: 128 });
    const val = checkString(v, tag.Value, `${at}.value`, { required: true, max: 256 });
    if (key !== undefined && val !== undefined) tags.push({ Key: key, Value: val });
  });
  return tags;
}

/** `Limit` of list operations: 1–100 [model]. */
export function checkLimit(v: Violations, value: unknown): number | undefined {
  return checkInteger(v, value, 'limit', { min: 1, max: 100 });
}
