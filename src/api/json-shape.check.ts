/**
 * A light type guard for awsJson inputs. AWS's JSON services deserialize the body against the
 * model before any validation, so a member of the wrong JSON type (a string where a number is
 * expected, an object where a list is) fails as `SerializationException`, not as the service's
 * constraint error. Each operation declares its members' types here; the guard walks the body, at
 * every depth, and throws on the first mismatch. Constraints (lengths, patterns, ranges, required members)
 * stay with the services, which also check types again as a fallback for direct callers.
 *
 * Unknown members are ignored and a `null` member counts as absent, as AWS's JSON deserializer
 * does; a `null` inside a list or map is refused unless the model marks it sparse. The shapes of
 * the AWS services are derived from the SDK's models (model-shapes.ts), so every depth is checked.
 */
import { SerializationException } from './api.errors.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';

/**
 * Scalars of the Smithy model as they appear in awsJson: numbers (`integer`, `long`, `double`
 * differ only in the error text), `timestamp` (epoch seconds, a number), `blob` (base64 text) and
 * `document` (any JSON value, not checked).
 */
export type ScalarShape =
  'string' | 'integer' | 'long' | 'double' | 'boolean' | 'timestamp' | 'blob' | 'document';

/**
 * A member's type: a scalar, a list or map of a shape, or a structure with its own members. A
 * list or map is `sparse` when the model lets it hold `null`; otherwise a `null` entry is refused
 * (the services would trip over it).
 */
export type Shape =
  | ScalarShape
  | { readonly list: Shape; readonly sparse?: boolean }
  | { readonly map: Shape; readonly sparse?: boolean }
  | { readonly struct: MemberShapes };

/** Member name → shape, for one structure (an operation's input is one). */
export type MemberShapes = Readonly<Record<string, Shape>>;

const SCALAR_NAMES: Record<Exclude<ScalarShape, 'document'>, string> = {
  string: 'a String',
  integer: 'an Integer',
  long: 'a Long',
  double: 'a Double',
  boolean: 'a Boolean',
  // Ours: no AWS example seen for these two.
  timestamp: 'a Timestamp',
  blob: 'a Blob',
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

/**
 * The refusal of a value of the wrong JSON type. The three texts are AWS's deserializer's
 * (`STRING_VALUE can not be converted to an Integer` is a verified one, the list and structure
 * texts follow the same deserializer); AWS does not name the member in them, and the existing
 * tests pin them, so they are kept verbatim. `NUMBER_VALUE can not be converted to an Integer`
 * for a number out of an Integer's range is ours (AWS's text for that case is unknown).
 */
function mismatch(value: unknown, expected: string): SerializationException {
  if (Array.isArray(value)) {
    return new SerializationException('Start of list found where not expected.');
  }
  if (value !== null && typeof value === 'object') {
    return new SerializationException('Start of structure or map found where not expected.');
  }
  return new SerializationException(`${tokenOf(value)} can not be converted to ${expected}`);
}

/** Ours (AWS's text for it is unknown): a `null` entry in a list or map that takes none. */
function nullEntry(path: string): SerializationException {
  return new SerializationException(`Null value found in ${path} where a value is required.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function scalarFits(value: unknown, shape: Exclude<ScalarShape, 'document'>): boolean {
  switch (shape) {
    case 'string':
    case 'blob':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      // An Integer is 32 bits: a larger number cannot be one (Java's deserializer refuses it too),
      // and would reach the services as a size no container can have.
      return typeof value === 'number' && value >= INT_MIN && value <= INT_MAX;
    case 'long':
    case 'timestamp':
      return typeof value === 'number' && Math.abs(value) <= LONG_LIMIT;
    default:
      // double: any JSON number.
      return typeof value === 'number';
  }
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
/** 2^63: past it no Long fits (JSON's `1e400` parses as Infinity, which is refused too). */
const LONG_LIMIT = 2 ** 63;

/** Checks one present, non-null value; `path` names it (`containerDefinitions[0].command`). */
function checkValue(value: unknown, shape: Shape, path: string): void {
  if (typeof shape === 'string') {
    if (shape === 'document') return;
    if (!scalarFits(value, shape)) throw mismatch(value, SCALAR_NAMES[shape]);
    return;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) throw mismatch(value, 'a List');
    value.forEach((item, i) => checkEntry(item, shape.list, shape.sparse, `${path}[${i}]`));
    return;
  }
  if (!isPlainObject(value)) throw mismatch(value, 'a Map');
  if ('map' in shape) {
    for (const [key, item] of Object.entries(value)) {
      checkEntry(item, shape.map, shape.sparse, `${path}.${key}`);
    }
    return;
  }
  checkStruct(value, shape.struct, path);
}

function checkEntry(item: unknown, shape: Shape, sparse: boolean | undefined, path: string): void {
  if (item === null || item === undefined) {
    if (sparse) return;
    throw nullEntry(path);
  }
  checkValue(item, shape, path);
}

function checkStruct(input: Record<string, unknown>, members: MemberShapes, path: string): void {
  for (const [name, shape] of Object.entries(members)) {
    // A null member counts as absent, as AWS's JSON deserializer has it.
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (value !== null && value !== undefined) {
      checkValue(value, shape, path ? `${path}.${name}` : name);
    }
  }
}

/**
 * Throws `SerializationException` on the first member, at any depth, whose JSON type does not fit
 * its shape. Unknown members are ignored.
 */
export function checkMembers(input: Record<string, unknown>, members: MemberShapes): void {
  checkStruct(input, members, '');
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
