// The values of the `map:` and `list:` namespaces: a map is a JS Map, a list an
// array. Shared by their functions, aggregators and tokenize processors. A plain
// object (a JSON document, an event sent from JavaScript) reads as a map.
//
// The reference's put/add/remove… change their argument in place, and apps see
// it (`select m, map:put(m, k, v)` gives the changed map twice). Here the same
// holds for maps and lists the engine made (map:create, list:collect, …) since
// the last state capture (state/owned-values.ts); one that came from outside
// (sent in an event, restored from a checkpoint) or that a capture may hold is
// copied on its first change, so a caller's objects and captured states are never changed.

import type { AttributeType } from '../../../ast/index.js';
import { adopt, owns } from '../../../state/owned-values.js';
import type { FunctionKind } from '../function-kind.js';
import { OBJECT, defineFunction, failFunction, type Param } from './define-function.js';
import { memberKeys } from './member-order.js';
import { copyNumberMarks, type NumberKind } from './number-marks.js';
import { copyJavaTable } from './java-hash-order.js';

/** What the reference names a value's class in its "must be of type" messages. */
function className(v: unknown): string {
  if (v instanceof Map) return 'java.util.HashMap';
  if (Array.isArray(v)) return 'java.util.LinkedList';
  switch (typeof v) {
    case 'string': return 'java.lang.String';
    case 'boolean': return 'java.lang.Boolean';
    case 'number': return Number.isInteger(v) ? 'java.lang.Integer' : 'java.lang.Double';
    default: return 'java.lang.Object';
  }
}

export function isMapValue(v: unknown): v is Map<unknown, unknown> | Record<string, unknown> {
  return v instanceof Map || (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Set) && !ArrayBuffer.isView(v));
}

/** A map argument as a Map (plain objects read as their entries); anything else is a run-time error naming the function. */
export function mapOf(name: string, v: unknown, what = 'First attribute value'): Map<unknown, unknown> {
  if (v instanceof Map) return v;
  if (isMapValue(v)) return new Map(memberKeys(v).map((k) => [k, (v as Record<string, unknown>)[k]]));
  return failFunction(name, `${what} must be of type java.util.Map, but found '${className(v)}'`);
}

export function listOf(name: string, v: unknown, what = 'First attribute value'): unknown[] {
  if (Array.isArray(v)) return v;
  return failFunction(name, `${what} must be of type java.util.List, but found '${className(v)}'`);
}

export { adopt };

/** The map to change for a put/remove…: the argument itself when the engine made it, else an adopted copy. */
export function writableMap(name: string, v: unknown): Map<unknown, unknown> {
  if (v instanceof Map && owns(v)) return v;
  const from = mapOf(name, v);
  // The reference changes the very map: its copy here keeps the Java classes of its numbers and its table.
  const copy = adopt(new Map(from));
  copyNumberMarks(from, copy);
  copyJavaTable(from, copy);
  return copy;
}

export function writableList(name: string, v: unknown): unknown[] {
  const l = listOf(name, v);
  return owns(l) ? l : adopt([...l]);
}

/** Java's equals for the values these namespaces hold: primitives by value, lists by elements, maps by entries. */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => javaEquals(x, b[i]));
  if (isMapValue(a) && isMapValue(b)) {
    const x = mapOf('', a);
    const y = mapOf('', b);
    if (x.size !== y.size) return false;
    for (const [k, v] of x) if (!y.has(k) || !javaEquals(v, y.get(k))) return false;
    return true;
  }
  return false;
}

/** Keeps the elements `keep` accepts, in place (list: functions change the engine's own lists, as the reference does). */
export function filterInPlace(l: unknown[], keep: (x: unknown) => boolean): unknown[] {
  let w = 0;
  for (const x of l) if (keep(x)) l[w++] = x;
  l.length = w;
  return l;
}

export function indexIn(list: readonly unknown[], v: unknown): number {
  for (let i = 0; i < list.length; i++) if (javaEquals(list[i], v)) return i;
  return -1;
}

/** A list index as Java checks it: within [0, size) (or [0, size] for an insertion). */
export function checkIndex(name: string, index: number, size: number, inclusive = false): number {
  if (index < 0 || index > size || (index === size && !inclusive)) failFunction(name, `Index: ${index}, Size: ${size}`);
  return index;
}

export interface ContainerFunction<T> {
  readonly name: string;
  /** The first parameter's name ('map', 'list') and how its value is read (checked, or made writable). */
  readonly first: string;
  readonly read: (name: string, v: unknown) => T;
  readonly params: readonly Param[];
  readonly returns: AttributeType;
  readonly optional?: number;
  /** `kinds`: per further argument, 'double' or 'float' when that is its type (a Java Double or Float). */
  readonly compute: (container: T, rest: unknown[], kinds: readonly (NumberKind | undefined)[]) => unknown;
}

/** Per argument: 'double' or 'float' when that is its type, the Java class a map keeps it as. */
export function numberKindsOf(args: readonly { readonly type: AttributeType }[]): (NumberKind | undefined)[] {
  return args.map((a) => (a.type === 'double' || a.type === 'float' ? a.type : undefined));
}

/** A function of a map or list (its first argument; null gives null) and further arguments that may be null. */
export function containerFunction<T>(spec: ContainerFunction<T>): FunctionKind {
  const { name, read, compute } = spec;
  return defineFunction({
    name,
    params: [[spec.first, OBJECT], ...spec.params],
    optional: spec.optional ?? 0,
    returns: spec.returns,
    nulls: 'pass',
    make: (args) => {
      const kinds = numberKindsOf(args.slice(1));
      return (vs) => (vs[0] === null ? null : compute(read(name, vs[0]), vs.slice(1), kinds));
    },
  });
}
