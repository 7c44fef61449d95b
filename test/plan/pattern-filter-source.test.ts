// A pattern state's filter compiled as one function (pattern-scope.ts
// `sources`, plan-pattern.ts matchFilter) computes what its closures compute,
// for plain and counting slots, indexes, nulls and empty or short lists.

import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/parser/index.js';
import { compileExpression } from '../../src/plan/compile-expression.js';
import { createPatternScope, MATCH_HELPERS, type PatternSlot } from '../../src/plan/pattern-scope.js';
import { CURRENT, StateEvent, StreamEvent } from '../../src/runtime/event.js';
import { StreamSchema } from '../../src/runtime/schema.js';

const schema = new StreamSchema('S', [{ name: 'symbol', type: 'string' }, { name: 'price', type: 'double' }]);
const slots: PatternSlot[] = [
  { ref: 'e1', stream: 'S', schema, count: false },
  { ref: 'e2', stream: 'S', schema, count: true },
  { ref: 'e3', stream: 'S', schema, count: false },
];

/** Filters of e2 (own slot 1, counting: its own attributes read the candidate, its indexes the events before it) and e3. */
const FILTERS: readonly [own: number, text: string][] = [
  [1, 'price > e1.price'], [1, 'e2[0].price < price'], [1, 'e2[last].price < price'], [1, 'e2[last - 1].price == 5.0'],
  [1, 'e2[1].price != e1.price'], [1, 'symbol == e1.symbol and price >= 2.0'],
  [2, 'price < e2[last].price'], [2, 'e2[0].price > 1.0 or e2[2].price < 3.0'], [2, 'e1[0].price == price'],
  [2, 'e1[1].price == price'], [2, 'e2[last - 2].symbol == symbol'], [2, 'not (e1.symbol == e2[last].symbol)'],
];

const ev = (symbol: string | null, price: number | null) => new StreamEvent(0, [symbol, price], CURRENT);
const PLAIN = [null, ev('a', 1), ev(null, null), ev('b', 5)];
const LISTS = [null, [], [ev('a', 5)], [ev('b', 2), ev(null, null)], [ev('a', 1), ev('b', 5), ev('a', 3)]];

describe('pattern filter source', () => {
  it('has a source equal to the closures on every match', () => {
    let compared = 0;
    for (const [own, text] of FILTERS) {
      const scope = createPatternScope({ element: 'test', slots, own, sources: true });
      const compiled = compileExpression(parseExpression(text), scope);
      expect(compiled.js, text).toBeDefined();
      const fromSource = new Function(`${MATCH_HELPERS}\nreturn (d) => ${compiled.js};`)() as (m: StateEvent) => unknown;
      for (const e1 of PLAIN) {
        for (const e2 of LISTS) {
          for (const e3 of PLAIN) {
            const m = new StateEvent(0, [e1, e2 === null ? null : e2.slice(), e3], CURRENT);
            expect(fromSource(m), `${text} on ${JSON.stringify(m.events.map((s) => (Array.isArray(s) ? s.map((x) => x.data) : s?.data ?? null)))}`)
              .toBe(compiled.evaluate(m));
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(FILTERS.length * PLAIN.length * LISTS.length * PLAIN.length);
  });

  it('gives no source without the option (a selector reads rows, not matches)', () => {
    const scope = createPatternScope({ element: 'test', slots, own: 2 });
    expect(compileExpression(parseExpression('price < e2[last].price'), scope).js).toBeUndefined();
  });
});
