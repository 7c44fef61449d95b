// A pattern or sequence whose selector is plain projects its matches and
// hands their rows on in its generated step (pattern-step.ts directLines),
// not through the runtime's emitLent, the selector and KernelOutput shared
// by every pattern in the process: the same rows as the interpreted run over
// random input, for outputs with and without a source, `having` (left to the
// selector), a stream callback alone, beside a reader of the output, and a
// query callback.

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyedRowNode } from '../../../../src/runtime/operators/pattern/keyed-row-node.js';
import { PatternRuntime } from '../../../../src/runtime/operators/pattern/pattern-runtime.js';
import { SequenceMatcher } from '../../../../src/runtime/operators/pattern/sequence-matcher.js';
import { Selector } from '../../../../src/runtime/operators/selector.js';
import { KernelOutput } from '../../../../src/runtime/kernel/kernel-output.js';
import { create, stockSends as sends, type Send } from './kernel-runs.js';
import { expectEqual } from '../../../expect-equal.js';


const S = 'define stream S (symbol string, price double, volume long);';
const KEYED = 'every e1=S[price > 60] -> e2=S[symbol == e1.symbol and price < 40] within 1 sec';
const PLAIN = 'every e1=S[price > 60] -> e2=S[price < 40] within 1 sec';
const SEQ = 'every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price]';

/** One query `q` reading S into O, in each shape whose output the step writes (keyed rows, the states' own matches, the sequence ring). */
const QUERIES = [
  `@info(name = 'q') from ${KEYED} select e1.symbol, e1.price as p1, e2.price as p2 insert into O;`,
  `@info(name = 'q') from ${PLAIN} select e1.symbol, e2.symbol as s2, e2.price - e1.price as d insert into O;`,
  `@info(name = 'q') from ${SEQ} select e1.price as p1, e2[last].price as peak, e3.price as p3 insert into O;`,
  // Outputs without a source: a function call, and a counting state's values as a list.
  `@info(name = 'q') from ${KEYED} select e1.symbol, ifThenElse(e2.price is null, -1.0, e2.price) as p2, e2.volume as v insert into O;`,
  `@info(name = 'q') from ${SEQ} select e1.price as p1, e2.price as rise, e3.volume as v insert into O;`,
  // Left to the selector.
  `@info(name = 'q') from ${KEYED} select e1.symbol, e1.price as p1, e2.price as p2 having p1 - p2 > 40 insert into O;`,
  `partition with (symbol of S) begin @info(name = 'q') from ${KEYED} select e1.symbol, e1.price as p1, e2.price as p2 insert into O; end;`,
];

afterEach(() => {
  delete process.env.SIDDHI_KERNELS;
});

/** How O is watched: its callback alone, with a query reading O too, or with a query callback on `q` as well. */
type Watch = 'alone' | 'reader' | 'query';

/** O's rows (and the query callback's, when watched) for `input` to S, with kernels on or off. */
function run(query: string, input: readonly Send[], kernels: boolean, watch: Watch = 'alone'): unknown[][] {
  const app = `${S} ${query}${watch === 'reader' ? ' from O select * insert into P;' : ''}`;
  const rt = create(app, kernels);
  const out: unknown[][] = [];
  rt.addCallback('O', (events) => out.push(...events.map((e) => [e.timestamp, ...e.data])));
  if (watch === 'query') rt.addQueryCallback('q', (ts, ins) => out.push(['q', ts, ...(ins ?? []).map((e) => e.data)]));
  rt.start();
  const h = rt.getInputHandler('S');
  for (const [row, ts] of input) h.send(row, ts);
  rt.shutdown();
  return out;
}

describe('a pattern step with a plain selector', () => {
  it('projects each match and calls the sole callback itself, in each shape', () => {
    const input: Send[] = [[['a', 95, 1], 1000], [['a', 97, 2], 1010], [['a', 98, 3], 1020], [['a', 5, 3], 1100]];
    const queries = QUERIES.slice(0, 5);
    const expected = queries.map((q) => run(q, input, false));
    const spies = [
      vi.spyOn(PatternRuntime.prototype, 'emitLent'),
      vi.spyOn(PatternRuntime.prototype, 'emit'),
      vi.spyOn(PatternRuntime.prototype, 'flush'),
      vi.spyOn(Selector.prototype, 'projectOne'),
      vi.spyOn(KernelOutput.prototype, 'row'),
      vi.spyOn(KeyedRowNode.prototype, 'emitRow'),
      vi.spyOn(SequenceMatcher.prototype, 'emitLast'),
    ];
    try {
      queries.forEach((q, i) => {
        const rows = run(q, input, true);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows).toEqual(expected[i]);
      });
      for (const s of spies) expect(s).not.toHaveBeenCalled();
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  it('hands rows on through the output when the callback is not alone, and leaves `having` to the selector', () => {
    const input: Send[] = [[['a', 95, 1], 1000], [['a', 5, 3], 1100]];
    const row = vi.spyOn(KernelOutput.prototype, 'row');
    const lent = vi.spyOn(PatternRuntime.prototype, 'emitLent');
    try {
      expect(run(QUERIES[0]!, input, true, 'reader')).toEqual([[1100, 'a', 95, 5]]);
      // The pattern's step (O has a reader besides its callback), then the reader's own kernel into P.
      expect(row).toHaveBeenCalledTimes(2);
      expect(lent).not.toHaveBeenCalled();
      expect(run(QUERIES[5]!, input, true)).toEqual([[1100, 'a', 95, 5]]);
      expect(lent).toHaveBeenCalledTimes(1);
    } finally {
      row.mockRestore();
      lent.mockRestore();
    }
  });

  it('gives what the interpreted run gives over random input', () => {
    fc.assert(
      fc.property(fc.nat(QUERIES.length - 1), fc.constantFrom<Watch>('alone', 'reader', 'query'), sends, (q, watch, input) => {
        expectEqual(run(QUERIES[q]!, input, true, watch), run(QUERIES[q]!, input, false, watch));
      }),
      { numRuns: 150 },
    );
  });
});
