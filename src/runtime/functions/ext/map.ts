// The `map:` namespace (siddhi-execution-map): build, read and change maps held
// in `object` attributes. put/remove/clear… change the map and return it, as the
// reference does (see map-list-values.ts for which maps change in place).
// A null map argument gives null. Conversions to and from JSON/XML: map-convert.ts.

import type { AttributeType } from '../../../ast/index.js';
import type { FunctionKind } from '../function-kind.js';
import { FunctionUsageError } from '../function-kind.js';
import { ANY, OBJECT, PRIMITIVE, defineFunction, type Param } from './define-function.js';
import { markNumber, numberKindAt, type NumberKind } from './number-marks.js';
import { MAP_CONVERT_FUNCTIONS } from './map-convert.js';
import { adopt, containerFunction, indexIn, isMapValue, mapOf, numberKindsOf, writableMap } from './map-list-values.js';
import { copyJavaMap, inJavaHashOrder, javaKeyOrder, javaMapEntries, keepJavaTable } from './java-hash-order.js';

type MapCompute = (map: Map<unknown, unknown>, rest: unknown[], kinds: readonly (NumberKind | undefined)[]) => unknown;

/** m.put(k, v) where v was given as `kind` (a Java Double or Float keeps its class: written 25.0). */
function put(m: Map<unknown, unknown>, k: unknown, v: unknown, kind: NumberKind | undefined): Map<unknown, unknown> {
  m.set(k, v);
  markNumber(m, k, typeof v === 'number' ? kind : undefined);
  return m;
}

/** A function of a map; `writes` (it changes the map) gives it the writable one. */
function mapFunction(name: string, params: readonly Param[], returns: AttributeType, compute: MapCompute, o: { optional?: number; writes?: boolean } = {}): FunctionKind {
  return containerFunction({ name, first: 'map', read: o.writes === true ? writableMap : mapOf, params, returns, compute, optional: o.optional ?? 0 });
}

/**
 * Every given map's value for each key of any of them, as the reference's combineByKey and tokenize do:
 * the keys in the order of the HashSet they gather them in (HashMap order, java-hash-order.ts).
 */
export function combineByKey(maps: readonly Map<unknown, unknown>[]): Map<unknown, unknown[]> {
  const seen = new Set<unknown>();
  for (const m of maps) for (const k of javaKeyOrder(m)) seen.add(k);
  const out = adopt(new Map<unknown, unknown[]>());
  for (const k of inJavaHashOrder([...seen])) out.set(k, adopt(maps.map((x) => (x.has(k) ? x.get(k) : null))));
  return out;
}

const MAP_CREATE = defineFunction({
  name: 'map:create',
  params: [['key', ANY], ['value', ANY]],
  repeat: { min: 0 },
  returns: 'object',
  nulls: 'pass',
  // A new map per event, never folded into one shared constant (maps change in place).
  pure: false,
  signature: 'map:create([key1 any, value1 any, …]) → object',
  make: (args) => {
    const kinds = numberKindsOf(args);
    return (vs) => {
      const m = adopt(new Map<unknown, unknown>());
      for (let i = 0; i < vs.length; i += 2) put(m, vs[i], vs[i + 1], kinds[i + 1]);
      return m;
    };
  },
});

const WRITES = { writes: true } as const;

export const MAP_FUNCTIONS: readonly FunctionKind[] = [
  {
    ...MAP_CREATE,
    plan(args, ctx) {
      if (args.length % 2 === 1) {
        throw new FunctionUsageError(`map:create() takes keys and values in pairs (0 or a multiple of 2 arguments), got ${args.length}; usage: ${MAP_CREATE.signature}`);
      }
      return MAP_CREATE.plan(args, ctx);
    },
  },
  mapFunction('map:put', [['key', ANY], ['value', ANY]], 'object', (m, [k, v], kinds) => put(m, k, v, kinds[1]), WRITES),
  mapFunction('map:putIfAbsent', [['key', PRIMITIVE], ['value', PRIMITIVE]], 'object', (m, [k, v], kinds) => {
    // Map.putIfAbsent: a key held with a null value counts as absent.
    if (!m.has(k) || m.get(k) === null) put(m, k, v, kinds[1]);
    return m;
  }, WRITES),
  mapFunction('map:putAll', [['from.map', OBJECT]], 'object', (m, [from]) => {
    // putAll walks the given map in its own (HashMap) order.
    if (from !== null) {
      const source = mapOf('map:putAll', from, 'Second attribute value');
      for (const [k, v] of javaMapEntries(source)) put(m, k, v, numberKindAt(source, k));
    }
    return m;
  }, WRITES),
  mapFunction('map:replace', [['key', PRIMITIVE], ['value', PRIMITIVE]], 'object', (m, [k, v], kinds) => (m.has(k) ? put(m, k, v, kinds[1]) : m), WRITES),
  mapFunction('map:replaceAll', [['from.map', OBJECT]], 'object', (m, [from]) => {
    if (from !== null) {
      const source = mapOf('map:replaceAll', from, 'Second attribute value');
      for (const [k, v] of source) if (m.has(k)) put(m, k, v, numberKindAt(source, k));
    }
    return m;
  }, WRITES),
  mapFunction('map:remove', [['key', ANY]], 'object', (m, [k]) => {
    keepJavaTable(m);
    m.delete(k);
    return m;
  }, WRITES),
  mapFunction('map:clear', [], 'object', (m) => {
    keepJavaTable(m);
    m.clear();
    return m;
  }, WRITES),
  // Map.getOrDefault: the default only when the key is absent (a null value stays null).
  mapFunction('map:get', [['key', PRIMITIVE], ['default.value', ANY]], 'object', (m, rest) => (m.has(rest[0]) ? m.get(rest[0]) : rest.length > 1 ? rest[1] : null), { optional: 1 }),
  mapFunction('map:containsKey', [['key', PRIMITIVE]], 'bool', (m, [k]) => m.has(k)),
  mapFunction('map:containsValue', [['value', PRIMITIVE]], 'bool', (m, [v]) => indexIn([...m.values()], v) >= 0),
  mapFunction('map:isEmpty', [], 'bool', (m) => m.size === 0),
  mapFunction('map:size', [], 'int', (m) => m.size),
  // In the order the reference's HashMap lists them.
  mapFunction('map:keys', [], 'object', (m) => adopt([...javaKeyOrder(m)])),
  mapFunction('map:values', [], 'object', (m) => adopt(javaKeyOrder(m).map((k) => m.get(k)))),
  // new HashMap<>(map): a presized table (java-hash-order.ts copyJavaMap).
  mapFunction('map:clone', [], 'object', (m) => adopt(copyJavaMap(m))),
  defineFunction({
    name: 'map:isMap',
    params: [['arg', ANY]],
    returns: 'bool',
    nulls: 'pass',
    compute: ([v]) => isMapValue(v),
  }),
  defineFunction({
    name: 'map:combineByKey',
    params: [['map', OBJECT]],
    repeat: { min: 2 },
    returns: 'object',
    compute: (vs) => combineByKey(vs.map((v, i) => mapOf('map:combineByKey', v, `Attribute number, '${i + 1}'`))),
  }),
  ...MAP_CONVERT_FUNCTIONS,
];
