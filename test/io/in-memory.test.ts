import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError, type Event } from '../../src/index.js';

function collectLogs() {
  const lines: string[] = [];
  const logger = {
    info: (m: string) => lines.push(`INFO ${m}`),
    warn: (m: string) => lines.push(`WARN ${m}`),
    error: (m: string) => lines.push(`ERROR ${m}`),
    debug: (m: string) => lines.push(`DEBUG ${m}`),
  };
  return { lines, logger };
}

describe('inMemory source and sink with the json mapper', () => {
  const app = `@app:name('Stocks')
    @source(type='inMemory', topic='stock', @map(type='json'))
    define stream StockStream (symbol string, price double, volume long);
    @sink(type='inMemory', topic='alerts', @map(type='json'))
    define stream Alerts (symbol string, price double);
    from StockStream[price > 100] select symbol, price insert into Alerts;`;

  it('maps the default {"event":{…}} shape, bare objects and arrays, and publishes json', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(app);
    const got: unknown[] = [];
    manager.broker.subscribe('alerts', (m) => got.push(m));
    runtime.start();
    manager.broker.publish('stock', '{"event":{"symbol":"IBM","price":120.5,"volume":10}}');
    manager.broker.publish('stock', { symbol: 'WSO2', price: 101, volume: 5 });
    manager.broker.publish('stock', JSON.stringify([
      { event: { symbol: 'A', price: 150, volume: 1 } },
      { event: { symbol: 'B', price: 50, volume: 1 } },
    ]));
    runtime.shutdown();
    manager.broker.publish('stock', '{"event":{"symbol":"LATE","price":500,"volume":1}}');
    expect(got).toEqual([
      '{"event":{"symbol":"IBM","price":120.5}}',
      '{"event":{"symbol":"WSO2","price":101.0}}',
      '{"event":{"symbol":"A","price":150.0}}',
    ]);
  });

  it('reports a payload that does not map with the source and the reason, and keeps going', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(app);
    const errors: string[] = [];
    runtime.onError((e) => errors.push(e.message));
    const got: unknown[] = [];
    manager.broker.subscribe('alerts', (m) => got.push(m));
    runtime.start();
    manager.broker.publish('stock', '{"event":{"symbol":"IBM",');
    manager.broker.publish('stock', '{"event":{"symbol":"IBM","price":120,"volume":1,"extra":1}}');
    manager.broker.publish('stock', '{"event":{"symbol":"IBM","price":120}}');
    manager.broker.publish('stock', '{"event":{"symbol":"IBM","price":"high","volume":1}}');
    manager.broker.publish('stock', '{"event":{"symbol":"OK","price":120,"volume":1}}');
    runtime.shutdown();
    expect(got).toEqual(['{"event":{"symbol":"OK","price":120.0}}']);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^source 'inMemory' of stream 'StockStream': payload does not map: not valid JSON/);
    expect(errors[1]).toContain("no attribute 'extra'");
    expect(errors[2]).toContain("attribute 'volume' is missing");
    expect(errors[3]).toContain("attribute 'price' expects double");
  });

  it("sends a payload's events as one chunk, as the reference's mappers do: an aggregation emits once, a refused event is left out", () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`@app:name('Counts') @app:playback
      @source(type='inMemory', topic='stock', @map(type='json'))
      define stream StockStream (symbol string, price double, volume long);
      from StockStream select count() as trades, sum(volume) as volume insert into Totals;`);
    const errors: string[] = [];
    runtime.onError((e) => errors.push(e.message));
    const got: unknown[][] = [];
    runtime.addCallback('Totals', (es) => got.push(es.map((e) => [...e.data])));
    runtime.start();
    manager.broker.publish('stock', JSON.stringify([
      { event: { symbol: 'A', price: 150, volume: 1 } },
      { event: { symbol: 'B', price: 50, volume: 2 } },
      { event: { symbol: 'C', price: 70, volume: 4 } },
    ]));
    // The second event's volume is not a long: reported; the other two still go in together.
    manager.broker.publish('stock', JSON.stringify([
      { event: { symbol: 'D', price: 10, volume: 8 } },
      { event: { symbol: 'E', price: 10, volume: 1.5 } },
      { event: { symbol: 'F', price: 10, volume: 16 } },
    ]));
    runtime.shutdown();
    expect(got).toEqual([[[3, 7]], [[5, 31]]]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^source 'inMemory' of stream 'StockStream': .*attribute 'volume' expects long.*event 2 of 3 in the payload/);
  });

  it('reads custom @attributes paths under an enclosing element, one event per array item', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`
      @source(type='inMemory', topic='p', @map(type='json', enclosing.element="$.portfolio",
        @attributes(symbol = "stock.company.symbol", price = "$.stock.price", tags = "stock.tags")))
      define stream S (symbol string, price double, tags string);
      from S select * insert into Out;`);
    const out: unknown[][] = [];
    runtime.addCallback('Out', (es) => out.push(...es.map((e) => [...e.data])));
    runtime.start();
    manager.broker.publish('p', JSON.stringify({ portfolio: [
      { stock: { company: { symbol: 'wso2' }, price: 56.6, tags: ['a'] } },
      { stock: { company: { symbol: 'ibm' }, price: 57.6, tags: [] } },
    ] }));
    runtime.shutdown();
    expect(out).toEqual([['wso2', 56.6, '["a"]'], ['ibm', 57.6, '[]']]);
  });

  it('fail.on.missing.attribute=false sends null for an absent path', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`
      @source(type='inMemory', topic='p', @map(type='json', fail.on.missing.attribute='false', @attributes(a = "x.a", b = "x.b")))
      define stream S (a int, b string);
      from S select * insert into Out;`);
    const out: unknown[][] = [];
    runtime.addCallback('Out', (es) => out.push(...es.map((e) => [...e.data])));
    runtime.start();
    manager.broker.publish('p', '{"x":{"a":1}}');
    expect(out).toEqual([[1, null]]);
  });
});

