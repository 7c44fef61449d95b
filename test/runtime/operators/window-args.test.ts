// Plan-time argument validation of every window kind: the error cases of the
// conformance suite and a few more, each naming the window and its signature.

import { describe, expect, it } from 'vitest';
import { SiddhiPlanError } from '../../../src/errors.js';
import type { WindowArg } from '../../../src/runtime/operators/window.js';
import { WINDOW_KINDS } from '../../../src/runtime/operators/windows.js';
import { attrArg, constArg, exprArg, ms, Rig } from './window-rig.js';

function planError(kind: string, args: WindowArg[]): SiddhiPlanError {
  try {
    new Rig(kind, args);
  } catch (e) {
    expect(e).toBeInstanceOf(SiddhiPlanError);
    return e as SiddhiPlanError;
  }
  throw new Error(`${kind} accepted its arguments`);
}

describe('window argument validation', () => {
  const rejected: [string, WindowArg[]][] = [
    ['length', [constArg(2), attrArg(1, 'float', 'price')]],
    ['length', []],
    ['lengthBatch', [exprArg('int')]],
    ['lengthBatch', [constArg(0.5)]],
    ['sort', [constArg(2.5)]],
    ['sort', [constArg(2), constArg('asc')]],
    ['sort', [constArg(2), attrArg(0, 'int'), constArg('up')]],
    ['timeBatch', [ms(2000), constArg('string')]],
    ['timeBatch', [attrArg(0, 'long')]],
    ['session', [ms(5000), attrArg(0, 'string', 'user'), ms(2000), constArg(1)]],
    ['session', [ms(1000), attrArg(0, 'string', 'user'), ms(2000)]],
    ['session', [ms(1000), attrArg(1, 'int', 'n')]],
    ['batch', [constArg(30), constArg(20)]],
    ['delay', [constArg(2), constArg(3)]],
    ['time', [constArg('1 sec')]],
    ['timeLength', [ms(1000)]],
    ['externalTime', [constArg(1, 'long'), ms(1000)]],
    ['externalTime', [attrArg(0, 'string'), ms(1000)]],
    ['externalTimeBatch', [attrArg(0, 'long')]],
    ['frequent', [constArg(2), constArg('x')]],
    ['lossyFrequent', [constArg(1.5), constArg(0.1)]],
  ];

  it.each(rejected)('%s rejects bad arguments (%#)', (kind, args) => {
    const err = planError(kind, args);
    expect(err.message).toContain(`'${kind}'`);
    expect(err.message).toContain(WINDOW_KINDS[kind]!.signature);
    expect(err.hint).toContain(WINDOW_KINDS[kind]!.signature);
    expect((err as { element?: string }).element).toBe("query 'q1'");
  });

  it('accepts the documented forms', () => {
    const ok: [string, WindowArg[]][] = [
      ['length', [constArg(2)]],
      ['time', [ms(1000)]],
      ['time', [constArg(500)]],
      ['timeLength', [ms(1000), constArg(3)]],
      ['externalTime', [attrArg(0, 'long'), ms(1000)]],
      ['sort', [constArg(2), attrArg(0, 'int'), constArg('asc'), attrArg(1, 'string'), constArg('DESC')]],
      ['sort', [constArg(2), attrArg(0, 'int'), attrArg(1, 'int')]],
      ['delay', [ms(1000)]],
      ['frequent', [constArg(3)]],
      ['frequent', [constArg(3), attrArg(0, 'string'), attrArg(1, 'int')]],
      ['lossyFrequent', [constArg(0.3), constArg(0.05), attrArg(0, 'string')]],
      ['lossyFrequent', [constArg(0.3)]],
      ['lengthBatch', [constArg(4), constArg(true)]],
      ['timeBatch', [ms(1000), constArg(0, 'long'), constArg(true)]],
      ['timeBatch', [ms(1000), constArg(500)]],
      ['externalTimeBatch', [attrArg(0, 'long'), ms(1000), constArg(0, 'long'), ms(500)]],
      ['externalTimeBatch', [attrArg(0, 'long'), ms(1000), attrArg(1, 'long')]],
      ['batch', []],
      ['batch', [constArg(10)]],
      ['session', [ms(1000)]],
      ['session', [ms(1000), ms(500)]],
      ['session', [ms(1000), attrArg(0, 'string'), ms(500)]],
    ];
    for (const [kind, args] of ok) expect(() => new Rig(kind, args), kind).not.toThrow();
  });

  it('registers every kind under its SiddhiQL name, each with one state cell', () => {
    for (const [name, kind] of Object.entries(WINDOW_KINDS)) {
      expect(kind.name).toBe(name);
    }
    const rig = new Rig('length', [constArg(1)]);
    expect([...rig.cells.keys()]).toEqual(['q1/0:window.length']);
    expect([...rig.cells.values()][0]!.kind).toBe('window.length');
  });
});
