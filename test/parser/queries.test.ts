// Query inputs (single, join, pattern, sequence), selector, output rate and output actions.

import { describe, expect, it } from 'vitest';
import { bin, int, queryOf, str, v, withoutLoc } from './helpers.js';

const input = (text: string) => withoutLoc(queryOf(`from ${text} select * insert into Out`).input);
const single = (stream: string, handlers: unknown[] = [], extra: object = {}) => ({
  kind: 'single',
  stream,
  inner: false,
  handlers,
  ...extra,
});
const lengthWindow = (n: number) => ({ kind: 'window', call: { name: 'length', args: [int(n)] } });

describe('single stream input', () => {
  it('reads filters, windows and stream functions in order', () => {
    expect(input('S')).toEqual(single('S'));
    expect(input('#S')).toEqual({ ...single('S'), inner: true });
    expect(input('S[price > 10]')).toEqual(single('S', [{ kind: 'filter', condition: bin('>', v('price'), int(10)) }]));
    expect(input('S#window.length(4)')).toEqual(single('S', [lengthWindow(4)]));
    expect(input('S[a]#window.length(4)[b]')).toEqual(
      single('S', [{ kind: 'filter', condition: v('a') }, lengthWindow(4), { kind: 'filter', condition: v('b') }]),
    );
    expect(input('S#pol2Cart(theta, rho)')).toEqual(
      single('S', [{ kind: 'function', call: { name: 'pol2Cart', args: [v('theta'), v('rho')] } }]),
    );
    expect(input('S#str:tokenize(text)')).toEqual(
      single('S', [{ kind: 'function', call: { namespace: 'str', name: 'tokenize', args: [v('text')] } }]),
    );
    expect(input('S#window.unique:length(a, 5)')).toEqual(
      single('S', [{ kind: 'window', call: { namespace: 'unique', name: 'length', args: [v('a'), int(5)] } }]),
    );
    expect(input('S#window.time(2 sec) as s')).toEqual(
      single('S', [{ kind: 'window', call: { name: 'time', args: [{ kind: 'time', millis: 2000 }] } }], { alias: 's' }),
    );
    expect(input('order')).toEqual(single('order'));
  });
});

describe('join input', () => {
  it('reads join types, aliases, unidirectional, on, within and per', () => {
    expect(input('A join B')).toEqual({ kind: 'join', joinType: 'inner', left: single('A'), right: single('B') });
    expect(input('A inner join B on A.x == B.x')).toMatchObject({ joinType: 'inner', on: bin('==', v('x', 'A'), v('x', 'B')) });
    expect(input('A left outer join B')).toMatchObject({ joinType: 'left' });
    expect(input('A right outer join B')).toMatchObject({ joinType: 'right' });
    expect(input('A full outer join B')).toMatchObject({ joinType: 'full' });
    // The reference has no bare `outer join`.
    expect(() => input('A outer join B')).toThrow(/syntax error/);
    expect(input('A#window.length(1) as a unidirectional join B as b')).toEqual({
      kind: 'join',
      joinType: 'inner',
      left: single('A', [lengthWindow(1)], { alias: 'a' }),
      right: single('B', [], { alias: 'b' }),
      unidirectional: 'left',
    });
    expect(input('A join B#window.length(1) unidirectional')).toMatchObject({ unidirectional: 'right' });
    expect(input('A join B on a == b within 1 sec per x')).toMatchObject({
      within: { start: { kind: 'time', millis: 1000 }, per: v('x') },
    });
    expect(input("A join B within '2017-06-01 00:00:00', e per 'hours'")).toMatchObject({
      within: { start: { kind: 'constant', value: '2017-06-01 00:00:00' }, end: v('e'), per: { kind: 'constant', value: 'hours' } },
    });
  });
});

