// Plain-text tables and number formatting for bench output.

export type Cell = string | number | undefined;

/** Prints rows under headers; the first and last columns left-aligned, the rest right-aligned. */
export function printTable(title: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const text = rows.map((r) => headers.map((_, i) => format(r[i])));
  const widths = headers.map((h, i) => Math.max(width(h), ...text.map((r) => width(r[i]!))));
  // The first and last columns are labels; the ones between are figures.
  const right = (i: number) => i > 0 && i < headers.length - 1;
  const line = (cells: readonly string[]) => cells.map((c, i) => pad(c, widths[i]!, right(i))).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  text.forEach((r) => console.log(line(r)));
}

function format(c: Cell): string {
  if (c === undefined) return '';
  if (typeof c === 'number') return formatNumber(c);
  return c;
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (Number.isInteger(n) || abs >= 100) return Math.round(n).toLocaleString('en-US');
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(2);
}

/** Events per second as e.g. "2.41M". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return perSecond.toFixed(0);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} B`;
}

function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}
