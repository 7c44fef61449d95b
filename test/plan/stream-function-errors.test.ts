// An unknown stream function is refused with its place and a hint; one that
// names a window (`#lengthBatch(10)`, as the reference's window docs write it)
// is told to write `#window.…`, and one that names a function to call it in select.

import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError } from '../../src/index.js';
import { planRefusal } from '../plan-refusal.js';

const S = 'define stream InputEventStream (symbol string, price float, volume int);\n';

const refusal = (app: string): SiddhiPlanError => planRefusal(() => new SiddhiManager().createSiddhiAppRuntime(app));

describe('unknown stream functions', () => {
  it.each([
    ['lengthBatch(10)', 'lengthBatch'],
    ['timeBatch(20 sec, true)', 'timeBatch'],
    ["unique:time(symbol, 1 sec)", 'unique:time'],
  ])('#%s names a window: the hint says #window.%s(…)', (call, name) => {
    const e = refusal(`${S}@info(name = 'query1')\nfrom InputEventStream#${call}\nselect symbol, sum(price) as price\ninsert into OutputStream;`);
    expect(e.message).toContain(`unknown stream function '${name}'`);
    expect([e.line, e.column]).toEqual([3, 22]);
    expect(e.hint).toBe(`'${name}' is a window: write #window.${name}(…)`);
  });

  it('a function name (#str:locate, as its docs write it) is told to call it in select', () => {
    const e = refusal(`${S}from InputEventStream#str:locate(symbol, '@') select indexNo insert into O;`);
    expect(e.message).toContain("unknown stream function 'str:locate'");
    expect(e.hint).toBe("'str:locate' is a function, not a stream function: call it in select or a filter, e.g. select str:locate(…) as v");
  });

  it('other names list the stream functions', () => {
    const e = refusal(`${S}from InputEventStream#str:locater(symbol, '@') select symbol insert into O;`);
    expect(e.hint).toMatch(/^available: .*str:tokenize/);
  });
});
