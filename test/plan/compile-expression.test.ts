import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError } from '../../src/index.js';

/** Evaluates `select <expr> as v` over one event of S and returns v. */
function evaluate(expr: string, data: unknown[] = [7, 2, 10, 3, 2.5, 1.5, 'abc', true, null]): unknown {
  const app = `define stream S (i int, j int, l long, m long, f float, d double, s string, b bool, n double);
from S select ${expr} as v insert into O;`;
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  let out: unknown = 'no output';
  rt.addCallback('O', (events) => { out = events[0]!.data[0]; });
  rt.start();
  rt.getInputHandler('S').send(data, 1000);
  return out;
}

function planFails(expr: string): string {
  try {
    evaluate(expr);
  } catch (e) {
    expect(e).toBeInstanceOf(SiddhiPlanError);
    const err = e as SiddhiPlanError;
    return `${err.message} ${err.hint ?? ''}`;
  }
  throw new Error(`expected '${expr}' to fail planning`);
}

describe('compileExpression: arithmetic', () => {
  it('truncates int and long division and keeps float 32-bit', () => {
    expect(evaluate('i / j')).toBe(3);
    expect(evaluate('l / m')).toBe(3);
    expect(evaluate('i % j')).toBe(1);
    expect(evaluate('f / 2')).toBe(1.25);
    expect(evaluate('d / 2')).toBe(0.75);
    expect(evaluate('-i')).toBe(-7);
  });

  it('wraps int arithmetic at 32 bits', () => {
    expect(evaluate('i * j', [2147483647, 2, 0, 1, 1, 1, '', true, null])).toBe(-2);
    expect(evaluate('i + j', [2147483647, 1, 0, 1, 1, 1, '', true, null])).toBe(-2147483648);
  });

  it('promotes to the wider numeric type', () => {
    expect(evaluate('i + l')).toBe(17);
    expect(evaluate('f + d')).toBe(4);
    expect(evaluate('f * 0.1')).toBeCloseTo(0.25, 12);
    expect(evaluate('0.1f + 0.2f')).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });

  it('propagates null and returns null for integer division by zero', () => {
    expect(evaluate('n + 1')).toBeNull();
    expect(evaluate('i / 0')).toBeNull();
  });

  it('rejects arithmetic on strings and booleans', () => {
    expect(planFails('s + 1')).toMatch(/'\+' needs numeric operands, got string \+ int/);
    expect(planFails('b * 2')).toMatch(/numeric operands/);
  });

  it("takes a unary plus on a number as the number, and names '+' when the operand is not one (it said '-')", () => {
    expect(evaluate('+i')).toBe(7);
    expect(evaluate('+f * 2')).toBe(5);
    expect(evaluate('+n')).toBeNull();
    expect(planFails('+s')).toMatch(/'\+' needs a numeric operand, got string/);
    expect(planFails('-b')).toMatch(/'-' needs a numeric operand, got bool/);
  });
});

describe('compileExpression: comparisons and logic', () => {
  it('treats null as false except for !=', () => {
    expect(evaluate('n == n')).toBe(false);
    expect(evaluate('n < 1')).toBe(false);
    expect(evaluate('n != 1')).toBe(true);
    expect(evaluate('n != n')).toBe(true);
    expect(evaluate('n is null')).toBe(true);
    expect(evaluate('s is null')).toBe(false);
  });

  it('compares a float column with double literals at 32-bit precision', () => {
    const data = [0, 1, 0, 1, 55.6, 0, '', true, null];
    expect(evaluate('f == 55.6', data)).toBe(false);
    expect(evaluate('f == 55.6f', data)).toBe(true);
  });

  it('needs bool operands for and/or/not', () => {
    expect(evaluate('b and i > 1')).toBe(true);
    expect(evaluate('not b or s == "abc"')).toBe(true);
    expect(planFails('l >= 50 and l')).toMatch(/'and' needs bool operands, got bool and long/);
    expect(planFails('not i')).toMatch(/'not' needs a bool operand/);
  });

  it('refuses to compare incompatible types', () => {
    expect(planFails('s == 1')).toMatch(/cannot compare string == int/);
    expect(planFails('b < true')).toMatch(/cannot compare bool < bool/);
  });

  it('folds constant sub-expressions', () => {
    expect(evaluate('2 * 3 + i')).toBe(13);
  });
});

