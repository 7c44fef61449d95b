// The iteration order of a java.util.HashMap, which the reference's batch
// windows emit their events in: by bucket (the key's hashCode spread and masked
// by the table size, which only grows), then by insertion within a bucket.
// Keys are the SiddhiQL values the reference hashes (String, Integer, Long,
// Float, Double, Boolean).

import type { AttributeType } from '../../ast/index.js';
import { assertNever } from '../../dispatch.js';

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const F64 = new Float64Array(1);
const I64 = new Int32Array(F64.buffer);

/** Java's hashCode of a value of a SiddhiQL type (32-bit signed). */
export function javaHashCode(value: unknown, type: AttributeType): number {
  if (value === null || value === undefined) return 0;
  switch (type) {
    case 'string': {
      const s = String(value);
      let h = 0;
      for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
      return h;
    }
    case 'int': return (value as number) | 0;
    case 'long': {
      const v = BigInt.asUintN(64, BigInt(value as number));
      return Number(BigInt.asIntN(32, v ^ (v >> 32n)));
    }
    case 'float': F32[0] = value as number; return I32[0]!;
    case 'double': {
      F64[0] = value as number;
      return (I64[0]! ^ I64[1]!) | 0;
    }
    case 'bool': return value ? 1231 : 1237;
    case 'object': return javaHashCode(String(value), 'string');
    default:
      return assertNever(type, 'attribute type');
  }
}

/** The smallest table a HashMap grows to for `size` entries (16, doubled past 3/4 full). */
export function javaTableSize(size: number, current = 16): number {
  let cap = current;
  while (size > cap * 0.75) cap *= 2;
  return cap;
}

/** Entries in HashMap iteration order; `hashes[i]` is entry i's key hashCode, entries in insertion order. */
export function javaHashOrder<T>(entries: readonly T[], hashes: readonly number[], tableSize: number): T[] {
  const bucket = hashes.map((h) => (h ^ (h >>> 16)) & (tableSize - 1));
  return entries.map((e, i) => [e, i] as const).sort((a, b) => bucket[a[1]]! - bucket[b[1]]! || a[1] - b[1]).map(([e]) => e);
}
