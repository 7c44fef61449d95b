// Expressions reading the clock are linked in the instance they are built in
// (CompiledExpression.link): one query blueprint built in two instances with
// different schedulers reads each instance's clock. Every other tree keeps its
// one shared closure: planning every conformance case makes linked nodes only
// in the apps that call a clock function.

import { describe, expect, it } from 'vitest';
import { parseApp } from '../../src/parser/index.js';
import type { Query } from '../../src/ast/index.js';
import { SiddhiError, SiddhiManager } from '../../src/index.js';
import { Scheduler } from '../../src/runtime/clock.js';
import { CURRENT, StreamEvent } from '../../src/runtime/event.js';
import { StreamJunction } from '../../src/runtime/junction.js';
import { StreamSchema } from '../../src/runtime/schema.js';
import { CONSOLE_LOGGER } from '../../src/runtime/logger.js';
import { appStreams, DISCARDED_CELLS, type InstanceScope } from '../../src/runtime/instance.js';
import { defineStream, type PlanContext } from '../../src/plan/plan-context.js';
import { planQuery } from '../../src/plan/plan-query.js';
import { createCatalog } from '../../src/plan/catalog.js';
import { linkedNodes } from '../../src/runtime/expression.js';
import { parsedApp } from '../conformance/runner.js';
import { cases } from '../conformance/suite.js';

const ATTRIBUTES = [{ name: 'k', type: 'string' as const }, { name: 'v', type: 'int' as const }];

/** Plans the query of `text` (over `define stream S (k string, v int)`): planning has no clock. */
function blueprintOf(text: string) {
  const app = parseApp(`define stream S (k string, v int);\n${text}`);
  const ctx: PlanContext = { catalog: createCatalog(), inputStreams: new Set() };
  defineStream(ctx, 'S', ATTRIBUTES);
  const blueprint = planQuery(app.elements[1] as Query, 'q', ctx);
  return { blueprint, output: ctx.catalog.streams.get('O')! };
}

/** One instance with its own clock at `now` and its own S and O: what reaches O for `sends`. */
function runIn(text: string, now: number, sends: readonly (readonly [string, number])[]): unknown[][] {
  const { blueprint, output } = blueprintOf(text);
  const fail = (e: unknown) => { throw e; };
  const junctions = new Map([
    ['S', new StreamJunction(new StreamSchema('S', ATTRIBUTES), fail)],
    ['O', new StreamJunction(output, fail)],
  ]);
  const inst: InstanceScope = {
    cells: DISCARDED_CELLS, scheduler: new Scheduler(now), windows: new Map(), ...appStreams(junctions, new Map()), tables: new Map(), aggregations: new Map(), onStart: [], report: fail, logger: CONSOLE_LOGGER, appName: 'Built',
  };
  blueprint.instantiate(inst);
  const out: unknown[][] = [];
  junctions.get('O')!.subscribe({ process: (chunk: StreamEvent[]) => { for (const e of chunk) out.push([...e.data]); } } as never);
  for (const [k, v] of sends) junctions.get('S')!.process([new StreamEvent(now, [k, v], CURRENT)]);
  return out;
}

describe('linked expressions', () => {
  it('reads the clock of the instance a blueprint is built in: filter, projection, aggregator argument', () => {
    const q = 'from S[currentTimeMillis() > v] select k, currentTimeMillis() as t, max(currentTimeMillis() + v) as m group by k insert into O;';
    const sends = [['a', 1500], ['a', 10]] as const;
    expect(runIn(q, 1000, sends)).toEqual([['a', 1000, 1010]]);
    expect(runIn(q, 2000, sends)).toEqual([['a', 2000, 3500], ['a', 2000, 3500]]);
  });

  it('links having and functions over a clock-reading argument', () => {
    const q = "from S select k, time:dateFormat(currentTimeMillis(), 'yyyy') as y having currentTimeMillis() > 1500 insert into O;";
    expect(runIn(q, 1000, [['a', 1]])).toEqual([]);
    expect(runIn(q, 2000, [['a', 1]])).toEqual([['a', '1970']]);
  });

  it('compiles an expression window condition in each instance, with its clock', () => {
    const q = "from S#window.expression('currentTimeMillis() > 1500') select k, count() as c insert into O;";
    const sends = [['a', 1], ['b', 2]] as const;
    expect(runIn(q, 2000, sends)).toEqual([['a', 1], ['b', 2]]);
    expect(runIn(q, 1000, sends)).not.toEqual(runIn(q, 2000, sends));
  });

  it('hands the fused kernels the linked closures (filter, projection, group aggregate)', () => {
    const app = `define stream S (k string, v int);
from S[currentTimeMillis() > 1500] select k, currentTimeMillis() as t insert into O1;
from S#window.length(2) select k, sum(currentTimeMillis()) as s group by k insert into O2;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const out: unknown[][] = [];
    rt.addCallback('O1', (events) => { for (const e of events) out.push(['O1', ...e.data]); });
    rt.addCallback('O2', (events) => { for (const e of events) out.push(['O2', ...e.data]); });
    rt.start();
    rt.getInputHandler('S').send(['a', 1], 1000);
    rt.getInputHandler('S').send(['a', 2], 2000);
    rt.shutdown();
    expect(out).toEqual([['O2', 'a', 1000], ['O1', 'a', 2000], ['O2', 'a', 3000]]);
  });

  it('makes linked nodes only in apps that call a clock function or one keeping state (math:rand, define function)', () => {
    const clock = /currentTimeMillis|time:current|time:utcTimestamp|time:timestampInMilliseconds\s*\(\s*\)|math:rand|define\s+function/i;
    const manager = new SiddhiManager();
    let linkedApps = 0;
    for (const c of cases) {
      const before = linkedNodes;
      try {
        // Planned from the harness's parse of the case (parsed once per worker): only planning makes linked nodes.
        manager.validateSiddhiApp(parsedApp(c));
      } catch (e) {
        // Compile-error cases fail planning; what they planned before failing is counted all the same.
        if (!(e instanceof SiddhiError)) throw e;
      }
      if (!clock.test(c.app)) expect(linkedNodes - before, c.id).toBe(0);
      else if (linkedNodes > before) linkedApps++;
    }
    expect(linkedApps).toBeGreaterThan(0);
  });
});
