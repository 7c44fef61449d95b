// Source mappers through inMemory sources: payload in, events (or the reported reason) out.
import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';

/** Runs `stream` with a `topic` inMemory source and returns what each published payload gave. */
function mapWith(map: string, stream: string) {
  const manager = new SiddhiManager();
  const runtime = manager.createSiddhiAppRuntime(`@source(type='inMemory', topic='t', ${map}) ${stream}; from S select * insert into Out;`);
  const out: unknown[][] = [];
  const errors: string[] = [];
  runtime.addCallback('Out', (es) => out.push(...es.map((e) => [...e.data])));
  runtime.onError((e) => errors.push(e.message));
  runtime.start();
  return {
    publish(payload: unknown) {
      manager.broker.publish('t', payload);
      const result = { out: out.splice(0), errors: errors.splice(0) };
      return result;
    },
    shutdown: () => runtime.shutdown(),
  };
}

describe('text source mapper with regex groups', () => {
  it("reads @attributes(a='A[1]') from the first match of regex.A, typed by the attribute", () => {
    const m = mapWith(`@map(type='text', regex.A='name=(\\w+)', regex.B='n=(\\d+);t=(\\w+)', @attributes(name='A[1]', n='B[1]', tag='B[2]'))`,
      'define stream S (name string, n int, tag string)');
    expect(m.publish('name=ann n=12;t=x')).toEqual({ out: [['ann', 12, 'x']], errors: [] });
    expect(m.publish('name=bob n=big').errors).toEqual([expect.stringMatching(/payload does not map: attribute 'n': no match of .* group 1/)]);
    m.shutdown();
  });

  it("fail.on.missing.attribute='false' gives null for no match; a bad group reference is a plan error", () => {
    const m = mapWith(`@map(type='text', fail.on.missing.attribute='false', regex.A='a=(\\d+)', @attributes(a='A[1]'))`, 'define stream S (a long)');
    expect(m.publish('nothing').out).toEqual([[null]]);
    m.shutdown();
    expect(() => mapWith(`@map(type='text', @attributes(a='A[1]'))`, 'define stream S (a long)')).toThrow(/@source of stream 'S', @map.*no regex.A='…'/);
    expect(() => mapWith(`@map(type='text', regex.A='x', @attributes(a='$.a'))`, 'define stream S (a long)')).toThrow(/'\$\.a' is not a regex group like 'A\[1\]'/);
  });
});

describe('json source mapper custom mapping', () => {
  it("reads a value's text as the attribute's type, as the reference does", () => {
    const m = mapWith(`@map(type='json', @attributes(a='$.a', b='$.b', s='$.s'))`, 'define stream S (a long, b double, s string)');
    expect(m.publish('{"a":"12","b":"1.5","s":7}')).toEqual({ out: [[12, 1.5, '7']], errors: [] });
    expect(m.publish('{"a":"12x","b":1,"s":"k"}').errors).toEqual([expect.stringMatching(/attribute 'a': '12x' is not a long/)]);
    m.shutdown();
  });

  it('a long beyond 64 bits and a double with blanks other than those trim() removes fail, as Long.parseLong and Double.parseDouble (review docs-fidelity finding 10)', () => {
    // Java 17: Long.parseLong("9223372036854775808") and Double.parseDouble("\u00A09.5") throw NumberFormatException;
    // parseLong("-9223372036854775808") and parseDouble(" 9.5 ") are read.
    const m = mapWith(`@map(type='json', @attributes(a='$.a', d='$.d'))`, 'define stream S (a long, d double)');
    expect(m.publish('{"a":"-9223372036854775808","d":" 9.5 "}')).toEqual({ out: [[-9223372036854775808, 9.5]], errors: [] });
    expect(m.publish('{"a":"9223372036854775808","d":"1"}').errors).toEqual([expect.stringMatching(/attribute 'a': '9223372036854775808' is not a long/)]);
    expect(m.publish('{"a":"1","d":"\u00a09.5"}').errors).toEqual([expect.stringMatching(/attribute 'd': .* is not a double/)]);
    expect(m.publish('{"a":"1","d":"9.5\u3000"}').errors).toEqual([expect.stringMatching(/attribute 'd': .* is not a double/)]);
    m.shutdown();
  });

  it('reads paths as Jayway JsonPath does (wildcards, filters, deep scans) and values as their Java text (25.0 stays 25.0)', () => {
    const m = mapWith(`@map(type='json', @attributes(names='$.items[*].name', big="$.items[?(@.qty > 1)].name", price='$.items[0].price',
      all='$..qty', first='items[0]', n='$.items[1].qty'))`, 'define stream S (names string, big string, price string, all string, first string, n int)');
    expect(m.publish('{"items":[{"name":"a","price":25.0,"qty":1},{"name":"c","price":2,"qty":3}]}')).toEqual({
      out: [['["a","c"]', '["c"]', '25.0', '[1,3]', '{"name":"a","price":25.0,"qty":1}', 3]], errors: [],
    });
    // Integer.parseInt("2.5") fails as in the reference's AttributeConverter.
    expect(m.publish('{"items":[{"name":"a","price":1,"qty":1},{"name":"c","price":2,"qty":2.5}]}').errors)
      .toEqual([expect.stringMatching(/attribute 'n': '2.5' is not a int/)]);
    m.shutdown();
  });

  it("writes a list as json-smart's JSONArray.toString: '/' as '\\/', U+007F–U+009F and U+2000–U+20FF as uppercase \\uXXXX (review docs-fidelity finding 4)", () => {
    // Java 17 + json-path 2.0.0 / json-smart 2.2: String.valueOf(JsonPath.read(doc, "$.items[*]")) and "$.items[*].name".
    const m = mapWith(`@map(type='json', @attributes(names='$.items[*].name', items='$.items[*]'))`, 'define stream S (names string, items string)');
    expect(m.publish('{"items":[{"name":"a/b","q":1.0},{"name":"c\u20ac\u0085","q":null}]}')).toEqual({
      out: [['["a\\/b","c\\u20AC\\u0085"]', '[{"name":"a\\/b","q":1.0},{"name":"c\\u20AC\\u0085","q":null}]']], errors: [],
    });
    m.shutdown();
  });

  it('keeps the members in document order, integer-like keys included (JsonPath reads a LinkedHashMap)', () => {
    const m = mapWith(`@map(type='json', @attributes(all='$.*', doc='$.d'))`, 'define stream S (all string, doc string)');
    // Java 17 + json-path/json-smart/Gson: $.* gives [1,{"x":2,"10":3},3], $.d gives {"x":2,"10":3}.
    expect(m.publish('{"b":1,"d":{"x":2,"10":3},"1":3}')).toEqual({ out: [['[1,{"x":2,"10":3},3]', '{"x":2,"10":3}']], errors: [] });
    m.shutdown();
  });
});

