import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError } from '../../src/index.js';

function manager(): SiddhiManager {
  const m = new SiddhiManager();
  m.setFunction('risky', { returnType: 'double', parameters: ['double'], fn: (x: number) => { if (x < 0) throw new Error('negative price'); return Math.sqrt(x); } });
  return m;
}

describe('fault streams', () => {
  it("@OnError(action='STREAM') routes a failed event to !S with _error, readable by queries", () => {
    const runtime = manager().createSiddhiAppRuntime(`@app:playback
      @OnError(action='STREAM')
      define stream S (symbol string, price double);
      from S select symbol, risky(price) as root insert into Out;
      from !S select symbol, price, _error insert into Faults;`);
    const out: unknown[][] = [];
    const faults: unknown[][] = [];
    runtime.addCallback('Out', (es) => out.push(...es.map((e) => [e.timestamp, ...e.data])));
    runtime.addCallback('Faults', (es) => faults.push(...es.map((e) => [e.timestamp, ...e.data])));
    runtime.start();
    runtime.getInputHandler('S').send(['A', 4], 1);
    runtime.getInputHandler('S').send(['B', -1], 2);
    runtime.getInputHandler('S').send(['C', 9], 3);
    expect(out).toEqual([[1, 'A', 2], [3, 'C', 3]]);
    expect(faults).toEqual([[2, 'B', -1, "function 'risky' failed: negative price"]]);
    expect(runtime.getStreamAttributes('!S').map((a) => `${a.name} ${a.type}`)).toEqual(['symbol string', 'price double', '_error object']);
  });

  it("_error is an object, as the docs' fault stream: it fits a defined stream's object attribute", () => {
    const runtime = manager().createSiddhiAppRuntime(`@app:playback
      @OnError(action='STREAM')
      define stream TempStream (deviceID long, temp double);
      define stream ErrorStream (deviceID long, _error object);
      from TempStream select deviceID, risky(temp) as r insert into Out;
      from !TempStream select deviceID, _error insert into ErrorStream;`);
    const errors: unknown[][] = [];
    runtime.addCallback('ErrorStream', (es) => errors.push(...es.map((e) => [...e.data])));
    runtime.start();
    runtime.getInputHandler('TempStream').send([7, -1], 1);
    expect(errors).toEqual([[7, "function 'risky' failed: negative price"]]);
  });

  it("@OnError without action (older docs write name='STREAM') is refused, as the reference fails on it", () => {
    expect(() => manager().createSiddhiAppRuntime(`@OnError(name='STREAM')
      define stream TempStream (deviceID long, temp double);
      from TempStream select deviceID insert into Out;`)).toThrow(/@OnError of stream 'TempStream': needs action='LOG' or action='STREAM'/);
  });

  it('reading !S when S has no fault stream says what creates one', () => {
    let hint: string | undefined;
    try {
      manager().createSiddhiAppRuntime(`define stream TempStream (deviceID long, temp double);
        from !TempStream select deviceID insert into Out;`);
    } catch (e) {
      hint = (e as SiddhiPlanError).hint;
    }
    expect(hint).toBe("'!TempStream' is the fault stream of 'TempStream': it exists when 'TempStream' has @OnError(action='STREAM') or a sink with on.error='STREAM'");
  });

  it("@OnError(action='LOG') and no @OnError report and drop the event; the sender goes on", () => {
    const logged = manager().createSiddhiAppRuntime(`@app:playback
      @OnError(action='LOG') define stream S (price double);
      from S select risky(price) as r insert into Out;`);
    const errors: string[] = [];
    logged.onError((e) => errors.push(e.message));
    logged.start();
    logged.getInputHandler('S').send([-1], 1);
    expect(errors).toEqual(["stream 'S': function 'risky' failed: negative price; event dropped"]);

    const plain = manager().createSiddhiAppRuntime(`@app:playback
      define stream S (price double);
      from S select risky(price) as r insert into Mid;
      from Mid[r > 1.0] select r insert into Out;`);
    const plainErrors: string[] = [];
    const out: unknown[] = [];
    plain.onError((e) => plainErrors.push(e.message));
    plain.addCallback('Out', (es) => out.push(...es.map((e) => e.data[0])));
    plain.start();
    plain.getInputHandler('S').send([4], 1);
    plain.getInputHandler('S').send([-1], 2);
    plain.getInputHandler('S').send([9], 3);
    expect(plainErrors).toEqual(["stream 'S': function 'risky' failed: negative price; event dropped"]);
    expect(out).toEqual([2, 3]);
  });

  it("with @OnError(action='STREAM') a payload that does not map reaches !S with null attributes and _error", () => {
    const m = new SiddhiManager();
    const runtime = m.createSiddhiAppRuntime(`@app:playback
      @OnError(action='STREAM')
      @source(type='inMemory', topic='quotes', @map(type='json'))
      define stream S (symbol string, price double);
      from S select symbol, price insert into Out;
      from !S select symbol, price, _error insert into Faults;`);
    const out: unknown[][] = [];
    const faults: unknown[][] = [];
    const errors: string[] = [];
    runtime.addCallback('Out', (es) => out.push(...es.map((e) => [...e.data])));
    runtime.addCallback('Faults', (es) => faults.push(...es.map((e) => [...e.data])));
    runtime.onError((e) => errors.push(e.message));
    runtime.start();
    m.broker.publish('quotes', '{"event":{"symbol":"IBM","price":1.5}}');
    m.broker.publish('quotes', 'not json');
    m.broker.publish('quotes', '{"event":{"symbol":"WSO2","price":2}}');
    runtime.shutdown();
    expect(out).toEqual([['IBM', 1.5], ['WSO2', 2]]);
    expect(faults).toEqual([[null, null, expect.stringMatching(/^source 'inMemory' of stream 'S': payload does not map: /)]]);
    expect(errors).toEqual([]);
  });

  it("a sink with on.error='STREAM' sends the events it could not publish to !S", () => {
    const m = manager();
    m.setExtension('sink:broken', { create: () => ({ publish: () => { throw new Error('down'); } }) });
    const runtime = m.createSiddhiAppRuntime(`@app:playback
      define stream S (a int);
      @sink(type='broken', on.error='STREAM') define stream Out (a int);
      from S select a insert into Out;
      from !Out select a, _error insert into Failed;`);
    const failed: unknown[][] = [];
    runtime.addCallback('Failed', (es) => failed.push(...es.map((e) => [...e.data])));
    runtime.start();
    runtime.getInputHandler('S').send([7], 1);
    expect(failed).toEqual([[7, 'down']]);
  });

  it('rejects an unknown action and a fault stream of a stream without one', () => {
    const m = manager();
    expect(() => m.createSiddhiAppRuntime("@OnError(action='RETRY') define stream S (a int);")).toThrow(/action 'RETRY' is not one of LOG, STREAM/);
    expect(() => m.createSiddhiAppRuntime('define stream S (a int); from !S select a insert into O;')).toThrow(/!S/);
  });
});

describe('runtime.metrics', () => {
  it('counts events in and out per stream and renders Prometheus text', async () => {
    const { formatPrometheus } = await import('../../src/index.js');
    const runtime = manager().createSiddhiAppRuntime(`@app:name('M') @app:playback
      define stream S (price double);
      from S[price > 1.0] select price insert into Out;`);
    runtime.addCallback('Out', () => {});
    runtime.start();
    for (const p of [0.5, 2, 3]) runtime.getInputHandler('S').send([p], 1);
    runtime.snapshot();
    const m = runtime.metrics();
    expect(m.streams).toEqual({ S: { in: 3, out: 0 }, Out: { in: 2, out: 2 } });
    expect(m.checkpoints.count).toBe(1);
    const text = formatPrometheus(m);
    expect(text).toContain('siddhi_stream_events_in_total{app="M",stream="S"} 3');
    expect(text).toContain('siddhi_stream_events_out_total{app="M",stream="Out"} 2');
    expect(text).toContain('siddhi_checkpoints{app="M"} 1');
  });
});
