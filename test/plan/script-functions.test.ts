// `define function name[javascript] return type { … }`: lexing of the body,
// compilation in a context of the app's own, plan-time errors and calls from queries.

import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiParseError, SiddhiPlanError, SiddhiRuntimeError } from '../../src/index.js';
import { parseApp } from '../../src/parser/index.js';

const STREAM = 'define stream S (symbol string, price float, volume long);\n';

function run(app: string, rows: unknown[][]): unknown[][] {
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  const out: unknown[][] = [];
  rt.addCallback('O', (events) => events.forEach((e) => out.push([...e.data])));
  rt.start();
  rows.forEach((r, i) => rt.getInputHandler('S').send(r, 1000 + i));
  rt.shutdown();
  return out;
}

describe('define function', () => {
  it('parses the body up to its matching brace, braces in strings and comments included', () => {
    const app = parseApp(`define function f[JavaScript] return string {
  var s = "}{"; // a } in a comment
  /* and { here */
  if (data.length > 0) { return s + '}'; }
  return null;
};
${STREAM}`);
    const def = app.elements[0]!;
    expect(def).toMatchObject({ kind: 'function', name: 'f', language: 'JavaScript', returnType: 'string' });
    expect(def.kind === 'function' && def.body).toContain("return s + '}';");
  });

  it('runs the body with the arguments as data', () => {
    const app = `define function scaled[javascript] return double { return data[0] * data[1] + (data[2] ? 1 : 0); };
${STREAM}from S select symbol, scaled(price, volume, symbol == 'IBM') as v insert into O;`;
    expect(run(app, [['IBM', 2, 3], ['X', 1.5, 2]])).toEqual([['IBM', 7], ['X', 3]]);
  });

  it('one context per app: its functions share it, another app has its own', () => {
    const app = `define function put[javascript] return int { globalThis.n = (globalThis.n || 0) + data[0]; return globalThis.n; };
define function get[javascript] return int { return globalThis.n || 0; };
${STREAM}from S select put(volume) as a, get() as b insert into O;`;
    expect(run(app, [['A', 1, 2], ['A', 1, 3]])).toEqual([[2, 2], [5, 5]]);
    expect(run(app, [['A', 1, 4]])).toEqual([[4, 4]]);
  });

  it('gives the body no host globals (require, process)', () => {
    const app = `define function probe[javascript] return string { return typeof require + ',' + typeof process + ',' + typeof Math; };
${STREAM}from S select probe() as v insert into O;`;
    expect(run(app, [['A', 1, 1]])).toEqual([['undefined,undefined,object']]);
  });

  it('refuses an unknown language and a body that does not compile, with the location', () => {
    const plan = (text: string) => () => new SiddhiManager().createSiddhiAppRuntime(text);
    expect(plan(`${STREAM}define function f[python] return int { return 1 };`)).toThrow(/unsupported script language 'python'/);
    try {
      new SiddhiManager().createSiddhiAppRuntime(`${STREAM}define function f[javascript] return int { return data[0; };`);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SiddhiPlanError);
      expect((e as SiddhiPlanError).message).toContain("function 'f': the javascript body does not compile");
      expect([(e as SiddhiPlanError).line, (e as SiddhiPlanError).column]).toEqual([2, 1]);
    }
    expect(() => parseApp('define function f[javascript] return int { return 1;')).toThrow(SiddhiParseError);
  });

  it('reports a throw or a result of the wrong type with the function name', () => {
    const app = `define function boom[javascript] return int { if (data[0] === 'x') throw new Error('bad input'); return 'text'; };
${STREAM}from S select boom(symbol) as v insert into O;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const errors: Error[] = [];
    rt.onError((e) => errors.push(e));
    rt.start();
    rt.getInputHandler('S').send(['x', 1, 1], 1000);
    rt.getInputHandler('S').send(['y', 1, 1], 1002);
    rt.shutdown();
    expect(errors.every((e) => e instanceof SiddhiRuntimeError)).toBe(true);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^stream 'S': .*boom.*bad input.*; event dropped$/),
      expect.stringMatching(/^stream 'S': .*boom.*text.*; event dropped$/),
    ]);
  });
});
