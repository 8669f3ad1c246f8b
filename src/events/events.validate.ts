/**
 * Model-constraint checks for EventBridge requests: the shared checks of
 * `platform/model-constraints.ts` bound to EventBridge's errors (violations are a
 * `ValidationException`), plus EventBridge's own member shapes. Member paths use the wire's
 * camelCase names with list indices (`targets.1.member.id`).
 *
 * A value of the wrong JSON type is refused at once as a `SerializationException` (AWS does so
 * before any constraint check).
 */
import {
  checkBoolean as checkBooleanIn,
  checkEnum as checkEnumMember,
  checkInteger,
  checkList,
  checkObject,
  checkString,
  type ConstraintDialect,
  type JsonKind,
  Violations as ModelViolations,
} from '../platform/model-constraints.ts';
import { SerializationException, ValidationException } from './events.errors.ts';

export { checkInteger, checkList, checkObject, checkString };
export type { IntegerRule, ListRule, StringRule } from '../platform/model-constraints.ts';

/** `[\.\-_A-Za-z0-9]+` [model]: rule names, target ids. */
export const NAME_PATTERN = '[\\.\\-_A-Za-z0-9]+';
/** Event bus names [model]. */
export const BUS_NAME_PATTERN = '[/\\.\\-_A-Za-z0-9]+';
/** `EventBusName` in rule operations: a name or a bus ARN [model]. */
export const BUS_NAME_OR_ARN_PATTERN =
  '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+';

const ARTICLE: Record<JsonKind, string> = {
  string: 'a string',
  integer: 'an integer',
  boolean: 'a boolean',
  list: 'a list',
  structure: 'a structure',
  map: 'a map',
};

const EVENTS: ConstraintDialect = {
  invalid: (message) => new ValidationException(message),
  wrongType: (path, kind) => new SerializationException(`Expected ${ARTICLE[kind]} at '${path}'.`),
  // Lengths in UTF-16 units (JavaScript's own), unlike CloudWatch Logs' code points.
  length: (value) => value.length,
};

/** Collects the constraint violations of one request; throws them as one `ValidationException`. */
export class Violations extends ModelViolations {
  constructor() {
    super(EVENTS);
  }
}

/** A string enum member; a non-string value is a `SerializationException`, not a violation. */
export function checkEnum<T extends string>(
  v: Violations,
  value: unknown,
  path: string,
  allowed: readonly T[],
  required = false,
): T | undefined {
  if (value != null && typeof value !== 'string') throw EVENTS.wrongType(path, 'string');
  return checkEnumMember(v, value, path, allowed, required);
}

export function checkBoolean(value: unknown, path: string): boolean | undefined {
  return checkBooleanIn(EVENTS, value, path);
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
