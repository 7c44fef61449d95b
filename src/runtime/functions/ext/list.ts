// The `list:` namespace (siddhi-execution-list): build, read and change lists
// (arrays) held in `object` attributes. add/remove/sort… change the list and
// return it, as the reference does (see map-list-values.ts for which lists
// change in place). A null list argument gives null; elements compare as Java's equals.

import type { AttributeType } from '../../../ast/index.js';
import type { FunctionKind } from '../function-kind.js';
import { FunctionUsageError } from '../function-kind.js';
import { ANY, BOOL, INT, OBJECT, STRING, constantOf, defineFunction, failFunction, type Param } from './define-function.js';
import { adopt, checkIndex, containerFunction, filterInPlace, indexIn, javaEquals, listOf, writableList } from './map-list-values.js';

type ListCompute = (list: unknown[], rest: unknown[]) => unknown;

/** A function of a list; `writes` (it changes the list) gives it the writable one. */
function listFunction(name: string, params: readonly Param[], returns: AttributeType, compute: ListCompute, o: { optional?: number; writes?: boolean } = {}): FunctionKind {
  return containerFunction({ name, first: 'list', read: o.writes === true ? writableList : listOf, params, returns, compute, optional: o.optional ?? 0 });
}

const WRITES = { writes: true } as const;

/** The second list argument (given.list, from.list); null reads as empty. */
function secondList(name: string, v: unknown): unknown[] {
  return v === null ? [] : listOf(name, v, 'Second attribute value');
}

function indexArg(name: string, v: unknown): number {
  if (v === null) return failFunction(name, 'index is null');
  return v as number;
}

/** Java's String.CASE_INSENSITIVE_ORDER: char by char, upper- then lower-cased. */
function compareIgnoringCase(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a[i]!;
    let y = b[i]!;
    if (x !== y) {
      x = x.toUpperCase();
      y = y.toUpperCase();
      if (x !== y) {
        x = x.toLowerCase();
        y = y.toLowerCase();
        if (x !== y) return x.charCodeAt(0) - y.charCodeAt(0);
      }
    }
  }
  return a.length - b.length;
}

/** Ascending, in place, as the reference sorts: strings ignoring case, numbers naturally, by the first element's kind. */
function sortAscending(list: unknown[]): unknown[] {
  if (list.length === 0) return list;
  const first = list[0];
  const kind = typeof first === 'string' ? 'string' : typeof first === 'number' ? 'number' : undefined;
  if (kind === undefined) {
    return failFunction('list:sort', `only supported for lists of type <STRING|INT|LONG|DOUBLE|FLOAT> but found '${first === null ? 'null' : typeof first}'`);
  }
  if (list.some((x) => typeof x !== kind)) return failFunction('list:sort', `the list mixes ${kind} elements with other values`);
  return kind === 'string' ? (list as string[]).sort(compareIgnoringCase) : (list as number[]).sort((x, y) => x - y);
}

const SORTS: Record<string, (list: unknown[]) => unknown[]> = {
  ASC: sortAscending,
  DESC: (list) => sortAscending(list).reverse(),
  REV: (list) => list.reverse(),
};

export const LIST_FUNCTIONS: readonly FunctionKind[] = [
  defineFunction({
    name: 'list:create',
    params: [['value', ANY]],
    repeat: { min: 0 },
    returns: 'object',
    nulls: 'pass',
    signature: 'list:create([value1 any, …]) → object',
    // One null argument gives an empty list, as the reference's single-argument form.
    pure: false,
    compute: (vs) => adopt(vs.length === 1 && vs[0] === null ? [] : [...vs]),
  }),
  listFunction('list:add', [['value', ANY], ['index', INT]], 'object', (l, rest) => {
    if (rest.length < 2) l.push(rest[0]);
    else l.splice(checkIndex('list:add', indexArg('list:add', rest[1]), l.length, true), 0, rest[0]);
    return l;
  }, { optional: 1, writes: true }),
  listFunction('list:addAll', [['from.list', OBJECT], ['is.distinct', BOOL]], 'object', (l, [from, distinct]) => {
    for (const x of [...secondList('list:addAll', from)]) if (distinct !== true || indexIn(l, x) < 0) l.push(x);
    return l;
  }, { optional: 1, writes: true }),
  listFunction('list:get', [['index', INT]], 'object', (l, [i]) => {
    const at = indexArg('list:get', i);
    return at >= 0 && at < l.length ? l[at] : null;
  }),
  listFunction('list:setValue', [['index', INT], ['value', ANY]], 'object', (l, [i, v]) => {
    l[checkIndex('list:setValue', indexArg('list:setValue', i), l.length)] = v;
    return l;
  }, WRITES),
  listFunction('list:contains', [['value', ANY]], 'bool', (l, [v]) => indexIn(l, v) >= 0),
  listFunction('list:containsAll', [['given.list', OBJECT]], 'bool', (l, [g]) => secondList('list:containsAll', g).every((x) => indexIn(l, x) >= 0)),
  listFunction('list:containsAny', [['given.list', OBJECT]], 'bool', (l, [g]) => secondList('list:containsAny', g).some((x) => indexIn(l, x) >= 0)),
  listFunction('list:indexOf', [['value', ANY]], 'int', (l, [v]) => indexIn(l, v)),
  listFunction('list:lastIndexOf', [['value', ANY]], 'int', (l, [v]) => {
    for (let i = l.length - 1; i >= 0; i--) if (javaEquals(l[i], v)) return i;
    return -1;
  }),
  listFunction('list:remove', [['value', ANY]], 'object', (l, [v]) => {
    const at = indexIn(l, v);
    if (at >= 0) l.splice(at, 1);
    return l;
  }, WRITES),
  listFunction('list:removeByIndex', [['index', INT]], 'object', (l, [i]) => {
    l.splice(checkIndex('list:removeByIndex', indexArg('list:removeByIndex', i), l.length), 1);
    return l;
  }, WRITES),
  listFunction('list:removeAll', [['given.list', OBJECT]], 'object', (l, [g]) => {
    const given = [...secondList('list:removeAll', g)];
    return filterInPlace(l, (x) => indexIn(given, x) < 0);
  }, WRITES),
  listFunction('list:retainAll', [['given.list', OBJECT]], 'object', (l, [g]) => {
    const given = [...secondList('list:retainAll', g)];
    return filterInPlace(l, (x) => indexIn(given, x) >= 0);
  }, WRITES),
  listFunction('list:isEmpty', [], 'bool', (l) => l.length === 0),
  listFunction('list:size', [], 'int', (l) => l.length),
  listFunction('list:clear', [], 'object', (l) => {
    l.length = 0;
    return l;
  }, WRITES),
  listFunction('list:clone', [], 'object', (l) => adopt([...l])),
  defineFunction({
    name: 'list:isList',
    params: [['arg', ANY]],
    returns: 'bool',
    nulls: 'pass',
    compute: ([v]) => Array.isArray(v),
  }),
  defineFunction({
    name: 'list:sort',
    params: [['list', OBJECT], ['order', STRING]],
    optional: 1,
    returns: 'object',
    make: (args) => {
      const order = args.length > 1 ? constantOf(args[1]) : 'ASC';
      const sort = typeof order === 'string' ? SORTS[order.toUpperCase()] : undefined;
      if (sort === undefined) {
        throw new FunctionUsageError(`list:sort(): order must be a constant 'ASC', 'DESC' or 'REV', got ${typeof order === 'string' ? `'${order}'` : 'a variable'}`);
      }
      return ([l]) => sort(writableList('list:sort', l));
    },
  }),
];
