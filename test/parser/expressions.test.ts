// Expression literals, references, calls and operator precedence.

import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/parser/index.js';
import { bin, expr, int, str, v } from './helpers.js';

describe('expression literals', () => {
  it('types numbers by their suffix', () => {
    expect(expr('10')).toEqual(int(10));
    expect(expr('10L')).toEqual({ kind: 'constant', type: 'long', value: 10 });
    expect(expr('10l')).toEqual({ kind: 'constant', type: 'long', value: 10 });
    expect(expr('2.5f')).toEqual({ kind: 'constant', type: 'float', value: 2.5 });
    expect(expr('2f')).toEqual({ kind: 'constant', type: 'float', value: 2 });
    expect(expr('2.5')).toEqual({ kind: 'constant', type: 'double', value: 2.5 });
    expect(expr('3d')).toEqual({ kind: 'constant', type: 'double', value: 3 });
    expect(expr('1e3')).toEqual({ kind: 'constant', type: 'double', value: 1000 });
    expect(expr('1.5E-2')).toEqual({ kind: 'constant', type: 'double', value: 0.015 });
  });

  it('folds a leading minus into number literals', () => {
    expect(expr('-5')).toEqual(int(-5));
    expect(expr('-2.5f')).toEqual({ kind: 'constant', type: 'float', value: -2.5 });
    expect(expr('-x')).toEqual({ kind: 'unary', op: '-', operand: v('x') });
  });

  it("takes a leading plus as the reference's signed literals do (+95, +154L, +95.789f in the query guide's value table)", () => {
    expect(expr('+95')).toEqual(int(95));
    expect(expr('+154L')).toEqual({ kind: 'constant', type: 'long', value: 154 });
    expect(expr('+95.789f')).toEqual({ kind: 'constant', type: 'float', value: 95.789 });
    expect(expr('1 + +2')).toEqual(bin('+', int(1), int(2)));
    expect(expr('+x')).toEqual({ kind: 'unary', op: '+', operand: v('x') });
  });

  it('reads strings, booleans and null', () => {
    expect(expr("'IBM'")).toEqual(str('IBM'));
    expect(expr('"item1"')).toEqual(str('item1'));
    expect(expr('"""multi\nline"""')).toEqual(str('multi\nline'));
    expect(expr('true')).toEqual({ kind: 'constant', type: 'bool', value: true });
    expect(expr('FALSE')).toEqual({ kind: 'constant', type: 'bool', value: false });
    expect(expr('null')).toEqual({ kind: 'constant', type: 'object', value: null });
  });

  it('reads time literals as milliseconds, glued or spaced, summing units', () => {
    expect(expr('2 sec')).toEqual({ kind: 'time', millis: 2000 });
    expect(expr('1sec')).toEqual({ kind: 'time', millis: 1000 });
    expect(expr('1 min 30 sec')).toEqual({ kind: 'time', millis: 90_000 });
    expect(expr('500 milliseconds')).toEqual({ kind: 'time', millis: 500 });
    expect(expr('5 ms')).toEqual({ kind: 'time', millis: 5 });
    expect(expr('3 seconds')).toEqual({ kind: 'time', millis: 3000 });
    expect(expr('2 hours')).toEqual({ kind: 'time', millis: 7_200_000 });
    expect(expr('1 day')).toEqual({ kind: 'time', millis: 86_400_000 });
    expect(expr('1 week')).toEqual({ kind: 'time', millis: 604_800_000 });
    expect(expr('1 month')).toEqual({ kind: 'time', millis: 30 * 86_400_000 });
    expect(expr('1 year')).toEqual({ kind: 'time', millis: 365 * 86_400_000 });
    expect(expr('1 minute')).toEqual({ kind: 'time', millis: 60_000 });
  });
});

