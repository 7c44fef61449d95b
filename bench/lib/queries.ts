// The seven throughput queries of the benchmark issue: SiddhiQL text, the
// reference engine's figure, the plain-JS ceiling and the RxJS pipeline.

import type { InputHandler, StreamCallback } from '../../src/index.js';
import { S_DEF, T_DEF, tryCreateRuntime } from './engine.js';
import { generateEvents, type Dataset } from './events.js';
import {
  plainFilter, plainJoin, plainLengthAvg, plainLengthMinMaxHaving, plainPattern, plainRisingSequence, plainTimeBatchCount,
  plainTimeSum, type Emit, type Prepare,
} from './plain-queries.js';
import { rxFilter, rxJoin, rxLengthAvg, rxPartitionedPattern, rxPattern, rxTimeBatchCount, rxTimeSum } from './rx-queries.js';

export interface QuerySpec {
  readonly id: string;
  readonly title: string;
  readonly app: string;
  /**
   * Reference Siddhi (JVM) events/s, measured side by side on this machine kind
   * (issue 9); the bar is 2× it. None for queries added without a figure.
   */
  readonly reference?: number;
  readonly join?: boolean;
  readonly plain: Prepare;
  readonly rx?: Prepare;
}

const PATTERN =
  'from every e1=S[price > 90] -> e2=S[symbol == e1.symbol and price < 10] within 1 sec ' +
  'select e1.symbol, e1.price as p1, e2.price as p2 insert into O;';

export const QUERIES: readonly QuerySpec[] = [
  {
    id: 'Q1', title: 'filter', reference: 10.8e6, plain: plainFilter, rx: rxFilter,
    app: `${S_DEF} from S[price > 50] select symbol, price insert into O;`,
  },
  {
    id: 'Q2', title: 'length(1000) avg by symbol', reference: 2.5e6, plain: plainLengthAvg, rx: rxLengthAvg,
    app: `${S_DEF} from S#window.length(1000) select symbol, avg(price) as ap group by symbol insert into O;`,
  },
  {
    id: 'Q3', title: 'time(1 sec) sum by symbol', reference: 1.3e6, plain: plainTimeSum, rx: rxTimeSum,
    app: `${S_DEF} from S#window.time(1 sec) select symbol, sum(volume) as v group by symbol insert into O;`,
  },
  {
    id: 'Q4', title: 'timeBatch(1 sec) count by symbol', reference: 3.71e6, plain: plainTimeBatchCount, rx: rxTimeBatchCount,
    app: `${S_DEF} from S#window.timeBatch(1 sec) select symbol, count() as c group by symbol insert into O;`,
  },
  {
    id: 'Q5', title: 'pattern every a -> b within 1 sec', reference: 0.2e6, plain: plainPattern, rx: rxPattern,
    app: `${S_DEF} ${PATTERN}`,
  },
  {
    id: 'Q6', title: 'same pattern, partitioned by symbol', reference: 0.91e6, plain: plainPattern, rx: rxPartitionedPattern,
    app: `${S_DEF} partition with (symbol of S) begin ${PATTERN} end;`,
  },
  {
    id: 'Q7', title: 'length(100) join length(100) on symbol', reference: 0.16e6, join: true, plain: plainJoin, rx: rxJoin,
    app: `${S_DEF} ${T_DEF} from S#window.length(100) join T#window.length(100) on S.symbol == T.symbol ` +
      'select S.symbol, S.price, T.qty insert into O;',
  },
  {
    id: 'Q8', title: 'sequence every e1, e2+ rising, e3 drop', plain: plainRisingSequence,
    app: `${S_DEF} from every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price] ` +
      'select e1.price as p1, e2[last].price as peak, e3.price as p3 insert into O;',
  },
];

/** Shapes measured by bench/kernels.ts only (fused vs interpreted), beside Q1–Q4. */
export const KERNEL_QUERIES: readonly QuerySpec[] = [
  {
    id: 'QM', title: 'length(1000) max, min by symbol having', plain: plainLengthMinMaxHaving,
    app: `${S_DEF} from S#window.length(1000) select symbol, max(price) as mx, min(price) as mn group by symbol having mx > 10 insert into O;`,
  },
];