describe('pattern and sequence input', () => {
  const s1 = (ref: string | undefined, stream: string, handlers: unknown[] = []) => ({
    kind: 'stream',
    ...(ref ? { ref } : {}),
    input: single(stream, handlers),
  });

  it('nests -> chains to the right and tells patterns from sequences', () => {
    expect(input('e1=A -> e2=B -> e3=C')).toEqual({
      kind: 'state',
      type: 'pattern',
      element: { kind: 'next', first: s1('e1', 'A'), next: { kind: 'next', first: s1('e2', 'B'), next: s1('e3', 'C') } },
    });
    expect(input('e1=A, e2=B')).toMatchObject({ type: 'sequence', element: { kind: 'next' } });
    expect(input('every e1=A')).toEqual({ kind: 'state', type: 'pattern', element: { kind: 'every', element: s1('e1', 'A') } });
    expect(input('e1=A')).toEqual({ kind: 'state', type: 'pattern', element: s1('e1', 'A') });
    expect(input('A -> B')).toMatchObject({ type: 'pattern', element: { first: s1(undefined, 'A'), next: s1(undefined, 'B') } });
    expect(input('e1 = A [x > 1] -> e2 = #B')).toMatchObject({ element: { next: { input: { stream: 'B', inner: true } } } });
  });

  it('binds every to the element or group it precedes', () => {
    expect(input('every e1=A -> e2=B')).toMatchObject({ element: { kind: 'next', first: { kind: 'every' } } });
    expect(input('every (e1=A -> e2=B) -> e3=C')).toMatchObject({
      element: { kind: 'next', first: { kind: 'every', element: { kind: 'next' } }, next: { ref: 'e3' } },
    });
    expect(input('e1=A -> every not B for 1 sec')).toMatchObject({
      element: { next: { kind: 'every', element: { kind: 'absent', waitMillis: 1000 } } },
    });
  });

  it('reads counts and kleene operators', () => {
    const count = (text: string) => (input(text) as { element: { first: unknown } }).element.first;
    expect(count('e1=A<2:5> -> e2=B')).toEqual({ kind: 'count', stream: s1('e1', 'A'), min: 2, max: 5 });
    expect(count('e1=A<2:> -> e2=B')).toMatchObject({ min: 2, max: -1 });
    expect(count('e1=A<:5> -> e2=B')).toMatchObject({ min: 0, max: 5 });
    expect(count('e1=A<3> -> e2=B')).toMatchObject({ min: 3, max: 3 });
    expect(count('e1=A[x > 1]+, e2=B')).toMatchObject({ kind: 'count', min: 1, max: -1 });
    expect(count('e1=A*, e2=B')).toMatchObject({ min: 0, max: -1 });
    expect(count('e1=A?, e2=B')).toMatchObject({ min: 0, max: 1 });
    expect(input('e1=A+')).toMatchObject({ type: 'sequence' });
  });

  it('reads logical and absent elements', () => {
    expect(input('e1=A -> not B[x > 1] and e3=C')).toMatchObject({
      element: {
        next: {
          kind: 'logical',
          op: 'and',
          left: { kind: 'absent', input: single('B', [{ kind: 'filter', condition: bin('>', v('x'), int(1)) }]) },
          right: s1('e3', 'C'),
        },
      },
    });
    expect(input('not A for 1 sec or e2=B -> e3=C')).toMatchObject({
      element: { first: { kind: 'logical', op: 'or', left: { kind: 'absent', waitMillis: 1000 } } },
    });
    expect(input('e1=A -> not B')).toMatchObject({ element: { next: { kind: 'absent' } } });
  });

  it('applies a trailing within to the whole chain, otherwise to what it follows', () => {
    expect(input('every e1=A<2> -> e2=B within 3 seconds')).toMatchObject({
      element: { kind: 'next', within: 3000, first: { kind: 'every' }, next: { kind: 'stream' } },
    });
    const chain = input('every e1=A<2> -> e2=B within 3 seconds') as { element: { next: object } };
    expect(chain.element.next).not.toHaveProperty('within');
    expect(input('every (e1=A -> e2=B) within 5 sec')).toMatchObject({ element: { kind: 'every', within: 5000 } });
    expect(input('(every (e1=A -> e3=A) -> e2=B) within 2 sec')).toMatchObject({ element: { kind: 'next', within: 2000 } });
    expect(input('e1=A within 1 sec -> e2=B')).toMatchObject({ element: { first: { within: 1000 } } });
  });

  it('reads pattern references with indexes in filters', () => {
    const q = input('every e1=A, e2=A[e2[last].price is null or price >= e2[last-1].price]+, e3=A');
    expect(q).toMatchObject({ type: 'sequence' });
  });
});

