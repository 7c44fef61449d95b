// Idiomatic RxJS pipelines for Q1–Q7, fed through a Subject. RxJS has no
// event-time sliding windows or joins, so those keep their window in `scan`;
// the patterns use the usual mergeMap/takeWhile/take(1) idiom.

import { Subject, filter, groupBy, map, mergeMap, scan, take, takeWhile } from 'rxjs';
import type { Observable } from 'rxjs';
import type { Ev } from './events.js';
import type { Emit, Prepare } from './plain-queries.js';

function viaSubject(build: (input: Observable<Ev>) => Observable<unknown[]>): Prepare {
  return (emit: Emit) => {
    const input = new Subject<Ev>();
    build(input).subscribe(emit);
    return (data) => {
      const events = data.events;
      for (let i = 0; i < events.length; i++) input.next(events[i]!);
    };
  };
}

export const rxFilter = viaSubject((s) => s.pipe(filter((e) => e.price > 50), map((e) => [e.symbol, e.price])));

interface LengthAvgState {
  readonly ring: Ev[];
  head: number;
  count: number;
  readonly groups: Map<string, { sum: number; n: number }>;
  out: unknown[];
}

export const rxLengthAvg = viaSubject((s) =>
  s.pipe(
    scan((st: LengthAvgState, e: Ev) => {
      if (st.count === 1000) {
        const g = st.groups.get(st.ring[st.head]!.symbol)!;
        g.sum -= st.ring[st.head]!.price;
        g.n--;
      } else st.count++;
      st.ring[st.head] = e;
      st.head = (st.head + 1) % 1000;
      let g = st.groups.get(e.symbol);
      if (!g) st.groups.set(e.symbol, (g = { sum: 0, n: 0 }));
      g.sum += e.price;
      g.n++;
      st.out = [e.symbol, g.sum / g.n];
      return st;
    }, { ring: new Array<Ev>(1000), head: 0, count: 0, groups: new Map(), out: [] }),
    map((st) => st.out),
  ),
);

export const rxTimeSum = viaSubject((s) =>
  s.pipe(
    scan((st: { queue: Ev[]; sums: Map<string, number>; out: unknown[] }, e: Ev) => {
      while (st.queue.length > 0 && st.queue[0]!.ts + 1000 <= e.ts) {
        const old = st.queue.shift()!;
        st.sums.set(old.symbol, st.sums.get(old.symbol)! - old.volume);
      }
      st.queue.push(e);
      const v = (st.sums.get(e.symbol) ?? 0) + e.volume;
      st.sums.set(e.symbol, v);
      st.out = [e.symbol, v];
      return st;
    }, { queue: [], sums: new Map(), out: [] }),
    map((st) => st.out),
  ),
);

export const rxTimeBatchCount = viaSubject((s) =>
  s.pipe(
    scan((st: { end: number; counts: Map<string, number>; flushed: unknown[][] }, e: Ev) => {
      st.flushed = [];
      if (Number.isNaN(st.end)) st.end = e.ts + 1000;
      while (e.ts >= st.end) {
        for (const [symbol, c] of st.counts) st.flushed.push([symbol, c]);
        st.counts = new Map();
        st.end += 1000;
      }
      st.counts.set(e.symbol, (st.counts.get(e.symbol) ?? 0) + 1);
      return st;
    }, { end: NaN, counts: new Map(), flushed: [] }),
    filter((st) => st.flushed.length > 0),
    mergeMap((st) => st.flushed),
  ),
);

function followedBy(source: Observable<Ev>): Observable<unknown[]> {
  return source.pipe(
    filter((e1) => e1.price > 90),
    mergeMap((e1) =>
      source.pipe(
        takeWhile((e2) => e2.ts - e1.ts <= 1000),
        filter((e2) => e2.symbol === e1.symbol && e2.price < 10),
        take(1),
        map((e2) => [e1.symbol, e1.price, e2.price]),
      ),
    ),
  );
}

export const rxPattern = viaSubject((s) => followedBy(s));

export const rxPartitionedPattern = viaSubject((s) => s.pipe(groupBy((e) => e.symbol), mergeMap((g) => followedBy(g))));

export const rxJoin = viaSubject((s) =>
  s.pipe(
    scan((st: { S: Ev[]; T: Ev[]; out: unknown[][] }, e: Ev) => {
      const own = e.side === 'S' ? st.S : st.T;
      own.push(e);
      if (own.length > 100) own.shift();
      const out: unknown[][] = [];
      if (e.side === 'S') {
        for (const t of st.T) if (t.symbol === e.symbol) out.push([e.symbol, e.price, t.qty]);
      } else {
        for (const x of st.S) if (x.symbol === e.symbol) out.push([x.symbol, x.price, e.qty]);
      }
      st.out = out;
      return st;
    }, { S: [], T: [], out: [] }),
    mergeMap((st) => st.out),
  ),
);