/** Plans the query once to see whether the engine supports it; the reason when it does not. */
export function unsupportedReason(q: QuerySpec): string | undefined {
  const created = tryCreateRuntime(q.app);
  if ('skipped' in created) return created.skipped;
  created.runtime.shutdown();
  return undefined;
}

/** Plans and runs every supported query briefly in this process, so shared call sites see all their operators. */
export function pollute(): void {
  const data = generateEvents(50_000, { seed: 5 });
  const joinData = generateEvents(50_000, { join: true, seed: 5 });
  for (const q of QUERIES) {
    if (unsupportedReason(q)) continue;
    enginePrepare(q)(() => {})(q.join ? joinData : data);
  }
}

/**
 * The engine as a Prepare: a fresh playback runtime per call, output 'O' to
 * `emit`; with `batch` > 0 the events go in `sendBatch` calls of that many
 * (one chunk each: an aggregation then emits once per batch and group).
 */
export function enginePrepare(q: QuerySpec, batch = 0): Prepare {
  if (batch > 0 && q.join) throw new Error(`${q.id}: batched feeding is for single-stream queries`);
  return (emit: Emit) => {
    const created = tryCreateRuntime(q.app);
    if ('skipped' in created) throw new Error(created.skipped);
    const rt = created.runtime;
    const harness = harnessFor(q);
    rt.addCallback('O', harness.callback(emit));
    rt.start();
    // One capture before timing: containers log their changes from the first capture on, as in production.
    rt.snapshot();
    const s = rt.getInputHandler('S');
    const t = q.join ? rt.getInputHandler('T') : s;
    if (batch > 0) return (data: Dataset) => feedBatches(s, batchesOf(data, batch));
    return (data: Dataset) => harness.feed(s, t, data);
  };
}

interface Batches {
  readonly rows: unknown[][][];
  readonly times: Float64Array[];
}

const BATCHES = new WeakMap<Dataset, Map<number, Batches>>();

/** The dataset cut into batches of `n` once (the first, untimed, run cuts it), as a caller would hold them. */
function batchesOf(data: Dataset, n: number): Batches {
  let byN = BATCHES.get(data);
  if (byN === undefined) BATCHES.set(data, (byN = new Map()));
  let b = byN.get(n);
  if (b === undefined) {
    b = { rows: [], times: [] };
    for (let i = 0; i < data.size; i += n) {
      b.rows.push(data.rows.slice(i, i + n));
      b.times.push(data.timestamps.slice(i, i + n));
    }
    byN.set(n, b);
  }
  return b;
}

function feedBatches(s: InputHandler, b: Batches): void {
  const { rows, times } = b;
  for (let i = 0; i < rows.length; i++) s.sendBatch(rows[i]!, times[i]!);
}

interface Harness {
  /** Sends a dataset into the query's input handlers. */
  readonly feed: (s: InputHandler, t: InputHandler, data: Dataset) => void;
  /** The callback on the query's output stream, handing each row to `emit`. */
  readonly callback: (emit: Emit) => StreamCallback;
}

const HARNESSES = new Map<string, Harness>();

/**
 * The feed loop and output callback of one query, compiled for that query
 * (its id in the source keeps V8 from sharing them): a user's code calls one
 * stream's send() and registers its own callback, whereas one loop and one
 * callback for every query made the send() call megamorphic and the callback
 * polymorphic in the harness once other queries had run, which is not what
 * "Q1 polluted" is after (the engine's own shared call sites).
 */
function harnessFor(q: QuerySpec): Harness {
  let h = HARNESSES.get(q.id);
  if (h === undefined) {
    const send = q.join ? '(sides[i] === 1 ? t : s).send(rows[i], timestamps[i]);' : 's.send(rows[i], timestamps[i]);';
    /* eslint-disable @typescript-eslint/no-implied-eval */
    h = {
      feed: new Function('s', 't', 'data', `// ${q.id}\nconst { rows, timestamps, sides } = data;\nfor (let i = 0; i < rows.length; i++) ${send}`) as Harness['feed'],
      callback: new Function('emit', `// ${q.id}\nreturn (events) => { for (let i = 0; i < events.length; i++) emit(events[i].data); };`) as Harness['callback'],
    };
    /* eslint-enable @typescript-eslint/no-implied-eval */
    HARNESSES.set(q.id, h);
  }
  return h;
}
