// One query blueprint built in two instances: each copy reports errors and
// writes #log lines through the instance it was built in, never through the
// context it was planned in (plan-as-data Stage 3).

import { describe, expect, it } from 'vitest';
import { parseApp } from '../../src/parser/index.js';
import type { Query } from '../../src/ast/index.js';
import { createCatalog } from '../../src/plan/catalog.js';
import { defineJunction, type PlanContext } from '../../src/plan/plan-context.js';
import { planQuery } from '../../src/plan/plan-query.js';
import { Scheduler } from '../../src/runtime/clock.js';
import { CURRENT, StreamEvent } from '../../src/runtime/event.js';
import { DISCARDED_CELLS, type InstanceScope } from '../../src/runtime/instance.js';
import { StreamJunction } from '../../src/runtime/junction.js';
import type { Logger } from '../../src/runtime/logger.js';

const APP = `
define stream S (a int);
define stream O (a int);
@info(name='q') from S#log('seen') select a insert into O;
`;

function lineLogger(lines: string[]): Logger {
  const at = (m: string) => { lines.push(m); };
  return { info: at, warn: at, error: at, debug: at };
}

/** The planning context: its own channels record what reaches them. */
function planning(lines: string[], errors: string[]): PlanContext {
  const ctx: PlanContext = {
    catalog: createCatalog(),
    scheduler: new Scheduler(0),
    cells: DISCARDED_CELLS,
    junctions: new Map(),
    windows: new Map(),
    tables: new Map(),
    aggregations: new Map(),
    inputStreams: new Set(),
    onStart: [],
    queries: new Map(),
    report: (e) => { errors.push(String(e)); },
    logger: lineLogger(lines),
    appName: 'Planned',
  };
  defineJunction(ctx, 'S', [{ name: 'a', type: 'int' }]);
  defineJunction(ctx, 'O', [{ name: 'a', type: 'int' }]);
  return ctx;
}

interface Built {
  readonly inst: InstanceScope;
  readonly lines: string[];
  readonly errors: string[];
}

function instance(ctx: PlanContext, appName: string): Built {
  const lines: string[] = [];
  const errors: string[] = [];
  const report = (e: unknown, where: string) => { errors.push(`${where}: ${e instanceof Error ? e.message : String(e)}`); };
  const junctions = new Map([...ctx.junctions].map(([n, j]) => [n, new StreamJunction(j.schema, report)]));
  const inst: InstanceScope = {
    cells: DISCARDED_CELLS, scheduler: new Scheduler(0), junctions, windows: new Map(), onStart: [],
    report, logger: lineLogger(lines), appName,
  };
  return { inst, lines, errors };
}

describe('a blueprint built in two instances', () => {
  it('reports errors and writes #log lines through each instance', () => {
    const planLines: string[] = [];
    const planErrors: string[] = [];
    const ctx = planning(planLines, planErrors);
    const q = parseApp(APP).elements.find((el): el is Query => el.kind === 'query')!;
    const blueprint = planQuery(q, 'q', ctx);
    const a = instance(ctx, 'A');
    const b = instance(ctx, 'B');
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
    expect(planLines).toEqual([]);
    expect(planErrors).toEqual([]);
  });
});
