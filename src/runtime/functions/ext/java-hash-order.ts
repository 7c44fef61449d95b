// The order in which a java.util.HashMap iterates: the reference's map: functions
// build HashMaps and json-smart's JSONObject is one, so whatever they write
// (map:toJSON, map:keys, a json sink's map, json:toObject) comes in this order.
// Used wherever a map's entries are written or listed; map.ts and map-collect.ts
// tell it when a map is copied or loses keys (the table Java keeps then differs).

import { javaHashCode, javaTableSize } from '../../operators/java-hash-order.js';
import { copyNumberMarks } from './number-marks.js';

/**
 * Java's hashCode of a key as the reference would hold it (javaHashCode of the class it would be):
 * an int-range whole number as an Integer, a bigint as a Long, another number as a Double (every NaN
 * as the one doubleToLongBits folds them into), a string, a boolean; null (and anything else) 0.
 */
function javaHash(k: unknown): number {
  switch (typeof k) {
    case 'string': return javaHashCode(k, 'string');
    case 'number':
      return Number.isInteger(k) && k >= -2147483648 && k <= 2147483647 ? k : javaHashCode(Number.isNaN(k) ? NaN : k, 'double');
    case 'bigint': return javaHashCode(k, 'long');
    case 'boolean': return javaHashCode(k, 'bool');
    default: return 0;
  }
}

/**
 * Per Map whose table is not the one puts alone give it: the table size it had when it was
 * copied (new HashMap<>(m) presizes) or last lost keys (remove and clear never shrink).
 */
const TABLES = new WeakMap<ReadonlyMap<unknown, unknown>, number>();

/** The table size of the HashMap the reference would hold for `m`. */
function tableOf(m: ReadonlyMap<unknown, unknown>): number {
  return javaTableSize(m.size, TABLES.get(m) ?? 16);
}

/** Gives `to`, a copy of `from` that stands for the same Java map, its table. */
export function copyJavaTable(from: ReadonlyMap<unknown, unknown>, to: ReadonlyMap<unknown, unknown>): void {
  const table = TABLES.get(from);
  if (table !== undefined) TABLES.set(to, table);
}

/** Call before removing keys from `m`: the HashMap keeps its table. */
export function keepJavaTable(m: ReadonlyMap<unknown, unknown>): void {
  if (m.size > 12 || TABLES.has(m)) TABLES.set(m, tableOf(m));
}

/**
 * A copy as `new HashMap<>(m)` makes it: m's entries put in m's iteration order into a table
 * presized to tableSizeFor((int)(size / 0.75f + 1)) (8 slots for 3–5 entries, 32 for 12).
 */
export function copyJavaMap<K, V>(m: ReadonlyMap<K, V>): Map<K, V> {
  const copy = new Map(javaMapEntries(m));
  copyNumberMarks(m, copy);
  if (m.size > 0) {
    const wanted = Math.trunc(Math.fround(Math.fround(m.size / 0.75) + 1));
    let table = 1;
    while (table < wanted) table *= 2;
    TABLES.set(copy, table);
  }
  return copy;
}

/** Below this many keys an insertion sort by bucket; above, a counting sort (the buckets are < the table size). */
const SMALL = 24;

/**
 * The keys in HashMap iteration order for a table of `table` slots (by default the one
 * `keys.length` puts grow to): by bucket (the hash spread as HashMap.hash does, masked by the
 * table size), in insertion order within a bucket (a resize keeps it). Ignores tree bins (9+
 * colliding keys, which also double a table under 64 slots).
 */
export function inJavaHashOrder<K>(keys: readonly K[], table = javaTableSize(keys.length)): K[] {
  const n = keys.length;
  if (n < 2) return [...keys];
  const mask = table - 1;
  const bucket = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const h = javaHash(keys[i]);
    bucket[i] = (h ^ (h >>> 16)) & mask;
  }
  if (n <= SMALL) {
    const at = Array.from({ length: n }, (_, i) => i);
    for (let i = 1; i < n; i++) {
      const x = at[i]!;
      let j = i - 1;
      for (; j >= 0 && bucket[at[j]!]! > bucket[x]!; j--) at[j + 1] = at[j]!;
      at[j + 1] = x;
    }
    return at.map((i) => keys[i]!);
  }
  if (table > 8 * n) {
    // A table left large by removals: sorting the few keys beats counting over every slot.
    return Array.from({ length: n }, (_, i) => i).sort((a, b) => bucket[a]! - bucket[b]! || a - b).map((i) => keys[i]!);
  }
  const start = new Int32Array(table + 1);
  for (let i = 0; i < n; i++) start[bucket[i]! + 1]!++;
  for (let b = 0; b < table; b++) start[b + 1]! += start[b]!;
  const out = new Array<K>(n);
  for (let i = 0; i < n; i++) out[start[bucket[i]!]!++] = keys[i]!;
  return out;
}

/** Per listed Map (of more than SMALL keys): the insertion order and table its order was computed for, and that order. */
const ORDERS = new WeakMap<ReadonlyMap<unknown, unknown>, { readonly keys: readonly unknown[]; readonly table: number; readonly order: readonly unknown[] }>();

/** Whether `m` still holds `keys` in that insertion order (a put of a new key or a removal changes it; a new value does not). */
function holdsInOrder(m: ReadonlyMap<unknown, unknown>, keys: readonly unknown[]): boolean {
  if (m.size !== keys.length) return false;
  let i = 0;
  for (const k of m.keys()) {
    const was = keys[i++];
    if (was !== k && !(was !== was && k !== k)) return false;
  }
  return true;
}

/** The keys of `m` in HashMap iteration order; a map listed again unchanged (every event, say) reuses its order. */
export function javaKeyOrder<K>(m: ReadonlyMap<K, unknown>): readonly K[] {
  const table = tableOf(m);
  if (m.size <= SMALL) return inJavaHashOrder([...m.keys()], table);
  const hit = ORDERS.get(m);
  if (hit !== undefined && hit.table === table && holdsInOrder(m, hit.keys)) return hit.order as readonly K[];
  const keys = [...m.keys()];
  const order = inJavaHashOrder(keys, table);
  ORDERS.set(m, { keys, table, order });
  return order;
}

/** A map's entries in HashMap iteration order. */
export function javaMapEntries<K, V>(m: ReadonlyMap<K, V>): [K, V][] {
  return javaKeyOrder(m).map((k) => [k, m.get(k)!]);
}
