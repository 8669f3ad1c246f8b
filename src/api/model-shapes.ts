/**
 * Input shapes of AWS operations, derived from the AWS SDK v3 clients' own Smithy schemas rather
 * than written by hand, so every member at every depth is type-checked the way AWS's model says.
 *
 * The clients export their schemas from their package root (`@aws-sdk/client-ecs` re-exports
 * `./schemas/schemas_0`, e.g. `RunTask$`, `RegisterTaskDefinitionRequest$`), so no deep import is
 * needed. Those schemas use @smithy/core's compact "static schema" encoding (read from
 * `@smithy/core/dist-es/submodules/schema/schemas/NormalizedSchema.js`, which has no public
 * walker that yields plain data):
 *
 * - a number is a simple type: 0 string, 1 number, 2 boolean, 4–7 timestamp, 15 document,
 *   (5 date-time and 6 http-date ones travel as text), 17/19 big integer/decimal, 21/42 blob; `64 | n` is a list of n, `128 | n` a map of n;
 * - `[0, ns, name, traits, schema]` wraps a simple type (e.g. a sensitive string);
 * - `[1, ns, name, traits, member]` a list, `[2, ns, name, traits, key, value]` a map;
 * - `[3 | -3 | 4, ns, name, traits, memberNames, memberSchemas, required?]` a structure, an error
 *   or a union; `[9, ns, name, traits, input, output]` an operation;
 * - `[schema, traits]` (two items) a member with its own traits; `() => schema` a lazy reference.
 *
 * The encoding does not tell integer, long and double apart (all are 1); that only changes the
 * error text, so a service names its long/double members in {@link DeriveOptions.numbers}.
 */
import type { MemberShapes, Shape } from './json-shape.check.ts';

/** A schema as the SDK ships it: see the encoding above. */
type SchemaRef = unknown;

/** What the compact encoding cannot say. */
export interface DeriveOptions {
  /** Member name → numeric kind, for numbers that are not Integers (e.g. Logs' `timestamp`). */
  readonly numbers?: Readonly<Record<string, 'long' | 'double'>>;
}

const deref = (ref: SchemaRef): SchemaRef => (typeof ref === 'function' ? deref(ref()) : ref);

class Deriver {
  /** Structures already seen: shared ones are built once and recursive ones terminate. */
  readonly #structs = new Map<unknown, Record<string, Shape>>();
  readonly #numbers: Readonly<Record<string, 'long' | 'double'>>;

  constructor(options: DeriveOptions) {
    this.#numbers = options.numbers ?? {};
  }

  shape(ref: SchemaRef, memberName: string): Shape {
    const schema = deref(ref);
    if (typeof schema === 'number') return this.#simple(schema, memberName);
    if (schema === 'unit') return { struct: {} };
    if (!Array.isArray(schema)) throw new Error(`unknown schema form: ${String(schema)}`);
    if (schema.length === 2) return this.shape(schema[0], memberName);
    const traits: unknown = schema[3];
    const sparse = typeof traits === 'object' && traits !== null && 'sparse' in traits;
    switch (schema[0]) {
      case 0:
        return this.shape(schema[4], memberName);
      case 1:
        return { list: this.shape(schema[4], memberName), ...(sparse ? { sparse } : {}) };
      case 2:
        return { map: this.shape(schema[5], memberName), ...(sparse ? { sparse } : {}) };
      case 3:
      case -3:
      case 4:
        return { struct: this.#struct(schema) };
      default:
        throw new Error(`unknown schema kind ${String(schema[0])} (${String(schema[2])})`);
    }
  }

  #struct(schema: readonly unknown[]): MemberShapes {
    const known = this.#structs.get(schema);
    if (known) return known;
    const members: Record<string, Shape> = {};
    this.#structs.set(schema, members);
    const names = schema[4] as readonly string[];
    const schemas = schema[5] as readonly SchemaRef[];
    names.forEach((name, i) => {
      members[name] = this.shape(schemas[i], name);
    });
    return members;
  }

  #simple(code: number, memberName: string): Shape {
    if (code >= 128) return { map: this.#simple(code & 0b0011_1111, memberName) };
    if (code >= 64) return { list: this.#simple(code & 0b0011_1111, memberName) };
    switch (code) {
      case 0:
        return 'string';
      case 1:
        return this.#numbers[memberName] ?? 'integer';
      case 2:
        return 'boolean';
      case 4:
      case 7:
        return 'timestamp';
      case 5:
      case 6:
        // date-time and http-date formats travel as text.
        return 'string';
      case 15:
        return 'document';
      case 17:
        return 'long';
      case 19:
        return 'double';
      case 21:
      case 42:
        return 'blob';
      default:
        throw new Error(`unknown simple schema ${code}`);
    }
  }
}

/**
 * The members of an operation's input, from the SDK's operation schema (`RunTask$`, …).
 * @throws Error when the schema is not an operation with a structure input (a programming error)
 */
export function operationInput(operation: SchemaRef, options: DeriveOptions = {}): MemberShapes {
  const schema = deref(operation);
  if (!Array.isArray(schema) || schema[0] !== 9) throw new Error('not an operation schema');
  const input = new Deriver(options).shape(schema[4], '');
  if (typeof input === 'string' || !('struct' in input)) {
    throw new Error(`operation ${String(schema[2])} has no structure input`);
  }
  return input.struct;
}
