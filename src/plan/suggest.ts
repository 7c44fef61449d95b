// Registry names at plan time: look-ups that forgive case, and wording for
// "unknown name" errors (the closest match and the full list).

/**
 * The entry named exactly `name`, or undefined. Own entries only: a name such
 * as `toString` or `__proto__` must not find Object.prototype's members.
 */
export function lookUp<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** The entry named exactly `name`, else the first whose name differs only in case. */
export function lookUpIgnoringCase<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  const exact = lookUp(table, name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const k of Object.keys(table)) if (k.toLowerCase() === lower) return table[k];
  return undefined;
}

/** Names longer than this get no "did you mean": comparing them costs length² each. */
const MAX_SUGGESTED = 200;

export function describeAlternatives(name: string, available: Iterable<string>): string {
  const names = [...available].sort();
  if (names.length === 0) return 'none are available';
  const close = closestName(name, names);
  const list = `available: ${names.join(', ')}`;
  return close !== undefined ? `did you mean '${close}'? ${list}` : list;
}

/**
 * The name in `known` closest to `name` in edit distance (ignoring case), the
 * first of equals; undefined when none is within a third of its length. Also
 * the CLI's "did you mean" (e.g. --stream).
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    // The distance is at least the length difference: skip those without computing it (length² each).
    if (Math.abs(k.length - name.length) >= bestDistance || k.length > MAX_SUGGESTED) continue;
    const d = distance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