describe('passThrough, text, csv and xml mappers', () => {
  it('passThrough takes data arrays and {data, timestamp}; the sink hands events on', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`@app:playback
      @source(type='inMemory', topic='in')
      define stream S (a string, b int);
      @sink(type='inMemory', topic='out')
      define stream Out (a string, b int);
      from S select * insert into Out;`);
    const got: Event[] = [];
    manager.broker.subscribe('out', (e) => got.push(e as Event));
    runtime.start();
    manager.broker.publish('in', ['x', 1]);
    manager.broker.publish('in', { data: ['y', 2], timestamp: 5000 });
    manager.broker.publish('in', [['z', 3], ['w', 4]]);
    expect(got.map((e) => [e.timestamp, ...e.data])).toEqual([[0, 'x', 1], [5000, 'y', 2], [5000, 'z', 3], [5000, 'w', 4]]);
  });

  it('text and csv map both ways', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`
      @source(type='inMemory', topic='text', @map(type='text'))
      @source(type='inMemory', topic='csv', @map(type='csv'))
      define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='t-out', @map(type='text'))
      @sink(type='inMemory', topic='c-out', @map(type='csv', delimiter=';'))
      @sink(type='inMemory', topic='p-out', @map(type='text', @payload("{{symbol}} costs {{price}}")))
      define stream Out (symbol string, price float, volume long);
      from S select * insert into Out;`);
    const got: unknown[] = [];
    for (const t of ['t-out', 'c-out', 'p-out']) manager.broker.subscribe(t, (m) => got.push(m));
    runtime.start();
    manager.broker.publish('text', 'symbol:"WSO2",\nprice:55.5,\nvolume:100');
    manager.broker.publish('csv', 'IBM,75.5,7');
    expect(got).toEqual([
      'symbol:"WSO2",\nprice:55.5,\nvolume:100', 'WSO2;55.5;100\n', 'WSO2 costs 55.5',
      'symbol:"IBM",\nprice:75.5,\nvolume:7', 'IBM;75.5;7\n', 'IBM costs 75.5',
    ]);
  });

  it("xml writes the reference's default <events><event>… per chunk, nulls as xsi:nil, an enclosing element or a template", () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`@app:playback
      define stream S (name string, amount double);
      @sink(type='inMemory', topic='x-out', @map(type='xml'))
      @sink(type='inMemory', topic='e-out', @map(type='xml', enclosing.element='<portfolio xmlns="urn:p">'))
      @sink(type='inMemory', topic='t-out', @map(type='xml', enclosing.element='<sweets>', @payload("<s n='{{name}}'/>")))
      define stream Out (name string, amount double);
      from S#window.lengthBatch(2) select * insert into Out;`);
    const got: unknown[] = [];
    for (const t of ['x-out', 'e-out', 't-out']) manager.broker.subscribe(t, (m) => got.push(m));
    runtime.start();
    runtime.getInputHandler('S').send(['toffees', 75.6], 1000);
    runtime.getInputHandler('S').send(['a<b&c', null], 1000);
    expect(got).toEqual([
      '<events><event><name>toffees</name><amount>75.6</amount></event><event><name>a&lt;b&amp;c</name><amount xsi:nil="true"/></event></events>',
      '<portfolio xmlns="urn:p"><event><name>toffees</name><amount>75.6</amount></event><event><name>a&lt;b&amp;c</name><amount xsi:nil="true"/></event></portfolio>',
      "<sweets><s n='toffees'/><s n='a<b&c'/></sweets>",
    ]);
  });
});