describe('keyvalue mappers', () => {
  it('reads a Map, an object or form text by attribute name; types must fit unless implicit.cast.enable', () => {
    const m = mapWith(`@map(type='keyvalue')`, 'define stream S (symbol string, price float, volume long)');
    expect(m.publish(new Map<string, unknown>([['symbol', 'WSO2'], ['price', 55.5], ['volume', 100]])).out).toEqual([['WSO2', 55.5, 100]]);
    expect(m.publish({ symbol: 'IBM', price: 1, volume: 2, extra: true }).out).toEqual([['IBM', 1, 2]]);
    expect(m.publish('symbol=A%20B&price=2.5&volume=7').out).toEqual([['A B', 2.5, 7]]);
    expect(m.publish({ symbol: 'X', price: '1.5', volume: 1 }).errors)
      .toEqual([expect.stringMatching(/attribute 'price' expects float, got string '1.5' \(implicit.cast.enable='false'\)/)]);
    expect(m.publish({ symbol: 'X', price: 1.5 }).errors).toEqual([expect.stringMatching(/no key 'volume' for attribute 'volume'/)]);
    expect(m.publish([1, 2]).errors).toEqual([expect.stringMatching(/keyvalue expects a Map, an object or form text, got an array/)]);
    m.shutdown();
  });

  it('@attributes names the keys; implicit.cast.enable parses; fail.on.missing.attribute=false gives null', () => {
    const m = mapWith(`@map(type='keyvalue', implicit.cast.enable='true', fail.on.missing.attribute='false', @attributes(symbol='s', price='p', volume='v'))`,
      'define stream S (symbol string, price double, volume long)');
    expect(m.publish({ s: 'WSO2', p: '55.6', v: '100' }).out).toEqual([['WSO2', 55.6, 100]]);
    expect(m.publish({ s: 'WSO2' }).out).toEqual([['WSO2', null, null]]);
    expect(m.publish({ s: 'W', p: 'cheap', v: 1 }).errors).toEqual([expect.stringMatching(/attribute 'price' expects double, got string 'cheap'$/)]);
    m.shutdown();
  });

  it('the sink publishes one object per event, keys the attribute names or @payload', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`
      define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='plain', @map(type='keyvalue')) define stream A (symbol string, price float, volume long);
      @sink(type='inMemory', topic='custom', @map(type='keyvalue', @payload(a='symbol', b='{{symbol}} is here', c='\`price\`', d='volume')))
      define stream B (symbol string, price float, volume long);
      from S select * insert into A;
      from S select * insert into B;`);
    const got: unknown[] = [];
    manager.broker.subscribe('plain', (m) => got.push(m));
    manager.broker.subscribe('custom', (m) => got.push(m));
    runtime.start();
    runtime.getInputHandler('S').send(['WSO2', 55.5, 100]);
    runtime.shutdown();
    expect(got).toEqual([{ symbol: 'WSO2', price: 55.5, volume: 100 }, { a: 'WSO2', b: 'WSO2 is here', c: 'price', d: 100 }]);
    expect(() => new SiddhiManager().createSiddhiAppRuntime(`@sink(type='inMemory', topic='t', @map(type='keyvalue', @payload('symbol'))) define stream B (symbol string);`))
      .toThrow(/@sink of stream 'B', @map.*keyvalue @payload needs key='value' elements/);
  });
});

