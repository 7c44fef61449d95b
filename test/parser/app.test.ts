// Definitions, annotations, partitions and app-level text rules (comments, semicolons, case).

import { describe, expect, it } from 'vitest';
import { parseApp } from '../../src/parser/index.js';
import { bin, elementsOf, int, str, v, withoutLoc } from './helpers.js';

describe('definitions', () => {
  it('reads streams and tables with every attribute type', () => {
    const [stream, table] = elementsOf(
      'define stream S (a string, b int, c long, d float, e double, f bool, g object); define table T (end string, order int)',
    );
    expect(withoutLoc(stream)).toEqual({
      kind: 'stream',
      name: 'S',
      attributes: ['string', 'int', 'long', 'float', 'double', 'bool', 'object'].map((type, i) => ({
        name: 'abcdefg'[i],
        type,
      })),
      annotations: [],
    });
    expect(withoutLoc(table)).toEqual({
      kind: 'table',
      name: 'T',
      attributes: [
        { name: 'end', type: 'string' },
        { name: 'order', type: 'int' },
      ],
      annotations: [],
    });
  });

  it('reads named windows with their output event type', () => {
    const [w1, w2] = elementsOf(
      'define window W (a int) time(2 sec) output expired events; define window W2 (a int) batch();',
    );
    expect(withoutLoc(w1)).toEqual({
      kind: 'window',
      name: 'W',
      attributes: [{ name: 'a', type: 'int' }],
      window: { name: 'time', args: [{ kind: 'time', millis: 2000 }] },
      output: 'expired',
      annotations: [],
    });
    expect(withoutLoc(w2)).toMatchObject({ window: { name: 'batch', args: [] }, output: 'all' });
  });

  it('reads triggers', () => {
    const triggers = elementsOf("define trigger A at 'start'; define trigger B at every 5 sec; define trigger C at '*/1 * * * * ?'");
    expect(triggers.map((t) => (t.kind === 'trigger' ? t.at : undefined))).toEqual([
      { kind: 'start' },
      { kind: 'every', millis: 5000 },
      { kind: 'cron', expression: '*/1 * * * * ?' },
    ]);
  });
});

describe('annotations', () => {
  it('reads a hard keyword as any part of an element key (null.x, not.x, a.null, true), a value true beside it', () => {
    const app = parseApp(`@sink(type = 'log', null.x = '1', not.x = '2', a.null = '3', true = '4', TRUE, false.y-not:null = '5') define stream S (a int);`);
    const [stream] = app.elements;
    expect(withoutLoc(stream!.annotations[0]!.elements)).toEqual([
      { key: 'type', value: 'log' }, { key: 'null.x', value: '1' }, { key: 'not.x', value: '2' }, { key: 'a.null', value: '3' },
      { key: 'true', value: '4' }, { value: 'TRUE' }, { key: 'false.y-not:null', value: '5' },
    ]);
  });

  it('lifts @app annotations to the app and attaches the others to the next element', () => {
    const app = parseApp(`
      @app:name('Shop') @App:playback
      @app:checkpoint(interval = '1 sec', mode = 'incremental')
      @sink(type = 'log', @map(type = 'json'))
      define stream S (a int);
      @PrimaryKey('symbol') @Index('volume')
      define table T (symbol string, volume long);
      @info(name = 'query1') from S insert into T;`);
    expect(withoutLoc(app.annotations)).toEqual([
      { kind: 'annotation', namespace: 'app', name: 'name', elements: [{ value: 'Shop' }], annotations: [] },
      { kind: 'annotation', namespace: 'App', name: 'playback', elements: [], annotations: [] },
      {
        kind: 'annotation',
        namespace: 'app',
        name: 'checkpoint',
        elements: [
          { key: 'interval', value: '1 sec' },
          { key: 'mode', value: 'incremental' },
        ],
        annotations: [],
      },
    ]);
    const [stream, table, query] = app.elements;
    expect(withoutLoc(stream!.annotations)).toEqual([
      {
        kind: 'annotation',
        name: 'sink',
        elements: [{ key: 'type', value: 'log' }],
        annotations: [{ kind: 'annotation', name: 'map', elements: [{ key: 'type', value: 'json' }], annotations: [] }],
      },
    ]);
    expect(table!.annotations.map((a) => [a.name, a.elements[0]!.value])).toEqual([
      ['PrimaryKey', 'symbol'],
      ['Index', 'volume'],
    ]);
    expect(withoutLoc(query!.annotations)).toEqual([
      { kind: 'annotation', name: 'info', elements: [{ key: 'name', value: 'query1' }], annotations: [] },
    ]);
  });

  it('reads dotted keys and several positional values', () => {
    const [table] = elementsOf("@store(type = 'rdbms', jdbc.url = 'x', pool-size = '4') @PrimaryKey('a', 'b') define table T (a int, b int)");
    expect(table!.annotations[0]!.elements.map((e) => e.key)).toEqual(['type', 'jdbc.url', 'pool-size']);
    expect(table!.annotations[1]!.elements.map((e) => e.value)).toEqual(['a', 'b']);
  });
});