describe('expression variables and calls', () => {
  it('reads attribute references', () => {
    expect(expr('price')).toEqual(v('price'));
    expect(expr('S.price')).toEqual(v('price', 'S'));
    expect(expr('#S.price')).toEqual({ kind: 'variable', name: 'price', stream: 'S', inner: true });
    expect(expr('e1[0].price')).toEqual({ kind: 'variable', name: 'price', stream: 'e1', index: { kind: 'at', at: 0 } });
    expect(expr('e2[last].price')).toEqual({
      kind: 'variable',
      name: 'price',
      stream: 'e2',
      index: { kind: 'last', minus: 0 },
    });
    expect(expr('e1[last-1].price')).toEqual({
      kind: 'variable',
      name: 'price',
      stream: 'e1',
      index: { kind: 'last', minus: 1 },
    });
  });

  it('accepts soft keywords as names', () => {
    expect(expr('end == destination')).toEqual(bin('==', v('end'), v('destination')));
    expect(expr('order.items')).toEqual(v('items', 'order'));
    expect(expr('T.end')).toEqual(v('end', 'T'));
    expect(expr('count')).toEqual(v('count'));
    expect(expr('events + last + first + min')).toEqual(
      bin('+', bin('+', bin('+', v('events'), v('last')), v('first')), v('min')),
    );
  });

  it('reads function calls', () => {
    expect(expr('count()')).toEqual({ kind: 'call', name: 'count', args: [] });
    expect(expr('maximum(*)')).toEqual({ kind: 'call', name: 'maximum', args: [], star: true });
    expect(expr('math:sin(x)')).toEqual({ kind: 'call', namespace: 'math', name: 'sin', args: [v('x')] });
    expect(expr("cast(price, 'double')")).toEqual({ kind: 'call', name: 'cast', args: [v('price'), str('double')] });
    expect(expr('and(isFraud)')).toEqual({ kind: 'call', name: 'and', args: [v('isFraud')] });
    expect(expr('or(isFraud)')).toEqual({ kind: 'call', name: 'or', args: [v('isFraud')] });
    expect(expr('min(price)')).toEqual({ kind: 'call', name: 'min', args: [v('price')] });
  });
});

describe('expression precedence', () => {
  it('orders or < and < comparisons < additive < multiplicative < not < is null, as the reference grammar', () => {
    expect(expr('a or b and c')).toEqual(bin('or', v('a'), bin('and', v('b'), v('c'))));
    const not = (operand: unknown) => ({ kind: 'unary', op: 'not', operand });
    expect(expr('not a == b and c')).toEqual(bin('and', bin('==', not(v('a')), v('b')), v('c')));
    expect(expr('not volume > 50')).toEqual(bin('>', not(v('volume')), int(50)));
    expect(expr('not (volume > 50)')).toEqual(not(bin('>', v('volume'), int(50))));
    expect(expr('not x is null')).toEqual(not({ kind: 'isNull', operand: v('x') }));
    expect(expr('a + b * c > d - e')).toEqual(bin('>', bin('+', v('a'), bin('*', v('b'), v('c'))), bin('-', v('d'), v('e'))));
    expect(expr('a < b == c >= d')).toEqual(bin('==', bin('<', v('a'), v('b')), bin('>=', v('c'), v('d'))));
    expect(expr('a - b - c')).toEqual(bin('-', bin('-', v('a'), v('b')), v('c')));
    expect(expr('a / b % c')).toEqual(bin('%', bin('/', v('a'), v('b')), v('c')));
    expect(expr('(a + b) * c')).toEqual(bin('*', bin('+', v('a'), v('b')), v('c')));
  });

  it('keeps case-insensitive operators', () => {
    expect(expr('a AND b Or c')).toEqual(bin('or', bin('and', v('a'), v('b')), v('c')));
  });

  it('applies is null to the additive expression before it', () => {
    expect(expr('price is null')).toEqual({ kind: 'isNull', operand: v('price') });
    expect(expr('e2[last].price is null')).toMatchObject({ kind: 'isNull', operand: { name: 'price', stream: 'e2' } });
    expect(expr('a >= 0 or a is null')).toEqual(bin('or', bin('>=', v('a'), int(0)), { kind: 'isNull', operand: v('a') }));
    expect(expr('not (e2[last].price is null)')).toMatchObject({ kind: 'unary', op: 'not', operand: { kind: 'isNull' } });
    expect(expr('e1 is null')).toEqual({ kind: 'isNull', operand: v('e1') });
  });

  it('applies in to the whole comparison before it', () => {
    const condition = bin('==', v('symbol'), v('symbol', 'T'));
    expect(expr('symbol == T.symbol in T')).toEqual({ kind: 'in', condition, table: 'T' });
    expect(expr('(symbol == T.symbol) in T')).toEqual({ kind: 'in', condition, table: 'T' });
    expect(expr('(a == T.a and b == T.b) in T')).toEqual({
      kind: 'in',
      condition: bin('and', bin('==', v('a'), v('a', 'T')), bin('==', v('b'), v('b', 'T'))),
      table: 'T',
    });
    expect(expr('x and a == T.a in T')).toEqual(bin('and', v('x'), { kind: 'in', condition: bin('==', v('a'), v('a', 'T')), table: 'T' }));
  });

  it('keeps source locations (1-based line and column, 0-based offset)', () => {
    const e = parseExpression('a +\n  b');
    expect(e.loc).toEqual({ line: 1, column: 1, offset: 0 });
    expect(e.kind === 'binary' && e.right.loc).toEqual({ line: 2, column: 3, offset: 6 });
  });
});
