// RFC 4180 CSV: CRLF line ends, a header row, a field quoted when it holds a comma, a double quote,
// CR or LF (quotes doubled inside). Numbers are JavaScript's shortest round-trip form, which no
// locale changes (a dot, no thousands separator); an absent figure is an empty field.

export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : '') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<T extends object>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  const lines = [columns.map(csvField).join(','), ...rows.map((row) => columns.map((c) => csvField(row[c] as CsvValue)).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
