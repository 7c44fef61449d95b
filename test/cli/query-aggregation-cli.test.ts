// `siddhi query` over an aggregation: the examples/trade-rollups app runs with
// checkpoints, then its buckets are read from the newest checkpoint at two
// granularities, and a `per` the aggregation does not keep is an error.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invokeCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'siddhi-cli-query-agg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = join(import.meta.dirname, '..', '..', 'examples', 'trade-rollups');
const APP = join(example, 'app.siddhi');

describe('siddhi query over an aggregation', () => {
  it('reads per hours and per minutes from the restored buckets', async () => {
    const cp = join(dir, 'cp');
    const run = await invokeCli('run', APP, '-i', join(example, 'events.jsonl'), '-o', join(dir, 'out.jsonl'), '--checkpoint-dir', cp, '--checkpoint-interval', '0');
    expect(run.code).toBe(0);
    const hours = await invokeCli('query', APP, '--checkpoint-dir', cp,
      "from TradeAgg on symbol == 'IBM' within '2026-12-04 **:**:**' per 'hours' select AGG_TIMESTAMP, avgPrice, volume, close");
    expect(hours.stderr).toBe('');
    expect(hours.stdout).toBe('{"data":[1796374800000,101,70,102.5]}\n{"data":[1796378400000,104,5,104]}\n');
    const minutes = await invokeCli('query', APP, '--checkpoint-dir', cp,
      "from TradeAgg within '2026-12-04 09:00:00', '2026-12-04 09:02:00' per 'minutes' select AGG_TIMESTAMP, symbol, trades");
    // Event-time reads come in the reference's HashMap order of 'start:-:symbol:-:', not by time.
    expect(minutes.stdout).toBe(
      '{"data":[1796374860000,"WSO2",1]}\n{"data":[1796374800000,"IBM",3]}\n{"data":[1796374860000,"IBM",1]}\n{"data":[1796374800000,"WSO2",1]}\n');
    const months = await invokeCli('query', APP, '--checkpoint-dir', cp, "from TradeAgg within '2026-**-** **:**:**' per 'months'");
    expect(months.code).toBe(1);
    expect(months.stderr).toContain("aggregation 'TradeAgg' does not aggregate per month");
  });
});