describe('log sink', () => {
  it('logs with the default prefix <app> : <stream>, or a given prefix and priority', () => {
    const { lines, logger } = collectLogs();
    const manager = new SiddhiManager({ logger });
    const runtime = manager.createSiddhiAppRuntime(`@app:name('LogApp') @app:playback
      define stream S (a string, b int);
      @sink(type='log')
      @sink(type='log', prefix='Alert', priority='warn')
      @sink(type='log', priority='OFF')
      define stream Out (a string, b int);
      from S select * insert into Out;`);
    runtime.start();
    runtime.getInputHandler('S').send(['x', 1], 1000);
    expect(lines).toEqual([
      'INFO LogApp : Out : Event{timestamp=1000, data=[x, 1], isExpired=false}',
      'WARN Alert : Event{timestamp=1000, data=[x, 1], isExpired=false}',
    ]);
  });
});

describe('log sink numbers', () => {
  it('writes double and float values as Java does (the quick-start logs data=[2, 2, 2.0])', () => {
    const { lines, logger } = collectLogs();
    const runtime = new SiddhiManager({ logger }).createSiddhiAppRuntime(`@app:name('Nums') @app:playback
      define stream S (n int, d double, f float, l long);
      @sink(type='log', prefix='LOGGER')
      define stream Out (n int, d double, f float, l long);
      from S select * insert into Out;`);
    runtime.start();
    for (const d of [2, 75.6, 1e7, 0.0001, -0, 0.001]) runtime.getInputHandler('S').send([2, d, 3, 4], 1000);
    expect(lines.map((l) => /data=\[(.*)\]/.exec(l)![1])).toEqual([
      '2, 2.0, 3.0, 4', '2, 75.6, 3.0, 4', '2, 1.0E7, 3.0, 4', '2, 1.0E-4, 3.0, 4', '2, -0.0, 3.0, 4', '2, 0.001, 3.0, 4',
    ]);
  });
});

