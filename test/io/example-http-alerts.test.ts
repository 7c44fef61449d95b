// examples/http-alerts: posts to the running example over a real socket.
import { describe, expect, it } from 'vitest';
import { startHttpAlerts } from '../../examples/http-alerts/run.js';

describe('examples/http-alerts', () => {
  it('logs alerts, routes a failing event to the fault stream, answers 400 for a bad payload', async () => {
    const lines: string[] = [];
    const log = (level: string) => (m: string) => lines.push(`${level} ${m.replace(/timestamp=\d+/, 'timestamp=T')}`);
    const runtime = await startHttpAlerts({ port: 0, logger: { info: log('INFO'), warn: log('WARN'), error: log('ERROR'), debug: log('DEBUG') } });
    try {
      const url = runtime.sources()[0]!.address!;
      const post = (body: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(body) });
      expect((await post({ event: { symbol: 'IBM', price: 120.5, volume: 1000 } })).status).toBe(200);
      expect((await post({ event: { symbol: 'TINY', price: 1, volume: 10 } })).status).toBe(200);
      expect((await post({ event: { symbol: 'BAD', price: -5, volume: 10 } })).status).toBe(200);
      const bad = await post({ event: { symbol: 'X' } });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/attribute 'price' is missing/);
    } finally {
      runtime.shutdown();
    }
    expect(lines).toEqual([
      'INFO ALERT : Event{timestamp=T, data=[IBM, 120.5, 72.3], isExpired=false}',
      'WARN FAULT : Event{timestamp=T, data=[BAD, -5.0, function \'risk:score\' failed: price must be positive, got -5], isExpired=false}',
      // The payload that does not map reaches the fault stream too (the source still answers 400).
      "WARN FAULT : Event{timestamp=T, data=[null, null, source 'http' of stream 'StockStream': payload does not map: attribute 'price' is missing (fail.on.missing.attribute='true')], isExpired=false}",
    ]);
  });
});
