// `json:group(json [, enclosing.element] [, distinct])` and `json:groupAsObject(…)`
// (siddhi-execution-json): the JSON objects of the window gathered into an
// array, first-arrival order, repeated as often as they occur unless distinct;
// wrapped as {"<enclosing.element>": [...]} when given. group gives the JSON
// text, groupAsObject the value. Equal objects (whatever their key order) count as one.

import type { AttributeType } from '../../../ast/index.js';
import type { CompiledExpression } from '../../expression.js';
import { documentOf } from '../../functions/ext/json.js';
import { toJsonString } from '../../functions/ext/gson-text.js';
import { type AggregatorKind, AggregatorUsageError } from '../aggregator.js';

/** canonical text → [the object as first seen, count]. */
type Groups = Map<string, [unknown, number]>;

interface Options {
  readonly enclosing: string | undefined;
  readonly distinct: boolean;
}

/** JSON text with object keys sorted: equal objects give equal text, as JSONObject.equals. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x) ?? 'null';
}

function group(name: string, asObject: boolean, o: Options): AggregatorKind<Groups> {
  const signature = `${name}(json string|object [, enclosing.element string] [, distinct bool]) -> ${asObject ? 'object' : 'string'}`;
  const kind: AggregatorKind<Groups> = {
    name,
    signature,
    resultType(types) {
      const forms: AttributeType[][] = [['string'], ['string', 'string'], ['string', 'bool'], ['string', 'string', 'bool']];
      const fits = forms.some((f) => f.length === types.length && f.every((t, i) => t === types[i] || (i === 0 && types[0] === 'object')));
      if (!fits) throw new AggregatorUsageError(`${name}() does not take (${types.join(', ')}); usage: ${signature}`);
      return asObject ? 'object' : 'string';
    },
    configure: (args) => configure(name, asObject, args),
    init: () => new Map(),
    add(m, v) {
      const doc = v === null || v === undefined ? null : documentOf(name, v);
      const key = canonical(doc);
      const hit = m.get(key);
      if (hit) hit[1]++;
      else m.set(key, [doc, 1]);
      return m;
    },
    remove(m, v) {
      const key = canonical(v === null || v === undefined ? null : documentOf(name, v));
      const hit = m.get(key);
      if (hit && --hit[1] <= 0) m.delete(key);
      return m;
    },
    value(m) {
      const items = [...m.values()].flatMap(([doc, n]) => (o.distinct ? [doc] : new Array<unknown>(n).fill(doc)));
      const result = o.enclosing === undefined ? items : { [o.enclosing]: items };
      return asObject ? structuredClone(result) : toJsonString(result);
    },
    save: (m) => [...m],
    load: (raw) => new Map(raw as [string, [unknown, number]][]),
  };
  return kind;
}

function configure(name: string, asObject: boolean, args: readonly CompiledExpression[]): AggregatorKind<Groups> {
  const constant = (a: CompiledExpression | undefined): unknown => {
    if (a === undefined) return undefined;
    if (!a.constant) throw new AggregatorUsageError(`${name}(): enclosing.element and distinct must be constants`);
    return a.constant.value;
  };
  const rest = args.slice(1).map(constant);
  const enclosing = rest.find((v) => typeof v === 'string') as string | undefined;
  const distinct = rest.find((v) => typeof v === 'boolean') === true;
  return group(name, asObject, { enclosing, distinct });
}

export const JSON_GROUP = group('json:group', false, { enclosing: undefined, distinct: false });
export const JSON_GROUP_AS_OBJECT = group('json:groupAsObject', true, { enclosing: undefined, distinct: false });
