// Sink and source mapper examples from the reference mappers' documentation
// (siddhi-map-text, -json, -xml, -csv, -keyvalue: docs/api/latest.md, the
// @Extension examples), run through the public API with the inMemory broker.
// Where the doc's sample output is hand-written (Rs1000/= for a float 1000),
// the expectation is what the reference's code writes (String.valueOf: 1000.0).

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';

/** Starts `app` (playback), subscribes to `topics`, sends `rows` to stream S; returns the payloads and the errors. */
function run(app: string, topics: string[], rows: unknown[][]): { got: unknown[]; errors: string[] } {
  const manager = new SiddhiManager();
  const runtime = manager.createSiddhiAppRuntime(`@app:playback\n${app}`);
  const got: unknown[] = [];
  const errors: string[] = [];
  runtime.onError((e) => errors.push(e.message));
  for (const t of topics) manager.broker.subscribe(t, (m) => got.push(m));
  runtime.start();
  for (const r of rows) runtime.getInputHandler('S').send(r, 1000);
  runtime.shutdown();
  return { got, errors };
}

describe('doubles in sink payloads, as Java writes them (String.valueOf / Gson)', () => {
  const rows = [['WSO2', 25, 100], ['IBM', 1e10, 7], ['X', 1.5e-5, 1], ['Y', 5e-324, 2]];

  it('@payload templates of the text mapper (siddhi-map-text sink example 3 with a double price)', () => {
    const { got } = run(`define stream S (symbol string, price double, volume long);
      @sink(type='inMemory', topic='stock', @map(type='text', @payload("SensorID : {{symbol}}/{{volume}}, SensorPrice : Rs{{price}}/=, Value : {{volume}}ml")))
      define stream FooStream (symbol string, price double, volume long);
      from S select * insert into FooStream;`, ['stock'], rows);
    expect(got).toEqual([
      'SensorID : WSO2/100, SensorPrice : Rs25.0/=, Value : 100ml',
      'SensorID : IBM/7, SensorPrice : Rs1.0E10/=, Value : 7ml',
      'SensorID : X/1, SensorPrice : Rs1.5E-5/=, Value : 1ml',
      'SensorID : Y/2, SensorPrice : Rs4.9E-324/=, Value : 2ml',
    ]);
  });

  it('the default text, xml and json mappings (siddhi-map-text, -xml, -json sink example 1 with a double price)', () => {
    const { got } = run(`define stream S (symbol string, price double, volume long);
      @sink(type='inMemory', topic='text', @map(type='text'))
      @sink(type='inMemory', topic='xml', @map(type='xml'))
      @sink(type='inMemory', topic='json', @map(type='json'))
      define stream FooStream (symbol string, price double, volume long);
      from S select * insert into FooStream;`, ['text', 'xml', 'json'], rows.slice(0, 2));
    expect(got).toEqual([
      'symbol:"WSO2",\nprice:25.0,\nvolume:100',
      '<events><event><symbol>WSO2</symbol><price>25.0</price><volume>100</volume></event></events>',
      '{"event":{"symbol":"WSO2","price":25.0,"volume":100}}',
      'symbol:"IBM",\nprice:1.0E10,\nvolume:7',
      '<events><event><symbol>IBM</symbol><price>1.0E10</price><volume>7</volume></event></events>',
      '{"event":{"symbol":"IBM","price":1.0E10,"volume":7}}',
    ]);
  });

  it('json: a float 100 as Gson writes a Float (100.0), NaN as NaN, and a null as "undefined" (the reference replaces nulls first) unless enable.null.attribute.value', () => {
    const { got } = run(`define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='a', @map(type='json'))
      @sink(type='inMemory', topic='c', @map(type='json', @payload("""{"s":"{{symbol}}","p":{{price}}}""")))
      define stream FooStream (symbol string, price float, volume long);
      -- A stream of its own: the reference hands one Event to each sink of a stream in turn, and a json
      -- mapper's 'undefined' fill changes that Event in place, so a later sink there would see it too.
      @sink(type='inMemory', topic='b', @map(type='json', enable.null.attribute.value='true'))
      define stream KeepingNull (symbol string, price float, volume long);
      from S select * insert into FooStream;
      from S select * insert into KeepingNull;`, ['a', 'b', 'c'], [[null, 100, 1], ['N', NaN, null]]);
    expect(got).toEqual([
      '{"event":{"symbol":"undefined","price":100.0,"volume":1}}',
      '{"s":"undefined","p":100.0}',
      '{"event":{"symbol":null,"price":100.0,"volume":1}}',
      '{"event":{"symbol":"N","price":NaN,"volume":"undefined"}}',
      '{"s":"N","p":NaN}',
      '{"event":{"symbol":"N","price":NaN,"volume":null}}',
    ]);
  });
});

