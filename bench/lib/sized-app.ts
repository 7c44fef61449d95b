// Large generated apps for the parse and start-up benchmarks.

/** About `size` characters of `unit`s after a stream definition. */
export function sizedApp(size: number, unit: (i: number) => string): string {
  const parts = ['define stream S (symbol string, price float, volume long);\n'];
  for (let n = parts[0]!.length, i = 0; n < size; i++) {
    parts.push(unit(i));
    n += parts[parts.length - 1]!.length;
  }
  return parts.join('');
}
