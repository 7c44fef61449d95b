// An unknown stream function is refused with its place and a hint; one that
// names a window (`#lengthBatch(10)`, as the reference's window docs write it)
// is told to write `#window.…`.

import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError } from '../../src/index.js';

const S = 'define stream InputEventStream (symbol string, price float, volume int);\n';

function refusal(app: string): SiddhiPlanError {
  try {
    new SiddhiManager().createSiddhiAppRuntime(app);
  } catch (e) {
    expect(e).toBeInstanceOf(SiddhiPlanError);
    return e as SiddhiPlanError;
  }
  throw new Error('accepted');
}

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

  it('other names list the stream functions', () => {
    const e = refusal(`${S}from InputEventStream#str:locate(symbol, '@') select symbol insert into O;`);
    expect(e.hint).toMatch(/^available: .*str:tokenize/);
  });
});
