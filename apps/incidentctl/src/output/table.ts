export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis; the last column is never padded. */
  max?: number;
}

const LAST_RULE = 40;

/** A plain-text table: a header, a rule, one line per row; columns two spaces apart. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => clip(cellText(c.value(row)), c.max)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((line) => line[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 && columns[i].align !== 'right' ? v : pad(v, widths[i], columns[i].align)))
      .join('  ')
      .trimEnd();
  // The last column is not padded, so its rule need not run the length of its longest cell.
  const rule = widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? Math.min(w, Math.max(LAST_RULE, columns[i].header.length)) : w));
  const out = [line(columns.map((c) => c.header)), line(rule), ...cells.map(line)];
  return `${out.join('\n')}\n`;
}

/** `key   value` lines, keys padded to one width. */
export function renderFields(fields: readonly (readonly [string, string | number | null | undefined])[]): string {
  const width = Math.max(0, ...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${key.padEnd(width)}  ${cellText(value)}`.trimEnd()).join('\n') + '\n';
}

export function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  const text = typeof value === 'number' ? value.toLocaleString('en-US') : value;
  // One row is one line, whatever the data holds.
  return text.replace(/[\r\n\t]+/g, ' ');
}

function clip(text: string, max: number | undefined): string {
  return max !== undefined && text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/** Machine output: one JSON document, two-space indented, newline-terminated. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
