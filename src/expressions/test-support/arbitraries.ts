/**
 * fast-check generators for the schedule engine's property tests: valid AWS cron expressions
 * covering every feature, instants biased towards the awkward places of the calendar, and
 * invalid strings (mutations and junk).
 */
import fc from 'fast-check';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A name in random letter case, or the number. */
function valueText(min: number, max: number, names?: string[]): fc.Arbitrary<string> {
  const number = fc.integer({ min, max }).map(String);
  if (names === undefined) return number;
  const name = fc
    .tuple(fc.integer({ min, max }), fc.constantFrom('upper', 'lower', 'title'))
    .map(([v, style]) => {
      const n = names[v - min] as string;
      return style === 'upper'
        ? n
        : style === 'lower'
          ? n.toLowerCase()
          : n[0] + (n.slice(1).toLowerCase() as string);
    });
  return fc.oneof(number, name);
}

/** One list item: a value, a range (possibly wrapping), a step form, or `*`. */
function listItem(min: number, max: number, names?: string[], wraps = true): fc.Arbitrary<string> {
  const v = valueText(min, max, names);
  const span = max - min + 1;
  const step = fc.integer({ min: 1, max: Math.min(span, 20) });
  const range = fc
    .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
    .filter(([a, b]) => wraps || a <= b)
    .chain(([a, b]) =>
      fc.tuple(valueText(a, a, names), valueText(b, b, names)).map(([x, y]) => `${x}-${y}`),
    );
  return fc.oneof(
    { weight: 4, arbitrary: v },
    { weight: 3, arbitrary: range },
    { weight: 2, arbitrary: fc.tuple(v, step).map(([a, s]) => `${a}/${s}`) },
    { weight: 2, arbitrary: fc.tuple(range, step).map(([r, s]) => `${r}/${s}`) },
    { weight: 1, arbitrary: step.map((s) => `*/${s}`) },
  );
}

function listField(
  min: number,
  max: number,
  names?: string[],
  wraps = true,
  starWeight = 2,
): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: starWeight, arbitrary: fc.constant('*') },
    {
      weight: 5,
      arbitrary: fc
        .array(listItem(min, max, names, wraps), { minLength: 1, maxLength: 3 })
        .map((a) => a.join(',')),
    },
  );
}

const dayOfMonth = fc.oneof(
  { weight: 6, arbitrary: listField(1, 31) },
  { weight: 1, arbitrary: fc.constant('L') },
  { weight: 1, arbitrary: fc.constant('LW') },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(1, 2, 28, 29, 30, 31))
      .map((d) => `${d}W`),
  },
);

const dayOfWeek = fc.oneof(
  { weight: 6, arbitrary: listField(1, 7, DAYS) },
  { weight: 1, arbitrary: fc.constant('L') },
  { weight: 2, arbitrary: valueText(1, 7, DAYS).map((d) => `${d}L`) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(valueText(1, 7, DAYS), fc.integer({ min: 1, max: 5 }))
      .map(([d, n]) => `${d}#${n}`),
  },
);

/** A year field, usually `*` or around the given year so that fires fall into test windows. */
function yearField(nearYear: number): fc.Arbitrary<string> {
  // The reference instant may lie outside cron's year range (1970–2199): keep ranges valid.
  const around = Math.min(2199, Math.max(1970, nearYear));
  const lo = Math.max(1970, around - 2);
  const hi = Math.min(2199, around + 2);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant('*') },
    { weight: 2, arbitrary: fc.integer({ min: lo, max: hi }).map(String) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 1970, max: around }), fc.integer({ min: around, max: 2199 }))
        .map(([a, b]) => `${a}-${b}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: 1, max: 5 }))
        .map(([a, s]) => `${a}/${s}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.integer({ min: lo, max: hi }), { minLength: 1, maxLength: 3 })
        .map((a) => a.join(',')),
    },
    { weight: 1, arbitrary: listField(1970, 2199, undefined, false, 0) },
  );
}

/** A valid AWS cron expression; `around` biases the year field. */
export function cronExpression(around = 2024): fc.Arbitrary<string> {
  return fc
    .record({
      minutes: listField(0, 59),
      hours: listField(0, 23),
      month: listField(1, 12, MONTHS, true, 4),
      year: yearField(around),
      domSide: fc.boolean(),
      dom: dayOfMonth,
      dow: dayOfWeek,
    })
    .map(({ minutes, hours, month, year, domSide, dom, dow }) =>
      domSide
        ? `cron(${minutes} ${hours} ${dom} ${month} ? ${year})`
        : `cron(${minutes} ${hours} ? ${month} ${dow} ${year})`,
    );
}

