// A plan holds no per-run state (issue #9): runtimes built from one
// SiddhiAppPlan are independent, and every compile made after planning
// (per partition key, per dynamic window condition) sees the app's functions.

import { afterEach, describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import type { SiddhiAppPlan, SiddhiAppRuntime } from '../../src/index.js';

const SILENT = { info() {}, warn() {}, error() {}, debug() {} };

/** The runtimes a test opened, shut down after it (the suite's workers are shared). */
const opened: SiddhiAppRuntime[] = [];
afterEach(() => {
  for (const rt of opened.splice(0)) rt.shutdown();
});

function open(manager: SiddhiManager, app: string | SiddhiAppPlan, out: string[], tag = ''): SiddhiAppRuntime {
  const rt = manager.createSiddhiAppRuntime(app, { playback: true });
  opened.push(rt);
  rt.onError((e) => out.push(`${tag}error ${(e as Error).message}`));
  rt.addCallback('O', (events) => { for (const e of events) out.push(`${tag}${JSON.stringify(e.data)}`); });
  rt.start();
  return rt;
}

describe('runtimes of one plan', () => {
  const COUNTER = "define function counter[javascript] return long { n = (typeof n === 'undefined' ? 0 : n) + 1; return n; };\n";

  it('each has its own script context (define function globals)', () => {
    const manager = new SiddhiManager({ logger: SILENT });
    const plan = manager.planSiddhiApp(`${COUNTER}define stream S (a int); from S select a, counter() as c insert into O;`);
    const outs: string[][] = [[], []];
    const rts = outs.map((o) => open(manager, plan, o));
    for (let t = 1; t <= 3; t++) for (const rt of rts) rt.getInputHandler('S').send([t], t);
    expect(outs).toEqual([['[1,1]', '[2,2]', '[3,3]'], ['[1,1]', '[2,2]', '[3,3]']]);
  });

  it('on-demand queries call script functions in their runtime\'s context', () => {
    const manager = new SiddhiManager({ logger: SILENT });
    const plan = manager.planSiddhiApp(`${COUNTER}define stream S (a int); define table T (a int);
from S select a, counter() as c insert into O; from S insert into T;`);
    const out: string[] = [];
    const rt = open(manager, plan, out);
    rt.getInputHandler('S').send([1], 1);
    expect(rt.query('from T select a, counter() as c').map((e) => e.data)).toEqual([[1, 2]]);
    expect(rt.query('from T on counter() > 0 select a').map((e) => e.data)).toEqual([[1]]);
    expect(rt.query('from T select a, counter() as c').map((e) => e.data)).toEqual([[1, 4]]);
  });

  it('partition keys of one runtime share its script context', () => {
    const manager = new SiddhiManager({ logger: SILENT });
    const plan = manager.planSiddhiApp(`${COUNTER}define stream S (k string);
partition with (k of S) begin from S select k, counter() as c insert into O; end;`);
    const outs: string[][] = [[], []];
    const rts = outs.map((o) => open(manager, plan, o));
    for (const k of ['x', 'y', 'x']) for (const rt of rts) rt.getInputHandler('S').send([k], 1);
    expect(outs).toEqual([['["x",1]', '["y",2]', '["x",3]'], ['["x",1]', '["y",2]', '["x",3]']]);
  });

  it('each has its own selector frame: a function sending into another runtime mid-projection does not change this one\'s aggregates', () => {
    const manager = new SiddhiManager({ logger: SILENT });
    let forward: (() => void) | undefined;
    manager.setFunction('fwd', { returnType: 'string', fn: (k: unknown) => { const f = forward; forward = undefined; f?.(); return String(k); } });
    const plan = manager.planSiddhiApp(`define stream S (k string, v int);
from S select fwd(k) as x, sum(v) as s having s < 500 or x == 'b' insert into O;`);
    const out: string[] = [];
    const a = open(manager, plan, out, 'A ');
    const b = open(manager, plan, out, 'B ');
    forward = () => b.getInputHandler('S').send(['b', 1000], 1);
    a.getInputHandler('S').send(['a', 1], 1);
    expect(out).toEqual(['B ["b",1000]', 'A ["a",1]']);
  });
});

describe('compiles after planning see the app\'s functions', () => {
  const send = (rt: SiddhiAppRuntime, rows: unknown[][]): void => rows.forEach((r, i) => rt.getInputHandler('S').send(r, i + 1));

  it('an expression window condition compiled when a partition key is first seen: define function, setFunction', () => {
    const manager = new SiddhiManager({ logger: SILENT });
    manager.setFunction('g', { returnType: 'int', fn: () => 2 });
    for (const [def, call] of [['define function f[javascript] return int { return 2; };\n', 'f()'], ['', 'g()']]) {
      const out: string[] = [];
      const rt = open(manager, `${def}define stream S (k string, a int);
partition with (k of S) begin from S#window.expression('count() <= ${call}') select k, a insert into O; end;`, out);
      send(rt, [['x', 1], ['x', 2], ['x', 3]]);
      expect(out, call).toEqual(['["x",1]', '["x",2]', '["x",3]']);
    }
  });

  it('a dynamic expression window condition compiled while running', () => {
    const manager = new SiddhiManager({ logger: SILENT });
    manager.setFunction('g', { returnType: 'int', fn: () => 2 });
    const out: string[] = [];
    const rt = open(manager, 'define stream S (k string, a int, e string); from S#window.expression(e) select k, a insert into O;', out);
    send(rt, [['x', 1, 'count() <= g()'], ['x', 2, 'count() <= g()']]);
    expect(out).toEqual(['["x",1]', '["x",2]']);
  });
});
