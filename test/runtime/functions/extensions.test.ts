// Extension functions and #log through the public API: plan-time argument and
// type errors with locations, null rules, the injectable logger.

import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError, SiddhiRuntimeError } from '../../../src/index.js';
import type { Logger } from '../../../src/index.js';

const STREAM = 'define stream S (s string, i int, l long, f float, d double, b bool);\n';

function planError(query: string): SiddhiPlanError {
  try {
    new SiddhiManager().createSiddhiAppRuntime(STREAM + query);
  } catch (e) {
    expect(e).toBeInstanceOf(SiddhiPlanError);
    return e as SiddhiPlanError;
  }
  throw new Error('expected a plan error');
}

function run(query: string, rows: unknown[][], logger?: Logger): unknown[][] {
  const rt = new SiddhiManager().createSiddhiAppRuntime(STREAM + query, { playback: true, ...(logger ? { logger } : {}) });
  const out: unknown[][] = [];
  rt.addCallback('Out', (events) => events.forEach((e) => out.push([...e.data])));
  rt.start();
  rows.forEach((r, i) => rt.getInputHandler('S').send(r, 1000 + i));
  rt.shutdown();
  return out;
}

const ROW = ['ab', 7, 8, 1.5, 2.5, true];

describe('extension function arguments', () => {
  it('reports a wrong argument type with the parameter, the usage and the location', () => {
    const e = planError('from S select str:charAt(s, l) as c insert into Out;');
    expect(e.message).toContain('str:charAt() argument 2 (index) must be int, got long');
    expect(e.message).toContain('usage: str:charAt(input.value string, index int)');
    expect([e.line, e.column]).toEqual([2, 15]);
  });

  it('reports a wrong argument count', () => {
    expect(planError('from S select math:power(d) as p insert into Out;').message).toContain('math:power() takes 2 argument(s), got 1');
    expect(planError('from S select str:concat(s) as p insert into Out;').message).toContain('takes at least 2');
  });

  it('names the namespaces and how to register a function for an unknown one', () => {
    const e = planError('from S select foo:bar(s) as x insert into Out;');
    expect(e.message).toContain("unknown function 'foo:bar'");
    expect(e.hint).toContain('namespaces: json, list, map, math, regex, str');
    expect(e.hint).toContain('setFunction');
  });

  it('says that a stream processor is not a function', () => {
    expect(planError("from S select str:tokenize(s, ',') as x insert into Out;").hint).toContain('from S#str:tokenize');
  });

  it('refuses a regex JavaScript cannot run when it is constant', () => {
    expect(planError("from S select str:regexp(s, 'a++') as x insert into Out;").message).toContain('possessive');
  });

  it('checks aggregator extra arguments', () => {
    expect(planError('from S select math:percentile(d, 120.0) as x insert into Out;').message).toContain('0 < p <= 100');
    expect(planError('from S select math:percentile(d, d) as x insert into Out;').message).toContain('constant');
    expect(planError("from S select str:groupConcat(s, ',', true, 'UP') as x insert into Out;").message).toContain("'ASC' or 'DESC'");
  });
});

describe('null rules', () => {
  it('math: gives null for a null argument', () => {
    expect(run('from S select math:sqrt(d) as r, math:power(i, d) as p insert into Out;', [['x', 2, 1, 1, null, true]])).toEqual([[null, null]]);
  });

  it('str: fails the event (reported, dropped) where the reference throws', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(STREAM + 'from S select str:length(s) as n insert into Out;', { playback: true });
    const errors: Error[] = [];
    rt.onError((e) => errors.push(e));
    rt.start();
    rt.getInputHandler('S').send([null, 1, 1, 1, 1, true], 1);
    rt.shutdown();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SiddhiRuntimeError);
    expect(errors[0]!.message).toMatch(/str:length\(\): The argument cannot be null; event dropped/);
  });
});

describe('division and modulo by zero', () => {
  it('give null for every numeric type', () => {
    const q = 'from S select i / 0 as a, l % 0L as b, f / 0.0f as c, d / 0.0 as e, d % 0.0 as g, i / i as h insert into Out;';
    expect(run(q, [ROW])).toEqual([[null, null, null, null, null, 1]]);
  });
});

describe('#log', () => {
  const capture = (): { logger: Logger; lines: string[] } => {
    const lines: string[] = [];
    const at = (p: string) => (m: string): void => {
      lines.push(`${p} ${m}`);
    };
    return { lines, logger: { info: at('INFO'), warn: at('WARN'), error: at('ERROR'), debug: at('DEBUG') } };
  };

  it('passes events on unchanged and logs through the injected logger', () => {
    const { logger, lines } = capture();
    const out = run("from S#log('seen') select s, i insert into Out;", [ROW], logger);
    expect(out).toEqual([['ab', 7]]);
    expect(lines).toEqual(['INFO SiddhiApp: seen, StreamEvent{ timestamp=1000, data=[ab, 7, 8, 1.5, 2.5, true], type=CURRENT}']);
  });

  it('takes the reference argument forms', () => {
    const { logger, lines } = capture();
    run("from S#log()#log(false)#log('m', false)#log('WARN', 'w')#log('debug', 'd', false) select s insert into Out;", [ROW], logger);
    expect(lines.map((l) => l.replace(/, StreamEvent.*/, ', <event>'))).toEqual([
      'INFO SiddhiApp: StreamEvent{ timestamp=1000, data=[ab, 7, 8, 1.5, 2.5, true], type=CURRENT}',
      'INFO SiddhiApp: Event Arrived',
      'INFO SiddhiApp: m',
      'WARN SiddhiApp: w, <event>',
      'DEBUG SiddhiApp: d',
    ]);
  });

  it('refuses other argument forms and unknown priorities', () => {
    expect(planError('from S#log(i) select s insert into Out;').message).toContain("stream processor 'log' does not take (int)");
    expect(planError("from S#log('LOUD', 'x') select s insert into Out;").message).toContain('priority must be one of');
  });
});