describe('aggregates outside a selector', () => {
  it("refuses sum() in a filter as an aggregate in the wrong place (it said \"unknown function 'sum', did you mean 'sum'\")", () => {
    const app = `define stream S (symbol string, price double);
from S[sum(price) > 1] select symbol insert into O;`;
    let error: SiddhiPlanError | undefined;
    try {
      new SiddhiManager().createSiddhiAppRuntime(app);
    } catch (e) {
      error = e as SiddhiPlanError;
    }
    expect(error?.message).toContain("aggregate function 'sum' cannot be used here");
    expect(error?.hint).toMatch(/aggregates go in select/);
  });
});

describe('time values', () => {
  it("sums a time value's units; `1 hour and 25 minutes` (as the query guide writes it) is told to drop the 'and'", () => {
    expect(evaluate('1 hour 25 minutes')).toBe(5_100_000);
    expect(planFails('1 hour and 25 minutes')).toMatch(/needs bool operands.*a time value lists its units without 'and', e.g. `1 hour 25 minutes`/);
    expect(planFails('i and j')).toMatch(/compare the attribute explicitly/);
  });
});

describe('built-in functions', () => {
  it('chooses with ifThenElse, coalesce and default', () => {
    expect(evaluate("ifThenElse(i > 5, 'High', 'Low')")).toBe('High');
    expect(evaluate('coalesce(n, d)')).toBe(1.5);
    expect(evaluate('default(n, 0.0)')).toBe(0);
    expect(planFails("ifThenElse(i > 5, 'High', 5)")).toMatch(/one type/);
    expect(planFails('coalesce(d, f)')).toMatch(/one type/);
  });

  it('lets a null literal stand for any type among same-type arguments (the function docs write coalesce(null, 76, 567))', () => {
    expect(evaluate("coalesce('123', null, '789')")).toBe('123');
    expect(evaluate('coalesce(null, 76, 567)')).toBe(76);
    expect(evaluate('coalesce(null, null, null)')).toBeNull();
    expect(evaluate("ifThenElse(i > 5, null, s)")).toBeNull();
    expect(evaluate("ifThenElse(i > 50, null, s)")).toBe('abc');
    expect(evaluate('default(n, null)')).toBeNull();
    expect(evaluate('maximum(d, null, 1.0)')).toBe(1.5);
    expect(evaluate('str:coalesce(null, "BBB", "CCC")')).toBe('BBB');
    expect(planFails("coalesce(null, 'a', 5)")).toMatch(/one type/);
    expect(planFails('str:coalesce(null, "a", 5)')).toMatch(/one type/);
  });

  it('converts and casts', () => {
    expect(evaluate("convert(f, 'string')")).toBe('2.5');
    expect(evaluate("convert(s, 'int')")).toBeNull();
    expect(evaluate("convert(d, 'long')")).toBe(1);
    expect(evaluate("cast(i, 'double')")).toBe(7);
    expect(planFails("convert(i, 'decimal')")).toMatch(/cannot target type 'decimal'/);
  });

  it('answers instanceOf by declared type', () => {
    expect(evaluate('instanceOfLong(l)')).toBe(true);
    expect(evaluate('instanceOfInteger(l)')).toBe(false);
    expect(evaluate('instanceOfString(s)')).toBe(true);
    expect(evaluate('instanceOfDouble(n)')).toBe(false);
    expect(planFails('instanceOfLong(l, i)')).toMatch(/takes 1 argument/);
  });

  it('computes maximum/minimum across arguments and sets', () => {
    expect(evaluate('maximum(i, j, 9)')).toBe(9);
    expect(evaluate('minimum(l, m)')).toBe(3);
    expect(evaluate('sizeOfSet(createSet(s))')).toBe(1);
    expect(planFails('sizeOfSet(s)')).toMatch(/needs a set \(object\), got string/);
  });

  it('reads the clock and the event timestamp', () => {
    expect(evaluate('eventTimestamp()')).toBe(1000);
    expect(evaluate('currentTimeMillis()')).toBe(1000);
    expect(evaluate('UUID()')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists the available functions for an unknown name', () => {
    expect(planFails('coalese(n, d)')).toMatch(/unknown function 'coalese'.*did you mean 'coalesce'\?/);
  });
});
