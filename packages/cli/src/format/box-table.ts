/**
 * Aligned text tables in the style of DuckDB's box renderer: a header with column names and
 * types, numbers right-aligned, text left-aligned, and long results elided in the middle.
 *
 * @example
 * formatBoxTable(
 *   [{ name: 'n', type: 'int64', align: 'right' }],
 *   [['42']],
 * );
 * // ┌───────┐
 * // │   n   │
 * // │ int64 │
 * // ├───────┤
 * // │    42 │
 * // └───────┘
 */

export interface BoxColumn {
  name: string;
  /** Shown under the name; omit the line when no column has a type. */
  type?: string;
  align: 'left' | 'right';
}

export interface BoxTableOptions {
  /** Most rows shown; the rest are elided in the middle with a `·` row. Default 40. */
  maxRows?: number;
  /** Cells are cut to this many characters (with `…`). Default 60. */
  maxCellWidth?: number;
  /** The caller already elided rows: draw the `·` row before this index and show all `rows`. */
  gapAt?: number;
}

export const DEFAULT_BOX_TABLE_OPTIONS: Required<Omit<BoxTableOptions, 'gapAt'>> = {
  maxRows: 40,
  maxCellWidth: 60,
};

/** Renders `rows` (already formatted cells) as a box table; lines joined with '\n', no trailing newline. */
export function formatBoxTable(
  columns: readonly BoxColumn[],
  rows: readonly (readonly string[])[],
  options: BoxTableOptions = {},
): string {
  const { maxRows, maxCellWidth, gapAt } = { ...DEFAULT_BOX_TABLE_OPTIONS, ...options };
  if (columns.length === 0) return '(no columns)';
  const clip = (s: string) => (s.length > maxCellWidth ? `${s.slice(0, maxCellWidth - 1)}…` : s);

  let shown: (readonly string[] | null)[] = rows as (readonly string[])[];
  if (gapAt !== undefined) {
    shown = [...rows.slice(0, gapAt), null, ...rows.slice(gapAt)];
  } else if (rows.length > maxRows) {
    const head = Math.ceil(maxRows / 2);
    shown = [...rows.slice(0, head), null, ...rows.slice(rows.length - (maxRows - head))];
  }
  const cells = shown.map((r) => (r ? columns.map((_, i) => clip(oneLine(r[i] ?? ''))) : null));
  const hasTypes = columns.some((c) => c.type !== undefined);
  const widths = columns.map((c, i) =>
    Math.max(
      c.name.length,
      hasTypes ? (c.type ?? '').length : 0,
      1,
      ...cells.map((r) => (r ? (r[i] ?? '').length : 1)),
    ),
  );

  const rule = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const line = (parts: readonly string[]) => `│ ${parts.join(' │ ')} │`;
  const out = [rule('┌', '┬', '┐')];
  out.push(line(columns.map((c, i) => center(c.name, widths[i]!))));
  if (hasTypes) out.push(line(columns.map((c, i) => center(c.type ?? '', widths[i]!))));
  out.push(rule('├', '┼', '┤'));
  if (rows.length === 0) {
    out.push(line(columns.map((_, i) => ' '.repeat(widths[i]!))));
  }
  for (const r of cells) {
    if (!r) out.push(line(columns.map((_, i) => center('·', widths[i]!))));
    else out.push(line(r.map((v, i) => pad(v, widths[i]!, columns[i]!.align))));
  }
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '\\n').replace(/\t/g, '\\t');
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  return align === 'right' ? s.padStart(width) : s.padEnd(width);
}

function center(s: string, width: number): string {
  const left = Math.floor((width - s.length) / 2);
  return ' '.repeat(left) + s + ' '.repeat(width - s.length - left);
}
