// `list:collect(value [, is.distinct])` and `list:merge(list [, is.distinct])`
// (siddhi-execution-list): the window's values, or the elements of its lists,
// in arrival order; with is.distinct a value already held is not added again.
// As in the reference, an expiring event removes the first equal element
// (collect) or every element equal to one of its list's (merge). Each result is a new array.

import type { AttributeType } from '../../../ast/index.js';
import { adopt, filterInPlace, indexIn, listOf } from '../../functions/ext/map-list-values.js';
import type { Row } from '../../event.js';
import type { CompiledExpression } from '../../expression.js';
import { type AggregatorKind, AggregatorUsageError, expectArgs, isNull } from '../aggregator.js';

type Values = unknown[];
/** The value with its is.distinct flag (true only when given and true). */
type Flagged = readonly [value: unknown, distinct: boolean];

function flagged(args: readonly CompiledExpression[]): (row: Row) => Flagged {
  const value = args[0]!.evaluate;
  const distinct = args[1]?.evaluate;
  return (row) => [value(row), distinct !== undefined && distinct(row) === true];
}

function checkTypes(kind: AggregatorKind, types: readonly AttributeType[], first: 'object' | undefined): AttributeType {
  expectArgs(kind, types, 1, 2);
  if (first !== undefined && types[0] !== first) throw new AggregatorUsageError(`${kind.name}() argument 1 must be ${first}, got ${types[0]}; usage: ${kind.signature}`);
  if (types.length > 1 && types[1] !== 'bool') throw new AggregatorUsageError(`${kind.name}() argument 2 (is.distinct) must be bool, got ${types[1]}; usage: ${kind.signature}`);
  return 'object';
}

const listIO = {
  init: (): Values => [],
  value: (l: Values): unknown => adopt([...l]),
  save: (l: Values): unknown => [...l],
  load: (raw: unknown): Values => [...(raw as unknown[])],
};

export const LIST_COLLECT: AggregatorKind<Values> = {
  name: 'list:collect',
  signature: 'list:collect(value any [, is.distinct bool]) -> object',
  resultType(types) {
    return checkTypes(this, types, undefined);
  },
  argument: flagged,
  ...listIO,
  add(l, arg) {
    const [v, distinct] = arg as Flagged;
    if (!distinct || indexIn(l, v ?? null) < 0) l.push(v ?? null);
    return l;
  },
  remove(l, arg) {
    const at = indexIn(l, (arg as Flagged)[0] ?? null);
    if (at >= 0) l.splice(at, 1);
    return l;
  },
};

export const LIST_MERGE: AggregatorKind<Values> = {
  name: 'list:merge',
  signature: 'list:merge(list object [, is.distinct bool]) -> object',
  resultType(types) {
    return checkTypes(this, types, 'object');
  },
  argument: flagged,
  ...listIO,
  add(l, arg) {
    const [v, distinct] = arg as Flagged;
    if (isNull(v)) return l;
    for (const x of listOf('list:merge', v)) if (!distinct || indexIn(l, x) < 0) l.push(x);
    return l;
  },
  remove(l, arg) {
    const v = (arg as Flagged)[0];
    if (isNull(v)) return l;
    const gone = listOf('list:merge', v);
    return filterInPlace(l, (x) => indexIn(gone, x) < 0);
  },
};
