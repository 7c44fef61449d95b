import { describe, expect, it } from 'vitest';
import { formatPrometheus, SiddhiManager } from '../../src/index.js';

const APP = `@app:name('M') @app:playback
  define stream S (symbol string, price double);
  @info(name='filter') from S[price > 1.0] select symbol, price insert into Mid;
  @info(name='total') from Mid#window.length(2) select sum(price) as total insert into Out;
  partition with (symbol of S) begin
    @info(name='perSymbol') from S select symbol, count() as n insert into Counts;
  end;`;

describe('per-query metrics', () => {
  it('are off until enableMetrics(): nothing counted, no latency figures', () => {
    const runtime = new SiddhiManager().createSiddhiAppRuntime(APP);
    runtime.start();
    runtime.getInputHandler('S').send(['A', 2], 1);
    expect(runtime.metrics().queries).toEqual({});
    runtime.shutdown();
  });

  it('count events and chunks per query (a partition counted as its queries) and time every sampled chunk', () => {
    const runtime = new SiddhiManager().createSiddhiAppRuntime(APP);
    runtime.start();
    runtime.enableMetrics();
    for (const [s, p] of [['A', 0.5], ['B', 2], ['A', 3], ['C', 4]] as const) runtime.getInputHandler('S').send([s, p], 1);
    const q = runtime.metrics().queries;
    expect(Object.keys(q).sort()).toEqual(['filter', 'perSymbol', 'total']);
    expect([q.filter!.events, q.total!.events, q.perSymbol!.events]).toEqual([4, 3, 4]);
    for (const m of Object.values(q)) {
      expect(m.latency.count).toBe(m.chunks);
      expect(m.latency.counts.reduce((a, b) => a + b, 0)).toBe(m.chunks);
      expect(m.latency.counts).toHaveLength(m.latency.bucketsMs.length + 1);
      expect(m.latency.sumMs).toBeGreaterThanOrEqual(0);
    }
    runtime.shutdown();
  });

  it('sample one chunk in n for latency while counts stay exact, and stop on disableMetrics()', () => {
    const runtime = new SiddhiManager().createSiddhiAppRuntime(APP);
    const out: unknown[] = [];
    runtime.addCallback('Out', (es) => out.push(...es.map((e) => e.data[0])));
    runtime.start();
    runtime.enableMetrics({ sampleEvery: 4 });
    for (let i = 0; i < 10; i++) runtime.getInputHandler('S').send(['A', 2 + i], i);
    let f = runtime.metrics().queries.filter!;
    expect([f.events, f.latency.count]).toEqual([10, 3]);
    runtime.disableMetrics();
    runtime.getInputHandler('S').send(['A', 5], 20);
    f = runtime.metrics().queries.filter!;
    expect(f.events).toBe(10);
    // Measuring does not change what the queries compute.
    expect(out.at(-1)).toBe(16);
    expect(() => runtime.enableMetrics({ sampleEvery: 0 })).toThrow('sampleEvery must be an integer >= 1');
    runtime.shutdown();
  });

  it('report state bytes per cell from the newest checkpoint and render Prometheus text with the histogram', async () => {
    const runtime = new SiddhiManager().createSiddhiAppRuntime(APP);
    runtime.start();
    runtime.enableMetrics();
    runtime.getInputHandler('S').send(['A', 2], 1);
    expect(runtime.metrics().cells).toEqual({});
    runtime.snapshot();
    const m = runtime.metrics();
    const window = Object.entries(m.cells).find(([id]) => id.startsWith('total/'));
    expect(window?.[1]).toMatchObject({ mode: 'full' });
    expect(window![1].bytes).toBeGreaterThan(0);
    const text = formatPrometheus(m);
    expect(text).toContain('siddhi_query_events_total{app="M",query="filter"} 1');
    expect(text).toContain('# TYPE siddhi_query_latency_seconds histogram');
    expect(text).toMatch(/siddhi_query_latency_seconds_bucket\{app="M",query="filter",le="\+Inf"\} 1/);
    expect(text).toContain('siddhi_query_latency_seconds_count{app="M",query="filter"} 1');
    expect(text).toMatch(/siddhi_cell_state_bytes\{app="M",cell="total\/[^"]+",mode="full"\} \d+/);
    runtime.shutdown();
  });
});
