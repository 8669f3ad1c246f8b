/**
 * Model-constraint checks shared by the JSON services, producing AWS's message format:
 * `N validation error(s) detected: Value '<v>' at '<path>' failed to satisfy constraint: Member
 * must …`, violations joined by `; ` (aws-semantics.md §6.4).
 *
 * The services agree on the message text but not on the error that carries it (EventBridge sends
 * `ValidationException`, CloudWatch Logs `InvalidParameterException`), nor on how a value of the
 * wrong JSON type is refused, nor on how string length is counted. Each service describes those
 * differences once in a {@link ConstraintDialect}; its own `*.validate.ts` binds the dialect and
 * adds its service-specific checks.
 *
 * Requests arrive as decoded JSON, so values are `unknown` here and narrowed by the checks.
 */

/** The JSON shapes a member can be expected to have. */
export type JsonKind = 'string' | 'integer' | 'boolean' | 'list' | 'structure' | 'map';

/** What differs between services in how constraint failures surface. */
export interface ConstraintDialect {
  /** The error carrying the joined violation message. */
  invalid(message: string): Error;
  /** The error for a member whose JSON type is wrong (thrown at once, before any constraint). */
  wrongType(path: string, kind: JsonKind): Error;
  /** String length as the service's model counts it (UTF-16 units or code points). */
  length(value: string): number;
  /** Rendered values longer than this are cut off, when set. */
  maxRendered?: number;
}

const compiled = new Map<string, RegExp>();
/**
 * Model patterns match the whole value (AWS anchors them implicitly). Patterns that carry their
 * own `^…$` still work: without the `m` flag the inner anchors are redundant.
 */
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

  constructor(readonly dialect: ConstraintDialect) {}

  add(value: unknown, path: string, constraint: string): void {
    let shown = 'Value null';
    if (value != null) {
      let text = render(value);
      const max = this.dialect.maxRendered;
      if (max !== undefined && text.length > max) text = `${text.slice(0, max)}...`;
      shown = `Value '${text}'`;
    }
    this.#items.push(
      `${shown} at '${path}' failed to satisfy constraint: Member must ${constraint}`,
    );
  }

  get count(): number {
    return this.#items.length;
  }

  /** Throws the dialect's error listing every violation, if there are any. */
  throwIfAny(): void {
    const n = this.#items.length;
    if (n === 0) return;
    const noun = n === 1 ? 'error' : 'errors';
    throw this.dialect.invalid(`${n} validation ${noun} detected: ${this.#items.join('; ')}`);
  }
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
  if (typeof value !== 'string') throw v.dialect.wrongType(path, 'string');
  const length = v.dialect.length(value);
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

export interface IntegerRule {
  required?: boolean;
  min?: number;
  max?: number;
}

/** An integer member against an inclusive range. */
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
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw v.dialect.wrongType(path, 'integer');
  }
  if (rule.min !== undefined && value < rule.min) {
    v.add(value, path, `have value greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value > rule.max) {
    v.add(value, path, `have value less than or equal to ${rule.max}`);
  }
  return value;
}

/**
 * An enum member; the message lists the allowed values as AWS does. The value's JSON type is not
 * checked here: a value of another type is simply not in the set (services that refuse it
 * outright check the type first).
 */
export function checkEnum<T extends string | number>(
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
  if (!allowed.includes(value as T)) {
    v.add(value, path, `satisfy enum value set: [${allowed.join(', ')}]`);
    return undefined;
  }
  return value as T;
}

/** A boolean member; it has no constraints, only a type (hence no `Violations`). */
export function checkBoolean(
  dialect: ConstraintDialect,
  value: unknown,
  path: string,
): boolean | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'boolean') throw dialect.wrongType(path, 'boolean');
  return value;
}

export interface ListRule {
  required?: boolean;
  min?: number;
  max?: number;
}

/** A list member's length; items are checked by the caller. */
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
  if (!Array.isArray(value)) throw v.dialect.wrongType(path, 'list');
  if (rule.min !== undefined && value.length < rule.min) {
    v.add(value, path, `have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    v.add(value, path, `have length less than or equal to ${rule.max}`);
  }
  return value;
}

/** A structure (or map) member: a plain JSON object. */
export function checkObject(
  v: Violations,
  value: unknown,
  path: string,
  required = false,
  kind: 'structure' | 'map' = 'structure',
): Record<string, unknown> | undefined {
  if (value == null) {
    if (required) v.add(value, path, 'not be null');
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw v.dialect.wrongType(path, kind);
  return value as Record<string, unknown>;
}
