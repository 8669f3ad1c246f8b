import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AppendingTable, listCell, renderTable } from './table.ts';
import { formatDuration, formatTime, formatTimeMs, parseSince, parseSpan } from './time.ts';

interface Row {
  name: string;
  n: number;
  note: string;
}

const columns = [
  { header: 'name', cell: (r: Row) => r.name },
  { header: 'count', cell: (r: Row) => String(r.n), align: 'right' as const },
  { header: 'note', cell: (r: Row) => r.note, maxWidth: 8 },
];

describe('renderTable', () => {
  it('pads columns to the widest cell, right-aligns numbers, trims line ends', () => {
    const out = renderTable(columns, [
      { name: 'alpha', n: 7, note: 'ok' },
      { name: 'b', n: 1234, note: '' },
    ]);
    assert.equal(out, ['NAME   COUNT  NOTE', 'alpha      7  ok', 'b       1234', ''].join('\n'));
  });

  it('cuts cells over maxWidth with an ellipsis and flattens newlines and tabs', () => {
    const out = renderTable(columns, [{ name: 'x\ty', n: 1, note: 'line one\nline two' }]);
    assert.equal(out, ['NAME  COUNT  NOTE', 'x y       1  line on…', ''].join('\n'));
  });

  it('counts code points, not UTF-16 units, when padding', () => {
    const out = renderTable(columns, [
      { name: 'ü😀', n: 1, note: '' },
      { name: 'abc', n: 2, note: '' },
    ]);
    assert.equal(out.split('\n')[1], `ü😀${' '.repeat(8)}1`);
    assert.equal(out.split('\n')[2], `abc${' '.repeat(7)}2`);
  });

  it('prints the header alone for no rows', () => {
    assert.equal(renderTable(columns, []), 'NAME  COUNT  NOTE\n');
  });

  it('appends instalments aligned with what was printed before', () => {
    const table = new AppendingTable(columns);
    assert.equal(table.render([]), '', 'nothing to print yet: not even the header');
    assert.equal(
      table.render([{ name: 'alpha', n: 1, note: 'x' }]),
      'NAME   COUNT  NOTE\nalpha      1  x\n',
    );
    assert.equal(table.render([{ name: 'b', n: 2, note: 'y' }]), 'b          2  y\n');
    // A wider cell widens its column from then on.
    assert.equal(table.render([{ name: 'gamma-ray', n: 3, note: 'z' }]), 'gamma-ray      3  z\n');
    assert.equal(table.render([{ name: 'c', n: 4, note: 'w' }]), 'c              4  w\n');
  });

  it('joins list cells, with a dash for none', () => {
    assert.equal(listCell(['a', undefined, '', 3]), 'a,3');
    assert.equal(listCell([]), '-');
  });
});

describe('time formatting and parsing', () => {
  const at = Date.UTC(2026, 6, 1, 10, 0, 5, 123);

  it('prints instants to the second or millisecond, a dash when absent', () => {
    assert.equal(formatTime(at), '2026-07-01T10:00:05Z');
    assert.equal(formatTime(new Date(at)), '2026-07-01T10:00:05Z');
    assert.equal(formatTimeMs(at), '2026-07-01T10:00:05.123Z');
    assert.equal(formatTime(undefined), '-');
    assert.equal(formatTime(Number.NaN), '-');
  });

  it('prints durations compactly', () => {
    assert.equal(formatDuration(0), '0ms');
    assert.equal(formatDuration(350), '350ms');
    assert.equal(formatDuration(4_249), '4.2s');
    assert.equal(formatDuration(42_000), '42s');
    assert.equal(formatDuration(65_000), '1m05s');
    assert.equal(formatDuration(2 * 3_600_000 + 3 * 60_000), '2h03m');
    assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3d04h');
    assert.equal(formatDuration(-1500), '-1.5s');
  });

  it('parses spans and --since values', () => {
    assert.equal(parseSpan('10m'), 600_000);
    assert.equal(parseSpan('250ms'), 250);
    assert.equal(parseSpan(' 2h '), 7_200_000);
    assert.equal(parseSpan('1w'), 604_800_000);
    assert.equal(parseSpan('10'), undefined);
    assert.equal(parseSpan('1.5h'), undefined);
    assert.deepEqual(parseSince('10m', at), { ok: true, ms: at - 600_000 });
    assert.deepEqual(parseSince('2026-07-01T09:00:00Z', at), {
      ok: true,
      ms: Date.UTC(2026, 6, 1, 9),
    });
    assert.deepEqual(parseSince('2026-07-01T11:00:00+02:00', at), {
      ok: true,
      ms: Date.UTC(2026, 6, 1, 9),
    });
    const bad = parseSince('yesterday', at);
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /--since 'yesterday': use a span such as 10m/);
    assert.equal(parseSince('2026-07-01', at).ok, false, 'an instant needs a time and a zone');
  });
});
