import { describe, expect, it } from 'vitest';
import { SiddhiPlanError } from '../../src/errors.js';
import { Rig, bin, call, every, k, out, per, selector, snapshot, v } from '../runtime/selector/rig.js';

const ATTRS = [['weight', 'double'], ['deviceId', 'string'], ['n', 'int'], ['f', 'float']] as [string, 'double' | 'string' | 'int' | 'float'][];
const plan = (s: ReturnType<typeof selector>, extra: Partial<ConstructorParameters<typeof Rig>[0]> = {}) =>
  new Rig({ attributes: ATTRS, selector: s, ...extra });

describe('planSelector: errors', () => {
  it('sum of a string names the function and the allowed types (agg-sum-01)', () => {
    const fn = () => plan(selector({ attributes: [out(call('sum', v('deviceId')), 'total')] }));
    expect(fn).toThrow(SiddhiPlanError);
    expect(fn).toThrow(/query 'q': sum\(\) does not accept string; allowed argument types: int, long, float, double/);
  });

  it('max with two arguments is an arity error (agg-max-02)', () => {
    expect(() => plan(selector({ attributes: [out(call('max', v('weight'), v('deviceId')), 'max')] })))
      .toThrow(/max\(\) takes exactly 1 argument, got 2/);
  });

  it('nested aggregators, unnamed expressions, duplicate names, bad limits', () => {
    expect(() => plan(selector({ attributes: [out(call('sum', call('avg', v('n'))), 's')] }))).toThrow(/cannot be nested/);
    expect(() => plan(selector({ attributes: [out(call('sum', v('n')))] }))).toThrow(/needs a name/);
    expect(() => plan(selector({ attributes: [out(v('n')), out(v('f'), 'n')] }))).toThrow(/'n' is selected twice/);
    expect(() => plan(selector({ attributes: [out(v('n'))], limit: k(-1) }))).toThrow(/'limit' cannot be negative/);
    expect(() => plan(selector({ attributes: [out(v('n'))], offset: v('n') }))).toThrow(/'offset' needs a constant int or long/);
    expect(() => plan(selector({ attributes: [out(v('n'))] }), { rate: every('all', 0) })).toThrow(/positive integer/);
    expect(() => plan(selector({ attributes: [out(v('n'))] }), { rate: snapshot(1000), events: 'current' })).toThrow(/snapshot/);
  });

  it('having must be bool and may use aggregators not selected', () => {
    expect(() => plan(selector({ attributes: [out(v('n'))], having: v('n') }))).toThrow(/having must be a bool/);
    const r = plan(selector({ attributes: [out(v('n'))], having: bin('>', call('count'), k(1, 'long')) }));
    r.add(1, 1, 'a', 1, 1).add(2, 1, 'a', 2, 1);
    expect(r.rows()).toEqual([[2]]);
  });
});

describe('planSelector: schema and state', () => {
  it('result types follow the reference', () => {
    const r = plan(selector({
      attributes: [
        out(call('sum', v('n')), 'a'), out(call('sum', v('f')), 'b'), out(call('avg', v('n')), 'c'),
        out(call('count'), 'd'), out(call('min', v('f')), 'e'), out(call('max', v('n')), 'g'),
        out(call('stdDev', v('n')), 'h'), out(call('distinctCount', v('deviceId')), 'i'),
        out(call('maxForever', v('weight')), 'j'), out(bin('>', v('n'), k(1)), 'l'),
      ],
    }));
    expect(r.planned.schema.map((a) => a.type)).toEqual(['long', 'double', 'double', 'long', 'float', 'int', 'double', 'long', 'double', 'bool']);
  });

  it('registers aggregate state under the id, and the limiter under <id>/rate', () => {
    const r = plan(selector({ attributes: [out(v('deviceId')), out(call('count'), 'c')], groupBy: [v('deviceId')] }), { rate: per('last', 1000) });
    expect([...r.cells.cells].map(([id, c]) => [id, c.kind, c.version])).toEqual([
      ['q/selector', 'selector.groupBy', 1],
      ['q/selector/rate', 'rate.lastPerGroupTime', 1],
    ]);
    const plain = plan(selector({ attributes: [out(call('count'), 'c')] }));
    expect([...plain.cells.cells.values()].map((c) => c.kind)).toEqual(['selector.aggregates']);
  });

  it('non-aggregator calls go to the function registry', () => {
    const r = plan(selector({ attributes: [out(call('coalesce', v('deviceId'), k('none', 'string')), 'd')] }));
    r.add(1, 1, null, 1, 1);
    expect(r.rows()).toEqual([['none']]);
  });
});