describe('partitions', () => {
  it('reads value and range keys and the queries inside', () => {
    const [partition] = elementsOf(`
      @purpose('demo')
      partition with (symbol of S, price >= 100 as 'large' or price < 100 and price >= 50 as 'medium' of T)
      begin
        @info(name = 'q1') from S select symbol insert into #Inner;
        from #Inner insert into Out
      end;`);
    expect(partition!.kind).toBe('partition');
    if (partition!.kind !== 'partition') return;
    expect(partition!.annotations.map((a) => a.name)).toEqual(['purpose']);
    expect(withoutLoc(partition!.keys)).toEqual([
      { kind: 'value', stream: 'S', expression: v('symbol') },
      {
        kind: 'range',
        stream: 'T',
        ranges: [
          { condition: bin('>=', v('price'), int(100)), label: 'large' },
          { condition: bin('and', bin('<', v('price'), int(100)), bin('>=', v('price'), int(50))), label: 'medium' },
        ],
      },
    ]);
    expect(partition!.queries.map((q) => q.output)).toMatchObject([{ target: 'Inner', inner: true }, { target: 'Out' }]);
    expect(partition!.queries[0]!.annotations[0]!.name).toBe('info');
    expect(partition!.queries[1]!.input).toMatchObject({ stream: 'Inner', inner: true });
  });

  it('accepts a partition without a final semicolon, followed by nothing', () => {
    expect(elementsOf('define stream S (a int); partition with (a of S) begin from S insert into O; end ')).toHaveLength(2);
  });
});

describe('app text', () => {
  it('skips comments and accepts extra or missing final semicolons', () => {
    const app = parseApp(`
      -- a line comment
      define stream S (a int);; /* a block
      comment */ from S select a insert into T
    `);
    expect(app.elements.map((e) => e.kind)).toEqual(['stream', 'query']);
    expect(parseApp('').elements).toEqual([]);
    expect(parseApp(';;').elements).toEqual([]);
  });

  it('treats keywords case-insensitively', () => {
    const app = parseApp('DEFINE STREAM S (a INT); FROM S[a > 1] SELECT a AS b INSERT ALL EVENTS INTO T');
    expect(withoutLoc(app.elements[1])).toMatchObject({ selector: { attributes: [{ rename: 'b' }] }, output: { events: 'all' } });
  });

  it('accepts back-quoted names', () => {
    expect(elementsOf('define stream `my stream` (`from` int)')[0]).toMatchObject({ name: 'my stream', attributes: [{ name: 'from' }] });
  });

  it('records locations of elements and attributes', () => {
    const [stream, query] = elementsOf('define stream S (a int);\n  from S select a insert into T;');
    expect(stream!.loc).toEqual({ line: 1, column: 1, offset: 0 });
    expect(query!.loc).toEqual({ line: 2, column: 3, offset: 27 });
    expect(stream!.kind === 'stream' && stream!.attributes[0]!.loc).toEqual({ line: 1, column: 18, offset: 17 });
  });

  it('parses a filter with string literals of both quote styles', () => {
    const [, query] = elementsOf(`define stream S (a string); from S[a == "x" or a == 'y'] insert into T`);
    expect(query!.kind === 'query' && withoutLoc(query!.input)).toMatchObject({
      handlers: [{ condition: bin('or', bin('==', v('a'), str('x')), bin('==', v('a'), str('y'))) }],
    });
  });
});
