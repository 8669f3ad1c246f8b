/**
 * Time in client output and options: instants as ISO-8601 UTC (as AWS prints event times),
 * durations as `1m05s`, and `--since` values that are either a span back from now (`10m`, `2h`)
 * or an absolute instant. `now` is always passed in: the commands read it from the injected Clock.
 */
import { NONE } from './table.ts';

type Instant = number | Date | undefined;

function toMs(value: Instant): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : value.getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** `2026-07-01T10:00:00Z` (to the second), or `-` when absent. */
export function formatTime(value: Instant): string {
  const ms = toMs(value);
  return ms === undefined ? NONE : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026-07-01T10:00:00.123Z` (to the millisecond), for log lines. */
export function formatTimeMs(value: Instant): string {
  const ms = toMs(value);
  return ms === undefined ? NONE : new Date(ms).toISOString();
}

/** `350ms`, `4.2s`, `1m05s`, `2h03m`, `3d04h`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(Math.round(ms));
  if (abs < 1000) return `${sign}${abs}ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(abs < 10_000 ? 1 : 0)}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const s = Math.floor(abs / 1000);
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${sign}${Math.floor(s / 86_400)}d${pad(Math.floor((s % 86_400) / 3600))}h`;
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const SPAN = /^(\d+)\s*(ms|s|m|h|d|w)$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a span such as `10m`, `90s`, `2h`, `1d`, `1w` into milliseconds; undefined if not one. */
export function parseSpan(text: string): number | undefined {
  const match = SPAN.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000);
}

/**
 * `--since`: a span back from `nowMs` (`10m`) or an ISO-8601 instant with a zone. Returns the
 * instant in epoch ms, or an error message naming the accepted forms.
 */
export function parseSince(
  text: string,
  nowMs: number,
): { ok: true; ms: number } | { ok: false; message: string } {
  const span = parseSpan(text);
  if (span !== undefined) return { ok: true, ms: nowMs - span };
  if (ISO_INSTANT.test(text.trim())) {
    const ms = Date.parse(text.trim());
    if (!Number.isNaN(ms)) return { ok: true, ms };
  }
  return {
    ok: false,
    message: `--since '${text}': use a span such as 10m, 2h, 1d or an ISO-8601 instant with a zone`,
  };
}