describe('maps in a json sink payload, as gson.toJsonTree writes them', () => {
  it('a double or float put into the map keeps its class (25.0, 55.6, 1.5E10); nulls left out (review docs-fidelity finding 6)', () => {
    // Java 17 + Gson 2.10, HashMap {p=25.0, s=a/b<c€, f=55.6f, i=7, z=null, n=1.5E10}: toJsonTree(m).toString()
    // gives {"p":25.0,"s":"a/b<c€","f":55.6,"i":7,"n":1.5E10}.
    const { got } = run(`define stream S (p double, s string, f float, i int);
      @sink(type='inMemory', topic='m', @map(type='json'))
      define stream O (m object);
      from S select map:create('p', p, 's', s, 'f', f, 'i', i, 'z', null, 'n', 1.5e10) as m insert into O;`, ['m'], [[25, 'a/b<c€', 55.6, 7]]);
    expect(got).toEqual(['{"event":{"m":{"p":25.0,"s":"a/b<c€","f":55.6,"i":7,"n":1.5E10}}}']);
  });
});

describe('event grouping', () => {
  const batch = (map: string) => `define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='stock', ${map})
      define stream FooStream (symbol string, price float, volume long);
      from S#window.lengthBatch(2) select * insert into FooStream;`;
  const rows = [['WSO2', 55.6, 100], ['IBM', 7.5, 10]];

  it("text event.grouping.enabled='true' joins a chunk's events with a ~~~~~~~~~~ line (siddhi-map-text sink examples 2 and 4)", () => {
    expect(run(batch(`@map(type='text', event.grouping.enabled='true')`), ['stock'], rows).got).toEqual([
      'symbol:"WSO2",\nprice:55.6,\nvolume:100\n~~~~~~~~~~\nsymbol:"IBM",\nprice:7.5,\nvolume:10',
    ]);
    expect(run(batch(`@map(type='text', event.grouping.enabled='true', @payload("Stock price of {{symbol}} is {{price}}"))`), ['stock'], rows).got).toEqual([
      'Stock price of WSO2 is 55.6\n~~~~~~~~~~\nStock price of IBM is 7.5',
    ]);
    expect(run(batch(`@map(type='text', event.grouping.enabled='true', delimiter='####', @payload("{{symbol}}"))`), ['stock'], rows).got).toEqual([
      'WSO2\n####\nIBM',
    ]);
    expect(run(batch(`@map(type='text', @payload("{{symbol}}"))`), ['stock'], rows).got).toEqual(['WSO2', 'IBM']);
  });

  it("json event.grouping.enabled='false' publishes each event of a chunk on its own", () => {
    expect(run(batch(`@map(type='json', event.grouping.enabled='false')`), ['stock'], rows).got).toEqual([
      '{"event":{"symbol":"WSO2","price":55.6,"volume":100}}',
      '{"event":{"symbol":"IBM","price":7.5,"volume":10}}',
    ]);
  });

  it('refuses an object @payload (an attribute name alone) as the reference text, json and xml mappers do', () => {
    for (const type of ['text', 'json', 'xml']) {
      expect(() => new SiddhiManager().createSiddhiAppRuntime(`define stream FooStream (symbol string);
        @sink(type='inMemory', topic='t', @map(type='${type}', @payload('symbol'))) define stream Out (symbol string);
        from FooStream select * insert into Out;`)).toThrow(/object @payload mapping/);
    }
  });
});

