// An `every` start whose next state is a count with a minimum of 0 (`every
// e1 -> e2<0:n>`, `every e1, e2*`): the hand-over reaches that minimum at
// once, so the match moves on (or is emitted) without an event of its own.
// The generated step then offers the start state the event as the states do
// (no re-arm in place, StreamNode.actsOnHandOver): with kernels on it gave
// other matches than the interpreted run (review q6-pollution P1).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plannedRowsOf, rowsOf, type Sends } from '../../../rows-of.js';
import { create } from './kernel-runs.js';
import { expectEqual } from '../../../expect-equal.js';

const S = 'define stream S (sym string, price double, vol long);';
const T = 'define stream T (sym string, price double, vol long);';

function both(app: string, sends: Sends): unknown[][] {
  const off = rowsOf(app, sends, 'off');
  expect(rowsOf(app, sends)).toEqual(off);
  return off;
}

describe('an every start before a count with minimum 0', () => {
  it('emits or hands on each new match at once, as the interpreted run does', () => {
    const three: Sends = [[['c', 90, 3], 1000], [['c', 80, 3], 2000], [['c', 70, 3], 3000]];
    expect(both(`${S} from every e1=S -> e2=S<0:2> select e1.price as p1, e2[0].price as p2, e2[1].price as p3 insert into O;`, three))
      .toEqual([[1000, 90, null, null], [2000, 80, null, null], [3000, 70, null, null]]);
    const rising: Sends = [[['c', 90, 3], 1000], [['c', 80, 3], 2000], [['c', 95, 3], 3000]];
    expect(both(`${S} from every e1=S[price > 10] -> e2=S[price > e1.price]<0:1> select e1.price as p1, e2[0].price as p2 insert into O;`, rising))
      .toEqual([[1000, 90, null], [2000, 80, null], [3000, 95, null]]);
    expect(both(`${S} from every e1=S -> e2=S<0:2> select e1.price as p1, e2[0].price as p2 insert into O;`, [[['c', 90, 3], 13_250]]))
      .toEqual([[13_250, 90, null]]);
    expect(both(`${S} partition with (sym of S) begin from every e1=S -> e2=S<0:2> select e1.price as p1, e2[0].price as p2 insert into O; end;`, [[['c', 90, 3], 13_250]]))
      .toEqual([[13_250, 90, null]]);
  });

  it('in a sequence too', () => {
    expect(both(`${S} from every e1=S, e2=S[price < e1.price]* select e1.price as p1, e2[last].price as p2 insert into O;`, [[['a', 10, 1], 1000], [['a', 5, 1], 2000]]))
      .toEqual([[1000, 10, null], [2000, 5, null]]);
  });

  it('in a sequence whose start reads another stream', () => {
    const app = `${S} ${T} from every e1=T, e2=S* select e1.price as p1, e2[last].price as p2 insert into O;`;
    const run = (kernels: boolean): unknown[][] => {
      const rt = create(app, kernels);
      const out: unknown[][] = [];
      rt.addCallback('O', (events) => out.push(...events.map((e) => [e.timestamp, ...e.data])));
      rt.start();
      rt.getInputHandler('T').send(['b', 10, 1], 1000);
      rt.shutdown();
      return out;
    };
    expect(run(false)).toEqual([[1000, 10, null]]);
    expect(run(true)).toEqual([[1000, 10, null]]);
  });

  it('gives what the interpreted run gives over random input', () => {
    const apps = [
      `${S} from every e1=S[price > 40] -> e2=S[price > e1.price]<0:2> select e1.price as p1, e2[0].price as a, e2[1].price as b insert into O;`,
      `${S} from every e1=S[price > 40] -> e2=S<0:1> -> e3=S[price < 20] select e1.price as p1, e2[0].price as a, e3.price as c insert into O;`,
      `${S} from every e1=S[price > 40], e2=S[price < e1.price]* select e1.price as p1, e2[last].price as a insert into O;`,
      `${S} from every e1=S[price > 40], e2=S[price < e1.price]*, e3=S[price > 60] select e1.price as p1, e2[0].price as a, e3.price as c insert into O;`,
      `${S} partition with (sym of S) begin from every e1=S[price > 40] -> e2=S<0:2> select e1.price as p1, e2[0].price as a insert into O; end;`,
    ];
    const sends = fc.array(
      fc.record({ sym: fc.constantFrom('a', 'b'), price: fc.integer({ min: 0, max: 10 }).map((x) => 10 * x), dt: fc.integer({ min: 0, max: 3 }).map((x) => 50 * x) }),
      { maxLength: 30 },
    ).map((xs): Sends => {
      let t = 10_000;
      return xs.map((x) => [[x.sym, x.price, 1], (t += x.dt)]);
    });
    fc.assert(
      fc.property(fc.nat(apps.length - 1), sends, (a, input) => {
        // Each app planned once per kernel setting, its runtimes built from that plan.
        expectEqual(plannedRowsOf(apps[a]!, input), plannedRowsOf(apps[a]!, input, 'off'));
      }),
      { numRuns: 200 },
    );
  });
});
