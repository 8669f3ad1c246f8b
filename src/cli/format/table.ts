/**
 * Aligned plain-text tables for the client commands: a header row in capitals, columns padded to
 * their widest cell, two spaces between columns, no trailing blanks. Deliberately tiny (no
 * borders, no colour) so output stays greppable and diffable in tests and terminals alike.
 */

/** One column: its header, how a row becomes a cell, and optional alignment and width cap. */
export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => string;
  /** Numbers read best right-aligned. @default 'left' */
  readonly align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis; stop reasons and messages can be long. */
  readonly maxWidth?: number;
}

const GAP = '  ';

/** Width in terminal cells, counting code points (good enough for the ASCII we mostly print). */
function widthOf(text: string): number {
  return [...text].length;
}

/** One line per cell: tabs and newlines would break the grid, so they become spaces. */
function clean(text: string, maxWidth: number | undefined): string {
  const flat = text.replace(/[\t\r\n]+/g, ' ');
  if (maxWidth === undefined || widthOf(flat) <= maxWidth) return flat;
  return `${[...flat].slice(0, Math.max(0, maxWidth - 1)).join('')}…`;
}

function layout<Row>(
  columns: readonly Column<Row>[],
  grid: readonly string[][],
  minWidths: readonly number[],
): { text: string; widths: number[] } {
  const widths = columns.map((_, i) =>
    Math.max(minWidths[i] ?? 0, ...grid.map((line) => widthOf(line[i] ?? ''))),
  );
  const lines = grid.map((line) =>
    line
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - widthOf(cell));
        return columns[i]?.align === 'right' ? pad + cell : cell + pad;
      })
      .join(GAP)
      .trimEnd(),
  );
  return { text: grid.length === 0 ? '' : `${lines.join('\n')}\n`, widths };
}

const headerLine = <Row>(columns: readonly Column<Row>[]) =>
  columns.map((c) => c.header.toUpperCase());
const cellsOf = <Row>(columns: readonly Column<Row>[], row: Row) =>
  columns.map((c) => clean(c.cell(row), c.maxWidth));

/** Renders rows under a header line; ends with a newline. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  return layout(columns, [headerLine(columns), ...rows.map((r) => cellsOf(columns, r))], []).text;
}

/**
 * A table printed in instalments (`--watch`): the header comes with the first rows, and later
 * rows keep the columns at least as wide as before, so appended lines stay aligned with the
 * earlier ones (a wider cell widens its column from then on).
 */
export class AppendingTable<Row> {
  readonly #columns: readonly Column<Row>[];
  #widths: number[] = [];
  #headerPrinted = false;

  constructor(columns: readonly Column<Row>[]) {
    this.#columns = columns;
  }

  /** The next instalment: the header (first time only) and `rows`; '' when there is nothing. */
  render(rows: readonly Row[]): string {
    if (rows.length === 0) return '';
    const grid = rows.map((r) => cellsOf(this.#columns, r));
    if (!this.#headerPrinted) grid.unshift(headerLine(this.#columns));
    this.#headerPrinted = true;
    const { text, widths } = layout(this.#columns, grid, this.#widths);
    this.#widths = widths;
    return text;
  }
}

/** Cell for an absent value, so columns never look shifted. */
export const NONE = '-';

/** Joins list values into one cell (`-` when empty). */
export function listCell(values: readonly (string | number | undefined)[]): string {
  const present = values.filter((v) => v !== undefined && v !== '');
  return present.length === 0 ? NONE : present.join(',');
}
