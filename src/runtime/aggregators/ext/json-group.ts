// `json:group(json [, enclosing.element] [, distinct])` and `json:groupAsObject(…)`
// (siddhi-execution-json): the JSON objects of the window gathered into an
// array, first-arrival order, repeated as often as they occur unless distinct;
// wrapped as {"<enclosing.element>": [...]} when given. group gives the JSON
// text, groupAsObject the value. Equal objects (whatever their key order) count as one.
// As the reference (json-smart's JSONParser in MODE_JSON_SIMPLE, toJSONString): a text's
// members come in HashMap order, written without HTML escapes.

import type { AttributeType } from '../../../ast/index.js';
import type { CompiledExpression } from '../../expression.js';
import { documentOf } from '../../functions/ext/json.js';
import { toJsonString } from '../../functions/ext/gson-text.js';
import { inHashOrder } from '../../functions/ext/lenient-json.js';
import { type AggregatorKind, AggregatorUsageError } from '../aggregator.js';

/**
 * canonical text → [the object as first seen, count, its JSON text]. The text is kept (and checkpointed) so that
 * what the parse knew (25.0 a Double) survives a restore; entries restored from older checkpoints lack it.
 */
type Groups = Map<string, [unknown, number, string?]>;

/** json-smart's toJSONString: compact, nulls kept, no HTML escapes. */
const JSON_SMART = { htmlSafe: false, nulls: true } as const;

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
      const doc = v === null || v === undefined ? null : typeof v === 'string' ? inHashOrder(documentOf(name, v)) : documentOf(name, v);
      const key = canonical(doc);
      const hit = m.get(key);
      if (hit) hit[1]++;
      else m.set(key, [doc, 1, toJsonString(doc, JSON_SMART)]);
      return m;
    },
    remove(m, v) {
      const key = canonical(v === null || v === undefined ? null : documentOf(name, v));
      const hit = m.get(key);
      if (hit && --hit[1] <= 0) m.delete(key);
      return m;
    },
    value(m) {
      const times = (n: number): number => (o.distinct ? 1 : n);
      if (!asObject) {
        const texts = [...m.values()].flatMap(([doc, n, text]) => new Array<string>(times(n)).fill(text ?? toJsonString(doc, JSON_SMART)));
        const array = `[${texts.join(',')}]`;
        return o.enclosing === undefined ? array : `{${toJsonString(o.enclosing, JSON_SMART)}:${array}}`;
      }
      const items = [...m.values()].flatMap(([doc, n]) => new Array<unknown>(times(n)).fill(doc));
      return structuredClone(o.enclosing === undefined ? items : { [o.enclosing]: items });
    },
    save: (m) => [...m],
    load: (raw) => new Map(raw as [string, [unknown, number, string?]][]),
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