describe('json sink mapper enclosing.element', () => {
  it('wraps one event, a chunk of several, and @payload texts as the siddhi-map-json doc example 2 shows ({"portfolio":{"StockData":…}})', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`@app:playback
      define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='custom', @map(type='json', enclosing.element='$.portfolio', validate.json='true', @payload( """{"StockData":{"Symbol":"{{symbol}}","Price":{{price}}}}""")))
      @sink(type='inMemory', topic='default', @map(type='json', enclosing.element='$.portfolio'))
      define stream BarStream (symbol string, price float, volume long);
      from S select * insert into BarStream;
      @sink(type='inMemory', topic='custom2', @map(type='json', enclosing.element='$.portfolio', @payload("""{"Symbol":"{{symbol}}"}""")))
      @sink(type='inMemory', topic='default2', @map(type='json', enclosing.element='$.portfolio'))
      define stream Pairs (symbol string, volume long);
      from S#window.lengthBatch(2) select symbol, volume insert into Pairs;`);
    const got: string[] = [];
    for (const t of ['custom', 'default', 'custom2', 'default2']) manager.broker.subscribe(t, (m) => got.push(`${t} ${String(m)}`));
    runtime.start();
    runtime.getInputHandler('S').send(['WSO2', 55.6, 100], 1000);
    runtime.getInputHandler('S').send(['IBM', 7.5, 5], 1000);
    expect(got).toEqual([
      'custom {"portfolio":{"StockData":{"Symbol":"WSO2","Price":55.6}}}',
      'default {"portfolio":{"event":{"symbol":"WSO2","price":55.6,"volume":100}}}',
      'custom {"portfolio":{"StockData":{"Symbol":"IBM","Price":7.5}}}',
      'default {"portfolio":{"event":{"symbol":"IBM","price":7.5,"volume":5}}}',
      'custom2 {"portfolio":[{"Symbol":"WSO2"},\n{"Symbol":"IBM"}]}',
      'default2 {"portfolio":[{"event":{"symbol":"WSO2","volume":100}},{"event":{"symbol":"IBM","volume":5}}]}',
    ]);
  });
});

describe("inMemory sink topic='{{symbol}}'", () => {
  it('fills the topic in per event (the json mapper doc example) and publishes a chunk in groups of one topic', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`@app:playback
      define stream S (symbol string, price double);
      @sink(type='inMemory', topic='{{symbol}}', @map(type='json', @payload("""{"StockData":{"Symbol":"{{symbol}}","Price":{{price}}}}""")))
      define stream BarStream (symbol string, price double);
      from S select * insert into BarStream;
      @sink(type='inMemory', topic='batch-{{symbol}}', @map(type='json'))
      define stream Batches (symbol string, price double);
      from S#window.lengthBatch(4) select * insert into Batches;`);
    const got: string[] = [];
    for (const t of ['WSO2', 'IBM', 'batch-WSO2', 'batch-IBM']) manager.broker.subscribe(t, (m) => got.push(`${t} ${String(m)}`));
    runtime.start();
    for (const [s, p] of [['WSO2', 55.5], ['IBM', 7], ['WSO2', 56], ['IBM', 8]] as const) runtime.getInputHandler('S').send([s, p], 1000);
    expect(got).toEqual([
      'WSO2 {"StockData":{"Symbol":"WSO2","Price":55.5}}',
      'IBM {"StockData":{"Symbol":"IBM","Price":7.0}}',
      'WSO2 {"StockData":{"Symbol":"WSO2","Price":56.0}}',
      'IBM {"StockData":{"Symbol":"IBM","Price":8.0}}',
      'batch-WSO2 [{"event":{"symbol":"WSO2","price":55.5}},{"event":{"symbol":"WSO2","price":56.0}}]',
      'batch-IBM [{"event":{"symbol":"IBM","price":7.0}},{"event":{"symbol":"IBM","price":8.0}}]',
    ]);
  });

  it('maps a group of one inside a chunk of several as an array of one, as the reference maps each group as an Event[]', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`@app:playback
      define stream S (symbol string, price double);
      @sink(type='inMemory', topic='b-{{symbol}}', @map(type='json'))
      @sink(type='inMemory', topic='p-{{symbol}}', @map(type='json', @payload("""{"Symbol":"{{symbol}}"}""")))
      define stream Batches (symbol string, price double);
      from S#window.lengthBatch(3) select * insert into Batches;`);
    const got: string[] = [];
    for (const t of ['b-WSO2', 'b-IBM', 'p-WSO2', 'p-IBM']) manager.broker.subscribe(t, (m) => got.push(`${t} ${String(m)}`));
    runtime.start();
    for (const [s, p] of [['WSO2', 55.5], ['IBM', 7], ['WSO2', 56]] as const) runtime.getInputHandler('S').send([s, p], 1000);
    expect(got).toEqual([
      'b-WSO2 [{"event":{"symbol":"WSO2","price":55.5}},{"event":{"symbol":"WSO2","price":56.0}}]',
      'b-IBM [{"event":{"symbol":"IBM","price":7.0}}]',
      'p-WSO2 [{"Symbol":"WSO2"},\n{"Symbol":"WSO2"}]',
      'p-IBM [{"Symbol":"IBM"}]',
    ]);
  });

  it('refuses a topic naming no attribute of the stream', () => {
    expect(() => new SiddhiManager().createSiddhiAppRuntime(`define stream S (symbol string);
      @sink(type='inMemory', topic='{{sym}}') define stream Out (symbol string);
      from S select * insert into Out;`)).toThrow(/topic '\{\{sym\}\}': names 'sym', which is not an attribute/);
  });
});

