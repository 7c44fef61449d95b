// `#map:tokenize(map, …)` and `#list:tokenize(list, …)` (siddhi-execution-map,
// -list): one event per key (attributes `key`, `value`) or per index (`index`,
// `value`). Given several maps or lists, `value` lists each one's value there
// (null where one lacks the key or is shorter). A null argument gives no events.

import type { AttributeSchema } from '../schema.js';
import { StreamEvent } from '../event.js';
import { combineByKey } from '../functions/ext/map.js';
import { javaMapEntries } from '../functions/ext/java-hash-order.js';
import { listOf, mapOf } from '../functions/ext/map-list-values.js';
import { NOWHERE, type Linked, type Processor } from '../processor.js';
import type { StreamFunctionKind } from './stream-function.js';
import { WindowArgs } from './window-args.js';

type Get = (e: StreamEvent) => unknown;
/** The appended [key or index, value] pairs of one event's non-null arguments. */
type Expand = (values: readonly unknown[]) => Iterable<readonly [unknown, unknown]>;

export class CollectionTokenize implements Linked<StreamEvent> {
  next: Processor = NOWHERE;

  constructor(
    private readonly args: readonly Get[],
    private readonly expand: Expand,
  ) {}

  process(chunk: StreamEvent[]): void {
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      const values = this.args.map((get) => get(e));
      if (values.some((v) => v === null || v === undefined)) continue;
      for (const [k, v] of this.expand(values)) out.push(new StreamEvent(e.timestamp, [...e.data, k, v], e.type));
    }
    if (out.length > 0) this.next.process(out);
  }
}

const argument = (i: number): string => `Attribute number, '${i + 1}'`;

function expandMaps(values: readonly unknown[]): Iterable<readonly [unknown, unknown]> {
  const maps = values.map((v, i) => mapOf('map:tokenize', v, argument(i)));
  return maps.length === 1 ? javaMapEntries(maps[0]!) : combineByKey(maps);
}

function* expandLists(values: readonly unknown[]): Iterable<readonly [unknown, unknown]> {
  const lists = values.map((v, i) => listOf('list:tokenize', v, argument(i)));
  const n = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < n; i++) yield [i, lists.length === 1 ? lists[0]![i] : lists.map((l) => (i < l.length ? l[i] : null))];
}

function tokenizer(name: string, what: string, added: readonly AttributeSchema[], expand: Expand): StreamFunctionKind {
  const signature = `${name}(${what} object [, ${what} object …])`;
  return {
    name,
    signature,
    plan(args, ctx) {
      const a = new WindowArgs(name, signature, args, ctx, 'stream processor').count(1, Infinity);
      args.forEach((arg, i) => {
        if (arg.type !== 'object') a.fail(`stream processor '${name}': argument ${i + 1} (${what}) must be object, got ${arg.type}`, arg);
      });
      return { added, build: () => new CollectionTokenize(args.map((x) => x.get), expand) };
    },
  };
}

export const MAP_TOKENIZE = tokenizer('map:tokenize', 'map', [{ name: 'key', type: 'object' }, { name: 'value', type: 'object' }], expandMaps);
export const LIST_TOKENIZE = tokenizer('list:tokenize', 'list', [{ name: 'index', type: 'int' }, { name: 'value', type: 'object' }], expandLists);
