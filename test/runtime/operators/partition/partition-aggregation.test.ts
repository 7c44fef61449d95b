// A partition's query joining an app-level `define aggregation`: every key's
// instance reads the app's one aggregation (as the reference's PartitionParser
// passes the app's aggregations to partition queries), so the partitioned join
// gives, per key, the rows of the same join outside a partition — also after
// a checkpoint restored into a fresh runtime.

import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, SiddhiManager } from '../../../../src/index.js';

const manager = new SiddhiManager();

const DEFINITIONS = `define stream Trades (symbol string, price double, ts long);
define stream Q (symbol string, t1 long, t2 long);
define aggregation A from Trades select symbol, sum(price) as total, count() as n group by symbol aggregate by ts every sec...min;
`;
const JOIN = `from Q as q join A as a on q.symbol == a.symbol within q.t1, q.t2 per 'seconds'
  select q.symbol as s, AGG_TIMESTAMP as t, a.total as total, a.n as n insert into O;`;
const PLAIN = `${DEFINITIONS}@info(name='j') ${JOIN}`;
const PARTITIONED = `${DEFINITIONS}partition with (symbol of Q) begin @info(name='j') ${JOIN} end;`;

const BASE = 1_496_289_950_000;
const TRADES: [string, number, number][] = [
  ['IBM', 10, BASE], ['WSO2', 1, BASE], ['IBM', 20, BASE + 1000], ['WSO2', 2, BASE + 1000], ['IBM', 30, BASE + 2000],
];
const LATER: [string, number, number][] = [['WSO2', 5, BASE + 2000], ['IBM', 40, BASE + 3000]];
const QUERIES: [string, number, number][] = [['IBM', BASE, BASE + 5000], ['WSO2', BASE, BASE + 5000], ['IBM', BASE + 1000, BASE + 2000], ['ORCL', BASE, BASE + 5000]];

function start(app: string) {
  const rt = manager.createSiddhiAppRuntime(app, { playback: true });
  const rows: unknown[][] = [];
  rt.addCallback('O', (events) => rows.push(...events.map((e) => [...e.data])));
  rt.start();
  let time = 1000;
  const send = (stream: string, data: readonly (readonly unknown[])[]) => {
    for (const d of data) rt.getInputHandler(stream).send([...d], time++);
  };
  return { rt, rows, send };
}

/** The rows of one symbol, as a sorted list (the join's order within a probe is the aggregation's). */
const bySymbol = (rows: readonly unknown[][], symbol: string) => rows.filter((r) => r[0] === symbol).map((r) => JSON.stringify(r)).sort();

describe('a partitioned join with an aggregation', () => {
  it('plans (the app\'s aggregation is visible inside the partition) and gives each key the rows of the same join outside', () => {
    const plain = start(PLAIN);
    const part = start(PARTITIONED);
    for (const r of [plain, part]) {
      r.send('Trades', TRADES);
      r.send('Q', QUERIES);
    }
    expect(plain.rows.length).toBeGreaterThan(0);
    for (const s of ['IBM', 'WSO2', 'ORCL']) expect(bySymbol(part.rows, s)).toEqual(bySymbol(plain.rows, s));
    expect(bySymbol(part.rows, 'IBM')).toContain(JSON.stringify(['IBM', BASE + 2000, 30, 1]));
  });

  it('reads the one aggregation the app keeps after snapshot() and restore() into a fresh runtime', () => {
    const plain = start(PLAIN);
    const first = start(PARTITIONED);
    for (const r of [plain, first]) {
      r.send('Trades', TRADES);
      r.send('Q', QUERIES.slice(0, 2));
    }
    const bytes = first.rt.snapshot();
    // The aggregation is the app's: its cells are not repeated per key.
    const ids = decodeCheckpoint(bytes).cells.map((c) => c.id);
    expect(ids.filter((id) => id.startsWith('A/'))).toEqual(['A/sec', 'A/min', 'A/purge']);
    const fresh = start(PARTITIONED);
    fresh.rt.restore(bytes);
    for (const r of [plain, fresh]) {
      r.send('Trades', LATER);
      r.send('Q', QUERIES);
    }
    const after = plain.rows.slice(first.rows.length);
    expect(after.length).toBeGreaterThan(0);
    for (const s of ['IBM', 'WSO2', 'ORCL']) expect(bySymbol(fresh.rows, s)).toEqual(bySymbol(after, s));
    expect(bySymbol(fresh.rows, 'WSO2')).toContain(JSON.stringify(['WSO2', BASE + 2000, 5, 1]));
  });
});

describe('inserting into an aggregation', () => {
  it('is refused inside a partition as outside, with the position of the insert', () => {
    const app = `${DEFINITIONS}partition with (symbol of Q) begin @info(name='w') from Q select symbol, 1.0 as total, 1L as n insert into A; end;`;
    expect(() => manager.createSiddhiAppRuntime(app)).toThrow(/query 'w': 'A' is already defined as an aggregation; a query cannot insert into it/);
  });
});