/** Starts `app` (playback), publishes `payloads` to topic 'in', returns stream Out's rows and the errors. */
function feed(app: string, payloads: unknown[]): { rows: unknown[][]; errors: string[] } {
  const manager = new SiddhiManager();
  const runtime = manager.createSiddhiAppRuntime(`@app:playback\n${app}\nfrom FooStream select * insert into Out;`);
  const rows: unknown[][] = [];
  const errors: string[] = [];
  runtime.onError((e) => errors.push(e.message));
  runtime.addCallback('Out', (es) => rows.push(...es.map((e) => [...e.data])));
  runtime.start();
  for (const p of payloads) manager.broker.publish('in', p);
  runtime.shutdown();
  return { rows, errors };
}

describe('text source mapper (siddhi-map-text source examples)', () => {
  it("example 1: quoted with \" or ', and with event.grouping.enabled one event per part between ~~~~~~~~~~ lines", () => {
    expect(feed(`@source(type='inMemory', topic='in', @map(type='text'))
      define stream FooStream (symbol string, price float, volume long);`,
    ['symbol:"WSO2",\nprice:55.6,\nvolume:100', "symbol:'WSO2',\nprice:55.6,\nvolume:100"]).rows).toEqual([
      ['WSO2', Math.fround(55.6), 100], ['WSO2', Math.fround(55.6), 100],
    ]);
    const { rows, errors } = feed(`@source(type='inMemory', topic='in', @map(type='text', event.grouping.enabled='true'))
      define stream FooStream (symbol string, price float, volume long);`,
    ['symbol:"WSO2",\nprice:55.6,\nvolume:100\n~~~~~~~~~~\nsymbol:"IBM",\nprice:1,000.5,\nvolume:7\n~~~~~~~~~~\nsymbol:"BAD",\nprice:x,\nvolume:1']);
    expect(rows).toEqual([['WSO2', Math.fround(55.6), 100], ['IBM', 1000.5, 7]]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("attribute 'price': 'x' is not a float");
  });

  it("example 2: regex groups, 'B' meaning group 1 of regex.B", () => {
    expect(feed(`@source(type='inMemory', topic='in', @map(type='text', fail.on.missing.attribute = 'true', regex.A='(\\w+)\\s([-0-9]+)',regex.B='volume\\s([-0-9]+)', @attributes(symbol = 'A[1]',price = 'A[2]',volume = 'B')))
      define stream FooStream (symbol string, price float, volume long);`, ['wos2 550 volume 100']).rows).toEqual([['wos2', 550, 100]]);
  });
});

describe('csv mappers (siddhi-map-csv examples)', () => {
  const sink = (map: string, window = '') => `define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='{{symbol}}', ${map})
      define stream BarStream (symbol string, price float, volume long);
      from S${window} select * insert into BarStream;`;

  it('sink example 1: a record and its line separator; header and delimiter; nulls and quoting as Commons CSV', () => {
    expect(run(sink(`@map(type='csv')`), ['WSO2'], [['WSO2', 55.6, 100]]).got).toEqual(['WSO2,55.6,100\n']);
    expect(run(sink(`@map(type='csv', header='true', delimiter='-')`), ['WSO2'], [['WSO2', 55.6, 100], ['WSO2', 7, null]]).got).toEqual([
      'symbol-price-volume\n', 'WSO2-55.6-100\n', 'WSO2-7.0-null\n',
    ]);
    expect(run(sink(`@map(type='csv')`), ['a,b', ' x', 'q"'], [['a,b', 1, 1], [' x', 1, 1], ['q"', 1, 1]]).got).toEqual([
      '"a,b",1.0,1\n', '" x",1.0,1\n', '"q""",1.0,1\n',
    ]);
  });

  it('sink example 2: @payload column positions, with header and with event grouping', () => {
    expect(run(sink(`@map(type='csv', @payload(symbol='0',price='2',volume='1'))`), ['WSO2'], [['WSO2', 55.6, 100]]).got).toEqual(['WSO2,100,55.6\n']);
    expect(run(sink(`@map(type='csv',header='true',delimiter='-',@payload(symbol='0',price='2',volume='1'))`), ['WSO2'], [['WSO2', 55.6, 100]]).got)
      .toEqual(['symbol-volume-price\n', 'WSO2-100-55.6\n']);
    expect(run(sink(`@map(type='csv', delimiter='-', event.grouping.enabled='true')`, '#window.lengthBatch(3)'), ['WSO2'],
      [['WSO2', 55.6, 100], ['WSO2', 55.6, 100], ['WSO2', 55.6, 100]]).got).toEqual(['WSO2-55.6-100\nWSO2-55.6-100\nWSO2-55.6-100\n']);
  });

  it('source example 1: a quoted field keeps its delimiters; several lines are several events', () => {
    expect(feed(`@source(type='inMemory', topic='in', @map(type='csv'))
      define stream FooStream (symbol string, price float, volume int);`,
    ['WSO2,55.6,100', '"WSO2,No10,Palam Groove Rd,Col-03",55.6,100', 'A,1,2\nB,3,4\n']).rows).toEqual([
      ['WSO2', Math.fround(55.6), 100], ['WSO2,No10,Palam Groove Rd,Col-03', Math.fround(55.6), 100], ['A', 1, 2], ['B', 3, 4],
    ]);
  });

  it("source example 2: @attributes column positions; header='true' skips the first payload", () => {
    expect(feed(`@source(type='inMemory', topic='in', @map(type='csv',header='true', @attributes(symbol = "2", price = "0", volume = "1")))
      define stream FooStream (symbol string, price float, volume long);`,
    ['price,volume,symbol', '55.6,100,WSO2', '55.6,100,"WSO2,No10,Palm Groove Rd,Col-03"']).rows).toEqual([
      ['WSO2', Math.fround(55.6), 100], ['WSO2,No10,Palm Groove Rd,Col-03', Math.fround(55.6), 100],
    ]);
  });

  it("values read as AttributeConverter reads them: blanks around an int fail (Integer.parseInt), around a double are trimmed, NaN is a double, ' true' is false", () => {
    const { rows, errors } = feed(`@source(type='inMemory', topic='in', @map(type='csv'))
      define stream FooStream (symbol string, price double, volume int, ok bool);`,
    ['A, 55.6 ,100,true', 'B,NaN, 100,true', 'C,-Infinity,7, true', 'D,1,2,TRUE']);
    expect(rows).toEqual([['A', 55.6, 100, true], ['C', -Infinity, 7, false], ['D', 1, 2, true]]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("' 100' is not a int");
  });

  it("the text null is no null: a number fails, a bool is false (review docs-fidelity finding 7)", () => {
    // Java 17 + commons-csv 1.9, CSVFormat.DEFAULT: the field is the text "null"; Integer.parseInt and
    // Double.parseDouble throw NumberFormatException, Boolean.parseBoolean gives false.
    const { rows, errors } = feed(`@source(type='inMemory', topic='in', @map(type='csv'))
      define stream FooStream (symbol string, n int, d double, b bool);`,
    ['WSO2,null,1.5,true', 'IBM,1,null,true', 'X,2,2.5,null', 'null,3,3.5,false']);
    expect(rows).toEqual([['X', 2, 2.5, false], ['null', 3, 3.5, false]]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain("'null' is not a int");
    expect(errors[1]).toContain("'null' is not a double");
  });
});

describe("text sink mustache.enabled='true' (siddhi-map-text sink example 5)", () => {
  it('writes {{{a}}} as is and {{a}} HTML-escaped, a null as nothing', () => {
    const { got } = run(`define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='stock', @map(type='text', mustache.enabled='true',  @payload("SensorID : {{{symbol}}}/{{{volume}}}, SensorPrice : Rs{{{price}}}/=, Value : {{{volume}}}ml")))
      @sink(type='inMemory', topic='escaped', @map(type='text', mustache.enabled='true',  @payload("{{symbol}}|{{&symbol}}|{{ volume }}|{{nothing}}")))
      define stream FooStream (symbol string, price float, volume long);
      from S select * insert into FooStream;`, ['stock', 'escaped'], [['a&b', 1000, 100], ['"x"=<y>', 1.5, null]]);
    expect(got).toEqual([
      'SensorID : a&b/100, SensorPrice : Rs1000.0/=, Value : 100ml',
      'a&amp;b|a&b|100|',
      'SensorID : "x"=<y>/, SensorPrice : Rs1.5/=, Value : ml',
      '&quot;x&quot;&#61;&lt;y&gt;|"x"=<y>||',
    ]);
  });
});

describe('json validate.json reads as Gson fromJson(s, Object.class), leniently', () => {
  it('publishes what the lenient reader reads ({"Symbol":WSO2}, NaN in the default body) and drops a broken structure', () => {
    const { got, errors } = run(`define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='t', @map(type='json', validate.json='true', @payload("""{"Symbol":{{symbol}}}""")))
      @sink(type='inMemory', topic='d', @map(type='json', validate.json='true'))
      define stream FooStream (symbol string, price float, volume long);
      from S select * insert into FooStream;`, ['t', 'd'], [['WSO2', NaN, 1], ['a b', 1, 1]]);
    expect(got).toEqual([
      '{"Symbol":WSO2}',
      '{"event":{"symbol":"WSO2","price":NaN,"volume":1}}',
      '{"event":{"symbol":"a b","price":1.0,"volume":1}}',
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('{"Symbol":a b}');
  });

  it("with event.grouping.enabled='false' a payload that is not JSON drops that event alone, not its chunk", () => {
    const { got, errors } = run(`define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='t', @map(type='json', event.grouping.enabled='false', validate.json='true', @payload("""{"s":{{symbol}}}""")))
      define stream FooStream (symbol string, price float, volume long);
      from S#window.lengthBatch(3) select * insert into FooStream;`, ['t'], [['"a"', 1, 1], ['b c', 1, 1], ['"c"', 1, 1]]);
    expect(got).toEqual(['{"s":"a"}', '{"s":"c"}']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('{"s":b c}');
  });
});

describe("xml sink validate.xml='true' (siddhi-map-xml sink example 3)", () => {
  it('drops and reports a templated payload that is not well-formed XML; without it the payload is published', () => {
    const { got, errors } = run(`define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='checked', @map(type='xml', enclosing.element='<portfolio>', validate.xml='true',
        @payload("<StockData><Symbol>{{symbol}}</Symbol><Price>{{price}}</Price></StockData>")))
      @sink(type='inMemory', topic='plain', @map(type='xml', enclosing.element='<portfolio>',
        @payload("<StockData><Symbol>{{symbol}}</Symbol><Price>{{price}}</Price></StockData>")))
      define stream FooStream (symbol string, price float, volume long);
      from S select * insert into FooStream;`, ['checked', 'plain'], [['WSO2', 55.6, 100], ['a<b', 1, 1]]);
    expect(got).toEqual([
      '<portfolio><StockData><Symbol>WSO2</Symbol><Price>55.6</Price></StockData></portfolio>',
      '<portfolio><StockData><Symbol>WSO2</Symbol><Price>55.6</Price></StockData></portfolio>',
      '<portfolio><StockData><Symbol>a<b</Symbol><Price>1.0</Price></StockData></portfolio>',
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("invalid XML (validate.xml='true')");
  });
});

describe('object attributes in text, csv and xml payloads are written as Java toString (String.valueOf)', () => {
  it('a map as {k=v, …} in HashMap order, a list as [a, b]', () => {
    const { got } = run(`define stream S (symbol string, price double);
      @sink(type='inMemory', topic='t', @map(type='text'))
      @sink(type='inMemory', topic='t', @map(type='text', @payload('m={{m}} l={{l}}')))
      @sink(type='inMemory', topic='t', @map(type='csv'))
      @sink(type='inMemory', topic='t', @map(type='xml'))
      define stream FooStream (m object, l object);
      from S select map:create('volume', 100, 'symbol', symbol, 'price', price) as m, list:create(symbol, 'b') as l insert into FooStream;`, ['t'], [['WSO2', 55.5]]);
    expect(got).toEqual([
      'm:{volume=100, symbol=WSO2, price=55.5},\nl:[WSO2, b]',
      'm={volume=100, symbol=WSO2, price=55.5} l=[WSO2, b]',
      '"{volume=100, symbol=WSO2, price=55.5}","[WSO2, b]"\n',
      '<events><event><m>{volume=100, symbol=WSO2, price=55.5}</m><l>[WSO2, b]</l></event></events>',
    ]);
  });
});

describe('json default body: object attributes as the reference adds them (String, Number, Boolean, non-empty Map)', () => {
  it('leaves out a list and an empty map, writes a non-empty map', () => {
    const { got } = run(`define stream S (symbol string, price double);
      @sink(type='inMemory', topic='t', @map(type='json'))
      define stream FooStream (price double, l object, m object, e object);
      from S select price, list:create(price, 2.0) as l, map:create('k', symbol) as m, map:create() as e insert into FooStream;`, ['t'], [['v', 25]]);
    expect(got).toEqual(['{"event":{"price":25.0,"m":{"k":"v"}}}']);
  });

  it('writes a map as gson.toJsonTree: HashMap order, a fractional double as Double.toString, null members left out unless enable.null.attribute.value, no HTML escapes', () => {
    const { got } = run(`define stream S (symbol string, volume long, ratio double, note string);
      @sink(type='inMemory', topic='a', @map(type='json'))
      @sink(type='inMemory', topic='b', @map(type='json', enable.null.attribute.value='true'))
      define stream FooStream (m object);
      from S select map:create('symbol', symbol, 'volume', volume, 'ratio', ratio, 'note', note) as m insert into FooStream;`, ['a', 'b'], [['a<b', 100, 0.0001, null]]);
    expect(got).toEqual([
      '{"event":{"m":{"volume":100,"symbol":"a<b","ratio":1.0E-4}}}',
      '{"event":{"m":{"volume":100,"symbol":"a<b","note":null,"ratio":1.0E-4}}}',
    ]);
  });

  it('escapes U+2028 and U+2029 in strings as Gson does', () => {
    const { got } = run(`define stream S (symbol string);
      @sink(type='inMemory', topic='t', @map(type='json'))
      define stream FooStream (symbol string);
      from S select * insert into FooStream;`, ['t'], [['a\u2028b\u2029c']]);
    expect(got).toEqual(['{"event":{"symbol":"a\\u2028b\\u2029c"}}']);
  });
});

describe('per-event sink options with nulls', () => {
  it("the json mapper's \"undefined\" in place of a null is in the topic too (t-undefined), unless enable.null.attribute.value", () => {
    const { got } = run(`define stream S (symbol string, v int);
      @sink(type='inMemory', topic='j-{{symbol}}', @map(type='json', @payload("""{"v":{{v}}}""")))
      @sink(type='inMemory', topic='n-{{symbol}}', @map(type='json', enable.null.attribute.value='true', @payload("""{"v":{{v}}}""")))
      @sink(type='inMemory', topic='x-{{symbol}}', @map(type='text', @payload("{{v}}")))
      define stream FooStream (symbol string, v int);
      from S select * insert into FooStream;`, ['j-undefined', 'n-null', 'x-null'], [[null, 1]]);
    expect(got).toEqual(['{"v":1}', '{"v":1}', '1']);
  });
});

describe('text sink options and template forms', () => {
  it("new.line.character ends the default mapping's lines and surrounds the grouping delimiter", () => {
    const { got } = run(`define stream S (symbol string, v int);
      @sink(type='inMemory', topic='t', @map(type='text', event.grouping.enabled='true', delimiter='##', new.line.character='|'))
      define stream FooStream (symbol string, v int);
      from S#window.lengthBatch(2) select * insert into FooStream;`, ['t'], [['A', 1], ['B', 2]]);
    expect(got).toEqual(['symbol:"A",|v:1|##|symbol:"B",|v:2']);
  });

  it('a template in backticks with no white space loses them', () => {
    const { got } = run(`define stream S (symbol string);
      @sink(type='inMemory', topic='t', @map(type='text', @payload("\`{{symbol}}-x\`")))
      @sink(type='inMemory', topic='t', @map(type='text', @payload("\`{{symbol}} x\`")))
      define stream FooStream (symbol string);
      from S select * insert into FooStream;`, ['t'], [['A']]);
    expect(got).toEqual(['A-x', '`A x`']);
  });
});
