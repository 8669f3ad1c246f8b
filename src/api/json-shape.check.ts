/**
 * A light type guard for awsJson inputs. AWS's JSON services deserialize the body against the
 * model before any validation, so a member of the wrong JSON type (a string where a number is
 * expected, an object where a list is) fails as `SerializationException`, not as the service's
 * constraint error. Each operation may declare its members' types here; the guard walks the body
 * and throws on the first mismatch. Constraints (lengths, patterns, ranges, required members)
 * stay with the services, which also check types again as a fallback for direct callers.
 *
 * Unknown members are ignored and `null` counts as absent, as AWS's JSON deserializer does.
 * Message texts follow the one verified AWS example (`STRING_VALUE can not be converted to an
 * Integer`); the others are built the same way and are unconfirmed.
 */
import { SerializationException } from './api.errors.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';

/** Scalars of the Smithy model as they appear in JSON. */
export type ScalarShape = 'string' | 'integer' | 'long' | 'double' | 'boolean';

/** A member's type: a scalar, a list or map of a shape, or a structure with its own members. */
export type Shape =
  | ScalarShape
  | { readonly list: Shape }
  | { readonly map: Shape }
  | { readonly struct: MemberShapes };

/** Member name → shape, for one structure (an operation's input is one). */
export type MemberShapes = Readonly<Record<string, Shape>>;

const SCALAR_NAMES: Record<ScalarShape, string> = {
  string: 'a String',
  integer: 'an Integer',
  long: 'a Long',
  double: 'a Double',
  boolean: 'a Boolean',
};

/** The JSON token name the way AWS's deserializer reports it. */
function tokenOf(value: unknown): string {
  if (typeof value === 'string') return 'STRING_VALUE';
  if (typeof value === 'number') return 'NUMBER_VALUE';
  if (value === true) return 'TRUE_VALUE';
  if (value === false) return 'FALSE_VALUE';
  if (Array.isArray(value)) return 'START_ARRAY';
  return 'START_OBJECT';
}

function mismatch(value: unknown, expected: string): SerializationException {
  if (Array.isArray(value)) {
    return new SerializationException('Start of list found where not expected.');
  }
  if (value !== null && typeof value === 'object') {
    return new SerializationException('Start of structure or map found where not expected.');
  }
  return new SerializationException(`${tokenOf(value)} can not be converted to ${expected}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkValue(value: unknown, shape: Shape): void {
  if (value === null || value === undefined) return;
  if (typeof shape === 'string') {
    const ok =
      shape === 'string'
        ? typeof value === 'string'
        : shape === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'number';
    if (!ok) throw mismatch(value, SCALAR_NAMES[shape]);
    return;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) throw mismatch(value, 'a List');
    for (const item of value) checkValue(item, shape.list);
    return;
  }
  if (!isPlainObject(value)) throw mismatch(value, 'a Map');
  if ('map' in shape) {
    for (const item of Object.values(value)) checkValue(item, shape.map);
    return;
  }
  checkMembers(value, shape.struct);
}

/** Throws `SerializationException` on the first member whose JSON type does not fit its shape. */
export function checkMembers(input: Record<string, unknown>, members: MemberShapes): void {
  for (const [name, shape] of Object.entries(members)) {
    if (Object.hasOwn(input, name)) checkValue(input[name], shape);
  }
}

/**
 * Parses an awsJson request body: empty means `{}`; anything but a JSON object is a
 * `SerializationException`.
 */
export function parseJsonObject(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    // ⚠ AWS's text for over-deep bodies is unconfirmed; the code is what its deserializer uses.
    throw new SerializationException(
      `The request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new SerializationException('The request body could not be parsed as JSON.', {
      cause: error,
    });
  }
  if (!isPlainObject(parsed)) {
    throw new SerializationException('The request body must be a JSON object.');
  }
  return parsed;
}
