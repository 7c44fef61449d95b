// The order in which a java.util.HashMap iterates: the reference's map: functions
// build HashMaps and json-smart's JSONObject is one, so whatever they write
// (map:toJSON, map:keys, a json sink's map, json:toObject) comes in this order.
// Used wherever a map's entries are written or listed.

/**
 * Java's hashCode of a key as the reference would hold it: String.hashCode, an
 * int-range whole number as an Integer, a bigint as a Long, another number as a
 * Double, Boolean's 1231/1237; null (and anything else) 0.
 */
function javaHash(k: unknown): number {
  switch (typeof k) {
    case 'string': {
      let h = 0;
      for (let i = 0; i < k.length; i++) h = (Math.imul(h, 31) + k.charCodeAt(i)) | 0;
      return h;
    }
    case 'number':
      return Number.isInteger(k) && k >= -2147483648 && k <= 2147483647 ? k : doubleHash(k);
    case 'bigint':
      return Number(BigInt.asIntN(32, k ^ (BigInt.asUintN(64, k) >> 32n)));
    case 'boolean':
      return k ? 1231 : 1237;
    default:
      return 0;
  }
}

function doubleHash(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  // Double.hashCode reads doubleToLongBits, which folds every NaN into one.
  view.setFloat64(0, Number.isNaN(x) ? NaN : x);
  return view.getInt32(0) ^ view.getInt32(4);
}

/** The table size a HashMap filled by `size` puts ends with: 16, doubled while more than 3/4 full. */
function capacityFor(size: number): number {
  let capacity = 16;
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}

/**
 * The keys in HashMap iteration order: by bucket (the hash spread as HashMap.hash
 * does, masked by the table size), in insertion order within a bucket (a resize
 * keeps it). Ignores tree bins (8+ colliding keys) and a table left large by removals.
 */
export function inJavaHashOrder<K>(keys: readonly K[]): K[] {
  if (keys.length < 2) return [...keys];
  const mask = capacityFor(keys.length) - 1;
  const bucket = keys.map((k) => {
    const h = javaHash(k);
    return (h ^ (h >>> 16)) & mask;
  });
  return keys.map((_, i) => i).sort((a, b) => bucket[a]! - bucket[b]! || a - b).map((i) => keys[i]!);
}

/** A map's entries in HashMap iteration order. */
export function javaMapEntries<K, V>(m: ReadonlyMap<K, V>): [K, V][] {
  return inJavaHashOrder([...m.keys()]).map((k) => [k, m.get(k)!]);
}
