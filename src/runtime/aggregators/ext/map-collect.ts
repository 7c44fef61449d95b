// `map:collect(key, value)` and `map:merge(map)` (siddhi-execution-map): the
// window's key-value pairs, or its maps, gathered into one map; a later value
// for a key replaces the earlier one. As in the reference, an expiring event
// removes its key (collect) or all its map's keys (merge) outright, even when
// a later event in the window carries the same key. Each result is a new map.

import type { AttributeType } from '../../../ast/index.js';
import { ANY, PRIMITIVE } from '../../functions/ext/define-function.js';
import { adopt, mapOf } from '../../functions/ext/map-list-values.js';
import { copyJavaMap, keepJavaTable } from '../../functions/ext/java-hash-order.js';
import { type AggregatorKind, AggregatorUsageError, expectArgs, isNull } from '../aggregator.js';

type Entries = Map<unknown, unknown>;

const mapIO = {
  init: (): Entries => new Map(),
  // MapState.getDataMapClone: new HashMap<>(dataMap), a presized table (java-hash-order.ts copyJavaMap).
  value: (m: Entries): unknown => adopt(copyJavaMap(m)),
  // Entries in insertion order (a copy: the state changes after capture).
  save: (m: Entries): unknown => [...m],
  load: (raw: unknown): Entries => new Map(raw as [unknown, unknown][]),
};

export const MAP_COLLECT: AggregatorKind<Entries> = {
  name: 'map:collect',
  signature: 'map:collect(key int|long|float|double|bool|string, value any) -> object',
  resultType(types): AttributeType {
    expectArgs(this, types, 2, 2);
    if (!PRIMITIVE.includes(types[0]!)) throw new AggregatorUsageError(`map:collect() argument 1 (key) must be ${PRIMITIVE.join(' or ')}, got ${types[0]}; usage: ${this.signature}`);
    if (!ANY.includes(types[1]!)) throw new AggregatorUsageError(`map:collect() argument 2 (value) has an unknown type ${types[1]}`);
    return 'object';
  },
  argument(args) {
    const key = args[0]!.evaluate;
    const value = args[1]!.evaluate;
    return (row) => [key(row), value(row)];
  },
  ...mapIO,
  add(m, pair) {
    const [k, v] = pair as [unknown, unknown];
    m.set(k ?? null, v ?? null);
    return m;
  },
  remove(m, pair) {
    keepJavaTable(m);
    m.delete((pair as [unknown, unknown])[0] ?? null);
    return m;
  },
};

export const MAP_MERGE: AggregatorKind<Entries> = {
  name: 'map:merge',
  signature: 'map:merge(map object) -> object',
  resultType(types) {
    expectArgs(this, types, 1, 1);
    if (types[0] !== 'object') throw new AggregatorUsageError(`map:merge() argument 1 (map) must be object, got ${types[0]}; usage: ${this.signature}`);
    return 'object';
  },
  ...mapIO,
  add(m, v) {
    if (isNull(v)) return m;
    for (const [k, x] of mapOf('map:merge', v)) m.set(k, x);
    return m;
  },
  remove(m, v) {
    if (isNull(v)) return m;
    keepJavaTable(m);
    for (const k of mapOf('map:merge', v).keys()) m.delete(k);
    return m;
  },
};
