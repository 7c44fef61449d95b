// Property test: `[every] e1=S[v > a] -> e2=S[(k == e1.k and) v > e1.v] [within W]`
// against a brute-force model on random timed input, with a snapshot and
// restore into a fresh runtime at a random step.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { SiddhiManager } from '../../../../src/index.js';
import type { Event, SiddhiAppRuntime } from '../../../../src/index.js';
import { expectEqual } from '../../../expect-equal.js';

interface Ev {
  readonly t: number;
  readonly k: number;
  readonly v: number;
}

interface Shape {
  readonly every: boolean;
  readonly keyed: boolean;
  readonly within?: number;
  readonly threshold: number;
}

function appOf(s: Shape): string {
  const cond = s.keyed ? 'k == e1.k and v > e1.v' : 'v > e1.v';
  return `define stream S (k int, v int);
from ${s.every ? 'every ' : ''}e1=S[v > ${s.threshold}] -> e2=S[${cond}]${s.within !== undefined ? ` within ${s.within} millisec` : ''}
select e1.k as k1, e1.v as v1, e2.k as k2, e2.v as v2 insert into Out;`;
}

/** The reference semantics for this family, written out plainly. */
function model(s: Shape, events: readonly Ev[]): unknown[][] {
  const out: unknown[][] = [];
  let partials: Ev[] = [];
  let started = false;
  for (const e of events) {
    if (s.within !== undefined) partials = partials.filter((p) => !(e.t - p.t > s.within!));
    // The second state is offered the event first, so one event never plays both roles of one match.
    partials = partials.filter((p) => {
      if ((s.keyed && e.k !== p.k) || !(e.v > p.v)) return true;
      out.push([e.t, p.k, p.v, e.k, e.v]);
      return false;
    });
    if (e.v > s.threshold && (s.every || !started)) {
      partials.push(e);
      started = true;
    }
  }
  return out;
}

function run(app: string, events: readonly Ev[], restartAt: number): unknown[][] {
  const out: unknown[][] = [];
  // Planned once: the runtime restored at restartAt is built from the same plan.
  const plan = new SiddhiManager().planSiddhiApp(app);
  const start = (): SiddhiAppRuntime => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(plan, { playback: true });
    rt.addCallback('Out', (es: Event[]) => { for (const x of es) out.push([x.timestamp, ...x.data]); });
    rt.start();
    return rt;
  };
  let rt = start();
  events.forEach((e, i) => {
    if (i === restartAt) {
      const bytes = rt.snapshot();
      rt.shutdown();
      rt = start();
      rt.restore(bytes);
    }
    rt.getInputHandler('S').send([e.k, e.v], e.t);
  });
  rt.shutdown();
  return out;
}

const shapes = fc.record({
  every: fc.boolean(),
  keyed: fc.boolean(),
  within: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
  threshold: fc.integer({ min: 0, max: 8 }),
}).map((s): Shape => (s.within === undefined ? { every: s.every, keyed: s.keyed, threshold: s.threshold } : s));

const inputs = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 20 }), k: fc.integer({ min: 0, max: 3 }), v: fc.integer({ min: 0, max: 10 }) }), { maxLength: 40 })
  .map((xs) => {
    let t = 1000;
    return xs.map((x) => ({ t: (t += x.dt), k: x.k, v: x.v }));
  });

describe('pattern property', () => {
  it('matches the brute-force model, with a restore at a random step', () => {
    fc.assert(
      fc.property(shapes, inputs, fc.nat(), (shape, events, at) => {
        const expected = model(shape, events);
        expectEqual(run(appOf(shape), events, events.length === 0 ? -1 : at % events.length), expected);
      }),
      { numRuns: 150 },
    );
  });
});
