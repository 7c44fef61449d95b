// Random inserts, updates, deletes and upserts against a table and a plain
// model, with a checkpoint (full snapshot or incremental persist) and a restore
// into a fresh runtime at a random step: the table must equal the model.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryStore, SiddhiManager } from '../../../../src/index.js';
import type { SiddhiAppPlan, SiddhiAppRuntime } from '../../../../src/index.js';

const streams = `
define stream Ins (k string, v long);
define stream Del (k string);
define stream Upd (k string, v long);
define stream Ups (k string, v long);
`;
const writes = `
from Ins insert into T;
from Del delete T on T.k == k;
from Upd update T set T.v = v on T.k == k;
from Ups update or insert into T on T.k == k;
`;
const KEYED = `@app:name('Keyed')${streams}@PrimaryKey('k')\ndefine table T (k string, v long);${writes}`;
const LISTED = `@app:name('Listed')${streams}@Index('k')\ndefine table T (k string, v long);${writes}`;

type Op = { kind: 'Ins' | 'Upd' | 'Ups'; k: string; v: number } | { kind: 'Del'; k: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('Ins' as const, 'Upd' as const, 'Ups' as const), k: fc.constantFrom('a', 'b', 'c', 'd', 'e'), v: fc.integer({ min: 0, max: 1000 }) }),
  fc.record({ kind: fc.constant('Del' as const), k: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
);

/** The table's expected rows, as [k, v] in insertion order. */
function model(ops: readonly Op[], keyed: boolean): [string, number][] {
  let rows: [string, number][] = [];
  for (const o of ops) {
    const has = rows.some((r) => r[0] === o.k);
    switch (o.kind) {
      case 'Ins':
        if (!(keyed && has)) rows.push([o.k, o.v]);
        break;
      case 'Del':
        rows = rows.filter((r) => r[0] !== o.k);
        break;
      case 'Upd':
        rows = rows.map((r) => (r[0] === o.k ? [r[0], o.v] : r));
        break;
      case 'Ups':
        if (has) rows = rows.map((r) => (r[0] === o.k ? [r[0], o.v] : r));
        else rows.push([o.k, o.v]);
        break;
    }
  }
  return rows;
}

/** Each app planned once: every runtime of the property runs is built from its plan. */
const plans = new Map<string, SiddhiAppPlan>();

function open(app: string, store: InMemoryStore): SiddhiAppRuntime {
  let plan = plans.get(app);
  if (plan === undefined) plans.set(app, (plan = new SiddhiManager().planSiddhiApp(app)));
  const rt = new SiddhiManager({ store }).createSiddhiAppRuntime(plan, { playback: true, checkpoint: { mode: 'incremental', fullEvery: 4 } });
  rt.onError(() => {}); // duplicate primary keys are reported and dropped
  rt.start();
  return rt;
}

function apply(rt: SiddhiAppRuntime, o: Op, time: number): void {
  rt.getInputHandler(o.kind).send(o.kind === 'Del' ? [o.k] : [o.k, o.v], time);
}

async function check(app: string, keyed: boolean, ops: readonly Op[], at: number, incremental: boolean): Promise<void> {
  const store = new InMemoryStore();
  let rt = open(app, store);
  let snapshot: Uint8Array | undefined;
  for (let i = 0; i < ops.length; i++) {
    apply(rt, ops[i]!, 1000 + i);
    if (incremental) await rt.persist();
    if (i === at) {
      if (!incremental) snapshot = rt.snapshot();
      rt.shutdown();
      rt = open(app, store);
      if (incremental) await rt.restoreLastRevision();
      else rt.restore(snapshot!);
    }
  }
  const rows = rt.query('from T select k, v').map((e) => [e.data[0], e.data[1]] as [string, number]);
  const expected = model(ops, keyed);
  // A primary-key table's row order is not part of its contract (the reference hashes).
  const order = (xs: [string, number][]) => (keyed ? [...xs].sort((a, b) => a[0].localeCompare(b[0])) : xs);
  expect(order(rows)).toEqual(order(expected));
  rt.shutdown();
}

const scenario = fc.array(op, { minLength: 1, maxLength: 40 }).chain((ops) =>
  fc.tuple(fc.constant(ops), fc.integer({ min: 0, max: ops.length - 1 }), fc.boolean()));

describe('a table against a model, across a checkpoint and restore', () => {
  it('primary-key table', async () => {
    await fc.assert(fc.asyncProperty(scenario, ([ops, at, incremental]) => check(KEYED, true, ops, at, incremental)), { numRuns: 60 });
  });

  it('row-id table with an @index', async () => {
    await fc.assert(fc.asyncProperty(scenario, ([ops, at, incremental]) => check(LISTED, false, ops, at, incremental)), { numRuns: 60 });
  });
});