describe('float attributes in sink payloads', () => {
  it("write a float as Java's Float.toString (the json mapper doc's price 55.6, not the double 55.599998474121094 it is held as)", () => {
    const { lines, logger } = collectLogs();
    const manager = new SiddhiManager({ logger });
    const runtime = manager.createSiddhiAppRuntime(`@app:name('Floats') @app:playback
      define stream S (symbol string, price float, volume long);
      @sink(type='inMemory', topic='json', @map(type='json'))
      @sink(type='inMemory', topic='payload', @map(type='json', @payload("""{"Symbol":"{{symbol}}","Price":{{price}}}""")))
      @sink(type='inMemory', topic='text', @map(type='text'))
      @sink(type='inMemory', topic='csv', @map(type='csv'))
      @sink(type='inMemory', topic='xml', @map(type='xml'))
      @sink(type='log')
      define stream Out (symbol string, price float, volume long);
      from S select * insert into Out;`);
    const got: Record<string, unknown> = {};
    for (const t of ['json', 'payload', 'text', 'csv', 'xml']) manager.broker.subscribe(t, (m) => { got[t] = m; });
    runtime.start();
    runtime.getInputHandler('S').send(['WSO2', 55.6, 100], 1000);
    expect(got).toEqual({
      json: '{"event":{"symbol":"WSO2","price":55.6,"volume":100}}',
      payload: '{"Symbol":"WSO2","Price":55.6}',
      text: 'symbol:"WSO2",\nprice:55.6,\nvolume:100',
      csv: 'WSO2,55.6,100\n',
      xml: '<events><event><symbol>WSO2</symbol><price>55.6</price><volume>100</volume></event></events>',
    });
    expect(lines).toEqual(['INFO Floats : Out : Event{timestamp=1000, data=[WSO2, 55.6, 100], isExpired=false}']);
  });
});

describe('Siddhi sample apps', () => {
  it("reads @App:name (capitalised, as the reference's samples write it) for the log prefix", () => {
    const { lines, logger } = collectLogs();
    const manager = new SiddhiManager({ logger });
    const runtime = manager.createSiddhiAppRuntime(`@App:name("TemperatureMonitoring")
      @App:description("Alerts on hot sensors")
      @source(type = 'inMemory', topic = 'temp', @map(type = 'json'))
      define stream TemperatureStream (sensorId string, temperature double);
      @sink(type = 'log')
      define stream OverheatStream (sensorId string, temperature double);
      @info(name = 'Overheat')
      from TemperatureStream[temperature > 30.0] select sensorId, temperature insert into OverheatStream;`);
    expect(runtime.name).toBe('TemperatureMonitoring');
    runtime.start();
    manager.broker.publish('temp', '{"event":{"sensorId":"s1","temperature":35.5}}');
    expect(lines.map((l) => l.replace(/timestamp=\d+/, 'timestamp=T'))).toEqual([
      'INFO TemperatureMonitoring : OverheatStream : Event{timestamp=T, data=[s1, 35.5], isExpired=false}',
    ]);
  });
});

describe('sinks and start triggers', () => {
  it("a sink sees what an 'at start' trigger emits, stamped with the wall clock (the StartupTrigger sample)", () => {
    const { lines, logger } = collectLogs();
    const runtime = new SiddhiManager({ logger }).createSiddhiAppRuntime(`@App:name('Boot')
      @sink(type='log') define stream LogStream (event string);
      define trigger InitTrigger at 'start';
      from InitTrigger select 'startup triggered' as event insert into LogStream;`);
    const before = Date.now();
    runtime.start();
    runtime.shutdown();
    expect(lines).toEqual([expect.stringMatching(/^INFO Boot : LogStream : Event\{timestamp=\d+, data=\[startup triggered\], isExpired=false\}$/)]);
    expect(Number(/timestamp=(\d+)/.exec(lines[0]!)![1])).toBeGreaterThanOrEqual(before);
  });
});

