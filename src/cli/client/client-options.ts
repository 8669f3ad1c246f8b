/**
 * Option parsing shared by the client commands: the `--endpoint`, `--region` and `--json` options,
 * zod parsing that ends with exit code 2 on bad input, and span options such as `--interval 2s`.
 */
import type { Command } from 'commander';
import { z } from 'zod';

import { CliExit, type CliIo } from '../cli-io.ts';
import { parseSpan } from '../format/time.ts';

/** Adds the options every client command has. */
export function withClientOptions(command: Command): Command {
  return command
    .option(
      '--endpoint <url>',
      'cronbridge API endpoint (default: env CRONBRIDGE_ENDPOINT, else http://127.0.0.1:4566)',
    )
    .option(
      '--region <region>',
      'region to make and look up resources in (default: env CRONBRIDGE_REGION, else us-east-1)',
    )
    .option('--json', 'print JSON for scripts instead of a table');
}

/** Prints the problems of a rejected option and ends with exit code 2. */
export function usageError(io: CliIo, message: string): never {
  io.stderr(`${message}\n`);
  throw new CliExit(2);
}

/** Parses options with a command's zod schema, or ends with exit code 2 listing what is wrong. */
export function parseOptions<S extends z.ZodType>(io: CliIo, schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) usageError(io, parsed.error.issues.map((i) => i.message).join('\n'));
  return parsed.data;
}

/** A span option (`2s`, `500ms`, `1m`) as milliseconds, at least `minMs`. */
export function spanOption(name: string, minMs: number, fallback: string) {
  const message = `${name} must be a span such as 2s or 500ms, at least ${minMs}ms`;
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseSpan(text);
      if (ms === undefined || ms < minMs) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return ms;
    });
}

/** A comma-separated list option (`subnet-1,subnet-2`); repeats of the option add up. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ];
}
