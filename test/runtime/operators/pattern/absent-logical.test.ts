// An absent side written second in `and`/`or` behaves as the reference's
// compiler arranges it: as the first side (timings from the reference's
// LogicalAbsentPatternTestCase).

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../../../src/index.js';

const D = 'define stream Stream1 (symbol string, price float, volume int); define stream Stream2 (symbol string, price float, volume int); define stream Stream3 (symbol string, price float, volume int);\n';

type Step = [stream: string, data: unknown[], time: number] | number;

function run(query: string, steps: Step[]): unknown[] {
  const rt = new SiddhiManager().createSiddhiAppRuntime(D + query, { playback: true });
  const out: unknown[] = [];
  rt.addCallback('OutputStream', (es) => { for (const e of es) out.push([e.timestamp, e.data]); });
  rt.start();
  for (const s of steps) {
    if (typeof s === 'number') rt.advanceTime(s);
    else rt.getInputHandler(s[0]).send(s[1], s[2]);
  }
  rt.shutdown();
  return out;
}

const OR = 'from e1=Stream1[price>10] -> e2=Stream2[price>20] or not Stream3[price>30] for 1 sec ' +
  'select e1.symbol as symbol1, e2.symbol as symbol2 insert into OutputStream;';

describe('absent side written second', () => {
  it('e2 or not S3 for 1 sec: e2 first completes it', () => {
    expect(run(OR, [['Stream1', ['WSO2', 15, 100], 1000], ['Stream2', ['GOOGLE', 25, 100], 1100], 3000]))
      .toEqual([[1100, ['WSO2', 'GOOGLE']]]);
  });

  it('e2 or not S3 for 1 sec: a silent second completes it', () => {
    expect(run(OR, [['Stream1', ['WSO2', 15, 100], 1000], 2100, 4000])).toEqual([[2000, ['WSO2', null]]]);
  });

  it('every (e1 and not S2 for 1 sec) -> e3', () => {
    const q = 'from every (e1=Stream1[price>10] and not Stream2[price>20] for 1 sec) -> e3=Stream3[price>30] ' +
      'select e1.symbol as symbol1, e3.symbol as symbol3 insert into OutputStream;';
    expect(run(q, [0, 1100, ['Stream1', ['IBM', 25, 100], 1100], ['Stream3', ['GOOGLE', 35, 100], 1200], 2300,
      ['Stream1', ['ORACLE', 45, 100], 2300], ['Stream3', ['MICROSOFT', 55, 100], 2400], 5000]))
      .toEqual([[1200, ['IBM', 'GOOGLE']], [2400, ['ORACLE', 'MICROSOFT']]]);
  });
});
