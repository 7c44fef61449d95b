// One query blueprint built in two instances: each copy reports errors and
// writes #log lines through the instance it was built in (the planning
// context has no channels: plan-as-data Stage 3 and 8).

import { describe, expect, it } from 'vitest';
import { withAppFunctions } from '../../src/plan/app-functions.js';
import { planQuery } from '../../src/plan/plan-query.js';
import { userFunctionKind } from '../../src/runtime/functions/user-function.js';
import { CURRENT, StreamEvent } from '../../src/runtime/event.js';
import { InnerStreams } from '../../src/runtime/instance.js';
import { instanceOf, parsed, planningContext, queryOf } from './instance-rig.js';

const APP = `
define stream S (a int);
define stream O (a int);
@info(name='q') from S#log('seen') select a insert into O;
`;

describe('a blueprint built in two instances', () => {
  it('reports errors and writes #log lines through each instance', () => {
    const app = parsed(APP);
    const ctx = planningContext(app);
    const blueprint = planQuery(queryOf(app, 'q'), 'q', ctx);
    const a = instanceOf(ctx, 'A');
    const b = instanceOf(ctx, 'B');
    const tapA = blueprint.instantiate(a.inst);
    const tapB = blueprint.instantiate(b.inst);
    tapA.add(() => { throw new Error('fails in A'); });
    tapB.add(() => { throw new Error('fails in B'); });

    a.inst.junctions.get('S')!.process([new StreamEvent(1, [1], CURRENT)]);
    b.inst.junctions.get('S')!.process([new StreamEvent(2, [2], CURRENT)]);
    a.inst.junctions.get('S')!.process([new StreamEvent(3, [3], CURRENT)]);

    expect(a.lines).toEqual([expect.stringMatching(/^A: seen/), expect.stringMatching(/^A: seen/)]);
    expect(b.lines).toEqual([expect.stringMatching(/^B: seen/)]);
    expect(a.errors).toEqual(["callback of query 'q': fails in A", "callback of query 'q': fails in A"]);
    expect(b.errors).toEqual(["callback of query 'q': fails in B"]);
  });

  it("reports a dropped event of an instance's #inner stream through that instance", () => {
    const app = parsed(`
define stream S (a int);
define stream O (b int);
@info(name='w') from S select a insert into #I;
@info(name='r') from #I select boom(a) as b insert into O;
`);
    const base = planningContext(app);
    const ctx = { ...base, catalog: { ...base.catalog, inner: new Map() } };
    const boom = userFunctionKind('boom', { returnType: 'int', parameters: ['int'], fn: () => { throw new Error('boom'); } });
    const blueprints = withAppFunctions(new Map([['boom', boom]]), () => ['w', 'r'].map((n) => planQuery(queryOf(app, n), n, ctx)));
    const [a, b] = [instanceOf(ctx, 'A'), instanceOf(ctx, 'B')];
    for (const x of [a, b]) {
      const inst = { ...x.inst, inner: new InnerStreams(ctx.catalog.inner, x.inst.report) };
      for (const bp of blueprints) bp.instantiate(inst);
    }

    a.inst.junctions.get('S')!.process([new StreamEvent(1, [1], CURRENT)]);

    expect(a.errors).toEqual([expect.stringContaining("function 'boom' failed: boom")]);
    expect(b.errors).toEqual([]);
  });

  it("has an instance's #inner streams before its queries are built: a reader may be built before the writer", () => {
    const app = parsed(`
define stream S (a int);
define stream O (b int);
@info(name='w') from S select a insert into #I;
@info(name='r') from #I select a as b insert into O;
@info(name='p') from e1=#I -> e2=#I[a > e1.a] select e2.a as b insert into O;
`);
    const base = planningContext(app);
    const ctx = { ...base, catalog: { ...base.catalog, inner: new Map() } };
    const [w, r, p] = ['w', 'r', 'p'].map((n) => planQuery(queryOf(app, n), n, ctx));
    const x = instanceOf(ctx, 'A');
    const inst = { ...x.inst, inner: new InnerStreams(ctx.catalog.inner, x.inst.report) };
    for (const bp of [r!, p!, w!]) bp.instantiate(inst);
    for (const start of inst.onStart) start();
    const out: unknown[] = [];
    x.inst.junctions.get('O')!.subscribe({ process: (events: StreamEvent[]) => { for (const e of events) out.push(e.data[0]); } } as never);
    x.inst.junctions.get('S')!.process([new StreamEvent(1, [1], CURRENT)]);
    x.inst.junctions.get('S')!.process([new StreamEvent(2, [2], CURRENT)]);
    expect(out).toEqual([1, 2, 2]);
  });
});