describe('xml source mapper', () => {
  it("reads the default <events><event>…</event></events>, ignoring unknown elements; xsi:nil is null", () => {
    const m = mapWith(`@map(type='xml')`, 'define stream S (symbol string, price float, volume long)');
    const xml = '<events><event><symbol>WSO2</symbol><price>55.5</price><volume>100</volume><note>x</note></event>'
      + '<event><symbol>IBM &amp; co</symbol><price xsi:nil="true"/><volume>7</volume></event></events>';
    expect(m.publish(xml)).toEqual({ out: [['WSO2', 55.5, 100], ['IBM & co', null, 7]], errors: [] });
    expect(m.publish('<event><symbol>A</symbol></event>').errors).toEqual([expect.stringMatching(/the root element is <event>, the default mapping reads <events>/)]);
    expect(m.publish('<events><event><symbol>A</symbol><price>1</price></event></events>').errors).toEqual([expect.stringMatching(/attribute 'volume': no <volume> in the event/)]);
    expect(m.publish('<events><event><symbol>A</symbol><price>cheap</price><volume>1</volume></event></events>').errors).toEqual([expect.stringMatching(/attribute 'price': 'cheap' is not a float/)]);
    expect(m.publish('<events><event>').errors).toEqual([expect.stringMatching(/payload does not map: not well-formed XML: element 'event' is not closed/)]);
    m.shutdown();
  });

  it('maps @attributes XPaths under enclosing.element (children as events, or the elements themselves)', () => {
    const portfolio = '<portfolio xmlns:dt="urn:schemas-microsoft-com:datatypes"><stock exchange="nasdaq"><volume>100</volume>'
      + '<company><symbol>WSO2</symbol></company><price dt:type="number">55.6</price></stock>'
      + '<stock exchange="nyse"><volume>200</volume><company><symbol>IBM</symbol></company><price>12</price></stock></portfolio>';
    const children = mapWith(`@map(type='xml', namespaces="dt=urn:schemas-microsoft-com:datatypes", enclosing.element="//portfolio",
      @attributes(symbol="company/symbol", price="price", volume="volume", exchange="@exchange", kind="price/@dt:type"))`,
    'define stream S (symbol string, price double, volume long, exchange string, kind string)');
    expect(children.publish(portfolio).errors[0]).toMatch(/attribute 'kind': XPath 'price\/@dt:type' finds nothing/);
    children.shutdown();
    const lenient = mapWith(`@map(type='xml', enclosing.element="/portfolio", fail.on.missing.attribute='false',
      @attributes(symbol="company/symbol", price="price", volume="volume", exchange="@exchange", kind="price/@type"))`,
    'define stream S (symbol string, price double, volume long, exchange string, kind string)');
    expect(lenient.publish(portfolio).out).toEqual([['WSO2', 55.6, 100, 'nasdaq', 'number'], ['IBM', 12, 200, 'nyse', null]]);
    lenient.shutdown();
    const asEvent = mapWith(`@map(type='xml', enclosing.element="/events/wrapper/event", enclosing.element.as.event="true",
      @attributes(volume="volume", price="price", symbol="symbol"))`, 'define stream S (symbol string, price float, volume long)');
    expect(asEvent.publish('<events><wrapper><event><symbol>A</symbol><price>1</price><volume>2</volume></event>'
      + '<event><symbol>B</symbol><price>3</price><volume>4</volume></event></wrapper></events>').out).toEqual([['A', 1, 2], ['B', 3, 4]]);
    expect(asEvent.publish('<events/>').errors).toEqual([expect.stringMatching(/enclosing.element '\/events\/wrapper\/event' matches nothing/)]);
    asEvent.shutdown();
  });

  it('without enclosing.element reads from the root, absolute paths included; a non-leaf element is its XML for a string', () => {
    const m = mapWith(`@map(type='xml', @attributes(p1='/event/param1', p2='param2', whole='//nested'))`, 'define stream S (p1 string, p2 int, whole string)');
    expect(m.publish('<event><param1>one</param1><param2>2</param2><x><nested a="1">t<b>c</b></nested></x></event>').out)
      .toEqual([['one', 2, '<nested a="1">t<b>c</b></nested>']]);
    m.shutdown();
    expect(() => mapWith(`@map(type='xml', @attributes(a='a[1]'))`, 'define stream S (a int)')).toThrow(/@map.*XPath 'a\[1\]': step 'a\[1\]' is not supported/);
    expect(() => mapWith(`@map(type='xml', enable.streaming.xml.content='true')`, 'define stream S (a int)')).toThrow(/enable.streaming.xml.content='true' is not supported/);
  });
});