/** Dates where things go wrong: DST changes in the tested zones, month ends, leap days, year ends. */
const SPECIAL_DAYS: [number, number][] = [
  [3, 10],
  [3, 8],
  [3, 14],
  [11, 3],
  [11, 1],
  [11, 7], // US DST (second Sunday of March, first of November)
  [3, 31],
  [3, 25],
  [10, 27],
  [10, 25],
  [10, 31], // EU DST (last Sundays)
  [4, 7],
  [4, 1],
  [10, 6],
  [10, 1], // Lord Howe (first Sundays of April and October)
  [2, 28],
  [2, 29],
  [12, 31],
  [1, 1],
  [4, 30],
  [6, 30],
  [9, 30],
];

/** An instant in 1970–2199, mostly near DST changes, month ends and leap days, in `year`'s range. */
export function instant(minYear = 1970, maxYear = 2199): fc.Arbitrary<number> {
  const leapYear = fc
    .integer({ min: Math.ceil(minYear / 4), max: Math.floor(maxYear / 4) })
    .map((q) => q * 4);
  const year = fc.oneof(
    fc.integer({ min: minYear, max: maxYear }),
    leapYear,
    fc.integer({ min: 2000, max: 2040 }).filter((y) => y >= minYear && y <= maxYear),
  );
  const special = fc
    .tuple(year, fc.constantFrom(...SPECIAL_DAYS), fc.integer({ min: -48 * 60, max: 48 * 60 }))
    .map(
      ([y, [m, d], minutes]) =>
        Date.UTC(y, m - 1, Math.min(d, m === 2 ? 28 : d)) + minutes * 60_000,
    );
  const any = fc
    .tuple(
      year,
      fc.integer({ min: 0, max: 365 * 24 * 60 - 1 }),
      fc.integer({ min: 0, max: 59_999 }),
    )
    .map(([y, minutes, ms]) => Date.UTC(y, 0, 1) + minutes * 60_000 + ms);
  const onMinute = any.map((t) => t - (t % 60_000));
  return fc.oneof(
    { weight: 3, arbitrary: special },
    { weight: 2, arbitrary: any },
    { weight: 1, arbitrary: onMinute },
  );
}

/** Strings that are not valid expressions: mutated valid ones and junk. */
export function invalidCandidate(): fc.Arbitrary<string> {
  const mutate = fc
    .tuple(
      fc.oneof(
        cronExpression(),
        fc.constantFrom('rate(5 minutes)', 'rate(1 hour)', 'at(2024-01-31T10:00:00)'),
      ),
      fc.nat(),
      fc.constantFrom('delete', 'insert', 'replace', 'duplicate'),
      fc.constantFrom(...' ,-*/?LW#0123456789()ABCXZTmsl:.+'.split('')),
    )
    .map(([text, pos, op, ch]) => {
      const i = pos % (text.length + 1);
      if (op === 'delete') return text.slice(0, i) + text.slice(i + 1);
      if (op === 'insert') return text.slice(0, i) + ch + text.slice(i);
      if (op === 'replace') return text.slice(0, i) + ch + text.slice(i + 1);
      return text.slice(0, i) + text.slice(i, i + 3) + text.slice(i);
    });
  const junk = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({
      unit: fc.constantFrom(...'cronatre() ?*/,-#LW0123456789'.split('')),
      maxLength: 40,
    }),
    fc.string({ maxLength: 30 }).map((s) => `cron(${s})`),
    fc
      .array(
        fc.string({ unit: fc.constantFrom(...'0123456789*?/,-#LWMONJA'.split('')), maxLength: 6 }),
        { maxLength: 8 },
      )
      .map((a) => `cron(${a.join(' ')})`),
  );
  return fc.oneof(mutate, junk);
}

/**
 * An instant within ±36 h of one of the zone's offset changes (found by `transitions`), or a
 * plain biased instant for zones without any in the chosen year.
 */
export function instantNearTransition(
  transitions: (year: number) => number[],
): fc.Arbitrary<number> {
  return fc
    .tuple(
      fc.integer({ min: 1970, max: 2199 }),
      fc.nat(),
      fc.integer({ min: -36 * 60, max: 36 * 60 }),
      fc.integer({ min: 0, max: 59_999 }),
    )
    .map(([year, pick, minutes, ms]) => {
      const list = transitions(year);
      const base = list.length === 0 ? Date.UTC(year, 2, 10) : (list[pick % list.length] as number);
      return base + minutes * 60_000 + (ms < 30_000 ? 0 : ms);
    });
}
