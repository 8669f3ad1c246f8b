/** Small numeric helpers for the benchmarks' tables. */

/** Nearest-rank percentile (p in 0..100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Fixed-width number: `digits` decimals, right-aligned in `width`. */
export function num(value: number, digits = 1, width = 9): string {
  return value
    .toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    .padStart(width);
}

/** Fixed-width ratio such as `1.07×`. */
export function ratio(ours: number, floor: number, width = 8): string {
  return `${(ours / floor).toFixed(2)}×`.padStart(width);
}