describe('planning sources and sinks', () => {
  it('names unknown types, mappers and bad options at plan time with alternatives', () => {
    const manager = new SiddhiManager();
    const plan = (text: string) => () => manager.createSiddhiAppRuntime(text);
    expect(plan("@source(type='inMemry', topic='t') define stream S (a int);")).toThrow(/unknown source type 'inMemry'/);
    try {
      plan("@source(type='inMemry', topic='t') define stream S (a int);")();
    } catch (e) {
      expect((e as SiddhiPlanError).hint).toContain('inMemory');
      expect((e as SiddhiPlanError).line).toBe(1);
    }
    expect(plan("@sink(type='log', @map(type='jsn')) define stream S (a int);")).toThrow(/unknown sinkMapper type 'jsn'/);
    expect(plan("@source(type='inMemory') define stream S (a int);")).toThrow(SiddhiPlanError);
    expect(plan("@source(type='inMemory') define stream S (a int);")).toThrow(/needs topic=/);
    expect(plan("@sink(type='log', priority='LOUD') define stream S (a int);")).toThrow(/priority='LOUD' is not one of/);
    expect(plan("@sink(type='log', on.error='RETRY') define stream S (a int);")).toThrow(/on.error='RETRY'/);
    expect(plan("@sink(type='inMemory', topic='x', @map(type='json', @payload('{{nope}}'))) define stream S (a int);")).toThrow(/'nope', which is not an attribute/);
  });

  it('user extensions use the same contract as the built-ins', () => {
    const manager = new SiddhiManager();
    let push: ((p: unknown) => void) | undefined;
    manager.setExtension('source:manual', {
      defaultMapper: 'json',
      create: (ctx) => ({
        start: () => { push = (p) => ctx.deliver(p); },
        stop: () => { push = undefined; },
      }),
    });
    const seen: string[] = [];
    manager.setExtension('sink:collect', { create: (ctx) => ({ publish: (p) => void seen.push(`${ctx.options.get('tag', '?')} ${String(p)}`) }) });
    manager.setExtension('sinkMapper:upper', { create: () => (events) => events.map((e) => String(e.data[0]).toUpperCase()) });
    const runtime = manager.createSiddhiAppRuntime(`
      @source(type='manual') define stream S (a string);
      @sink(type='collect', tag='t1', @map(type='upper')) define stream Out (a string);
      from S select a insert into Out;`);
    runtime.start();
    expect(runtime.sources()).toEqual([{ stream: 'S', type: 'manual', address: undefined }]);
    push!('{"event":{"a":"hello"}}');
    runtime.shutdown();
    expect(push).toBeUndefined();
    expect(seen).toEqual(['t1 HELLO']);
    expect(() => manager.setExtension('window:x' as never, { create: () => ({}) } as never)).toThrow(/must be 'source:…'/);
  });
});

describe('a stream defined again exactly alike', () => {
  it('has one set of sources and sinks, as the reference keeps one definition per stream', () => {
    const manager = new SiddhiManager();
    const runtime = manager.createSiddhiAppRuntime(`
      @source(type='inMemory', topic='in', @map(type='passThrough')) define stream I (a int);
      @source(type='inMemory', topic='in', @map(type='passThrough')) define stream I (a int);
      @sink(type='inMemory', topic='out', @map(type='passThrough')) define stream S (a int);
      @sink(type='inMemory', topic='out', @map(type='passThrough')) define stream S (a int);
      from I select a insert into S;`);
    const got: unknown[] = [];
    manager.broker.subscribe('out', (m) => got.push(m));
    runtime.start();
    manager.broker.publish('in', [7]);
    runtime.shutdown();
    expect(got).toHaveLength(1);
  });
});