describe('selector', () => {
  it('defaults to select * when omitted', () => {
    expect(withoutLoc(queryOf('from S insert into T').selector)).toEqual({ star: true, attributes: [], groupBy: [], orderBy: [] });
    expect(withoutLoc(queryOf('from S select * insert into T').selector)).toMatchObject({ star: true });
  });

  it('reads attributes, group by, having, order by, limit and offset', () => {
    const q = queryOf(
      'from S select a, b as c, sum(x) as count group by a, S.b having count > 2 order by a, c desc limit 2 offset 1 insert into T',
    );
    expect(withoutLoc(q.selector)).toEqual({
      star: false,
      attributes: [
        { expression: v('a') },
        { expression: v('b'), rename: 'c' },
        { expression: { kind: 'call', name: 'sum', args: [v('x')] }, rename: 'count' },
      ],
      groupBy: [v('a'), v('b', 'S')],
      having: bin('>', v('count'), int(2)),
      orderBy: [
        { variable: v('a'), order: 'asc' },
        { variable: v('c'), order: 'desc' },
      ],
      limit: int(2),
      offset: int(1),
    });
  });

  it('accepts keywords as aliases', () => {
    const q = queryOf('from S select count() as events, T.start as start, T.end as end insert all events into O');
    expect(q.selector.attributes.map((a) => a.rename)).toEqual(['events', 'start', 'end']);
  });
});

describe('output rate', () => {
  const rate = (text: string) => withoutLoc(queryOf(`from S select a ${text} insert into T`).outputRate);
  it('reads event, time and snapshot rates', () => {
    expect(rate('output every 2 events')).toEqual({ kind: 'events', type: 'all', count: 2 });
    expect(rate('output all every 2 events')).toEqual({ kind: 'events', type: 'all', count: 2 });
    expect(rate('output first every 5 events')).toEqual({ kind: 'events', type: 'first', count: 5 });
    expect(rate('output last every 1 sec')).toEqual({ kind: 'time', type: 'last', millis: 1000 });
    expect(rate('output every 1 min')).toEqual({ kind: 'time', type: 'all', millis: 60_000 });
    expect(rate('output snapshot every 1 sec')).toEqual({ kind: 'snapshot', millis: 1000 });
  });
});

describe('output actions', () => {
  const output = (text: string) => withoutLoc(queryOf(`from S ${text}`).output);
  it('reads insert into with event types and inner streams', () => {
    expect(output('insert into T')).toEqual({ kind: 'insert', target: 'T', inner: false, events: 'current' });
    expect(output('insert all events into T')).toMatchObject({ events: 'all' });
    expect(output('insert expired events into T')).toMatchObject({ events: 'expired' });
    expect(output('insert current events into #T')).toEqual({ kind: 'insert', target: 'T', inner: true, events: 'current' });
  });

  it('reads delete, update, update or insert and return', () => {
    expect(output("delete T on T.symbol == 'IBM'")).toEqual({
      kind: 'delete',
      table: 'T',
      events: 'current',
      on: bin('==', v('symbol', 'T'), str('IBM')),
    });
    expect(output('delete T for all events on T.a == a')).toMatchObject({ events: 'all' });
    expect(output('update T on T.a == a')).toEqual({ kind: 'update', table: 'T', events: 'current', set: [], on: bin('==', v('a', 'T'), v('a')) });
    expect(output('update T for expired events set T.b = b + 1, T.c = 0 on T.a == a')).toMatchObject({
      kind: 'update',
      events: 'expired',
      set: [
        { column: v('b', 'T'), value: bin('+', v('b'), int(1)) },
        { column: v('c', 'T'), value: int(0) },
      ],
    });
    expect(output('update or insert into T set T.b = b on T.a == a')).toMatchObject({ kind: 'upsert', table: 'T', set: [{}] });
    expect(output('update or insert into T on T.a == a')).toMatchObject({ kind: 'upsert', set: [] });
    expect(output('return')).toEqual({ kind: 'return', events: 'current' });
  });
});
