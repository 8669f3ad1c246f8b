/**
 * `--json` output: plain JSON documents for scripts. Dates become ISO-8601 strings (SDK clients
 * hand us `Date` objects for ECS timestamps); streaming commands print one document per line.
 */

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** A whole result, pretty-printed, ending with a newline. */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, replacer, 2)}\n`;
}

/** One record of a stream (`--watch`, `--follow`): compact, one line. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value, replacer)}\n`;
}
