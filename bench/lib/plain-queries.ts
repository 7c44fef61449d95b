// Hand-written plain-JS loops computing exactly what Q1–Q7 compute: the
// ceiling each engine query is compared with. Each `prepare` returns a fresh
// feed function; results go to `emit` as output rows.

import type { Dataset, Ev } from './events.js';

export type Emit = (row: unknown[]) => void;
export type Prepare = (emit: Emit) => (data: Dataset) => void;

/** Q1: filter + projection. */
export const plainFilter: Prepare = (emit) => (data) => {
  const events = data.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.price > 50) emit([e.symbol, e.price]);
  }
};

/** Q2: avg(price) per symbol over the last 1000 events of the whole stream (ring buffer). */
export const plainLengthAvg: Prepare = (emit) => {
  const size = 1000;
  const ring: Ev[] = new Array(size);
  let count = 0;
  let head = 0;
  const groups = new Map<string, { sum: number; n: number }>();
  return (data) => {
    const events = data.events;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (count === size) {
        const old = ring[head]!;
        const g = groups.get(old.symbol)!;
        g.sum -= old.price;
        g.n--;
      } else count++;
      ring[head] = e;
      head = head + 1 === size ? 0 : head + 1;
      let g = groups.get(e.symbol);
      if (!g) groups.set(e.symbol, (g = { sum: 0, n: 0 }));
      g.sum += e.price;
      g.n++;
      emit([e.symbol, g.sum / g.n]);
    }
  };
};

/** Q3: sum(volume) per symbol over the events of the last second (event time). */
export const plainTimeSum: Prepare = (emit) => {
  const queue: Ev[] = [];
  let head = 0;
  const sums = new Map<string, { v: number }>();
  return (data) => {
    const events = data.events;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      while (head < queue.length && queue[head]!.ts + 1000 <= e.ts) {
        const old = queue[head++]!;
        sums.get(old.symbol)!.v -= old.volume;
      }
      if (head > 4096 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      queue.push(e);
      let s = sums.get(e.symbol);
      if (!s) sums.set(e.symbol, (s = { v: 0 }));
      s.v += e.volume;
      emit([e.symbol, s.v]);
    }
  };
};

/** Q4: count() per symbol per 1 s tumbling batch, emitted when an event reaches the batch end. */
export const plainTimeBatchCount: Prepare = (emit) => {
  let end = NaN;
  let counts = new Map<string, number>();
  return (data) => {
    const events = data.events;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (Number.isNaN(end)) end = e.ts + 1000;
      while (e.ts >= end) {
        for (const [symbol, c] of counts) emit([symbol, c]);
        counts = new Map();
        end += 1000;
      }
      counts.set(e.symbol, (counts.get(e.symbol) ?? 0) + 1);
    }
  };
};

/** Q5/Q6: every S[price > 90] followed by the same symbol below 10 within 1 s. */
export const plainPattern: Prepare = (emit) => {
  const pending = new Map<string, Ev[]>();
  return (data) => {
    const events = data.events;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.price < 10) {
        const list = pending.get(e.symbol);
        if (list && list.length > 0) {
          for (const e1 of list) if (e.ts - e1.ts <= 1000) emit([e1.symbol, e1.price, e.price]);
          list.length = 0;
        }
      } else if (e.price > 90) {
        let list = pending.get(e.symbol);
        if (!list) pending.set(e.symbol, (list = []));
        // Drop partials that can no longer match, so idle symbols do not grow.
        while (list.length > 0 && e.ts - list[0]!.ts > 1000) list.shift();
        list.push(e);
      }
    }
  };
};

/** Q7: length(100) windows on S and T, joined on symbol; each window is indexed by symbol. */
export const plainJoin: Prepare = (emit) => {
  const sWin = new IndexedWindow(100);
  const tWin = new IndexedWindow(100);
  return (data) => {
    const events = data.events;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.side === 'S') {
        sWin.push(e);
        const ts = tWin.bySymbol.get(e.symbol);
        if (ts) for (let k = 0; k < ts.length; k++) emit([e.symbol, e.price, ts[k]!.qty]);
      } else {
        tWin.push(e);
        const ss = sWin.bySymbol.get(e.symbol);
        if (ss) for (let k = 0; k < ss.length; k++) emit([ss[k]!.symbol, ss[k]!.price, e.qty]);
      }
    }
  };
};

/** A length window as a ring, plus per-symbol lists in arrival order (oldest first). */
class IndexedWindow {
  private readonly ring: Ev[];
  private head = 0;
  private count = 0;
  readonly bySymbol = new Map<string, Ev[]>();

  constructor(private readonly size: number) {
    this.ring = new Array(size);
  }

  push(e: Ev): void {
    if (this.count === this.size) {
      // FIFO: the evicted event is the oldest of its symbol's list.
      this.bySymbol.get(this.ring[this.head]!.symbol)!.shift();
      this.ring[this.head] = e;
      this.head = this.head + 1 === this.size ? 0 : this.head + 1;
    } else {
      this.ring[(this.head + this.count++) % this.size] = e;
    }
    let list = this.bySymbol.get(e.symbol);
    if (!list) this.bySymbol.set(e.symbol, (list = []));
    list.push(e);
  }
}

interface Run {
  readonly e1: Ev;
  readonly rising: Ev[];
  done: boolean;
}

/**
 * Q8: the sequence `every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price]`
 * with the reference's sequence rules: every event must advance the run or
 * kills it, states are tried last first, and while a run is collecting e2
 * events no new e1 can enter it (a sequence state holds one new match).
 */
export const plainRisingSequence: Prepare = (emit) => {
  let waitingE2: Run | undefined;
  let waitingE3: Run | undefined;
  return (data) => {
    const events = data.events;
    for (let i = 0; i < events.length; i++) {
      const x = events[i]!;
      let nextE2: Run | undefined;
      let nextE3: Run | undefined;
      if (waitingE3 && x.price < waitingE3.rising[waitingE3.rising.length - 1]!.price) {
        waitingE3.done = true;
        const r = waitingE3.rising;
        emit([waitingE3.e1.price, r[r.length - 1]!.price, x.price]);
      }
      if (waitingE2 && !waitingE2.done && x.price > waitingE2.e1.price) {
        waitingE2.rising.push(x);
        nextE2 = waitingE2;
        nextE3 = waitingE2;
      }
      nextE2 ??= { e1: x, rising: [], done: false };
      waitingE2 = nextE2;
      waitingE3 = nextE3;
    }
  };
};

/**
 * QM: max/min(price) per symbol over the last 1000 events, emitted when the
 * max is above 10. Rows leave in arrival order, so each symbol keeps one
 * monotonic deque per extreme (amortised O(1)), the best a hand-written loop does.
 */
export const plainLengthMinMaxHaving: Prepare = (emit) => {
  const size = 1000;
  const ring: Ev[] = new Array(size);
  let seq = 0;
  const groups = new Map<string, { max: MonotonicDeque; min: MonotonicDeque }>();
  return (data) => {
    const events = data.events;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const at = seq % size;
      if (seq >= size) {
        const old = groups.get(ring[at]!.symbol)!;
        old.max.expire(seq - size);
        old.min.expire(seq - size);
      }
      ring[at] = e;
      let g = groups.get(e.symbol);
      if (!g) groups.set(e.symbol, (g = { max: new MonotonicDeque(1), min: new MonotonicDeque(-1) }));
      g.max.push(seq, e.price);
      g.min.push(seq, e.price);
      seq++;
      const mx = g.max.top();
      if (mx > 10) emit([e.symbol, mx, g.min.top()]);
    }
  };
};

/** The max (sign 1) or min (sign -1) of a sliding window whose values leave in arrival order. */
class MonotonicDeque {
  private seqs: number[] = [];
  private values: number[] = [];
  private head = 0;

  constructor(private readonly sign: 1 | -1) {}

  push(seq: number, v: number): void {
    const s = this.sign * v;
    while (this.values.length > this.head && this.sign * this.values[this.values.length - 1]! <= s) {
      this.values.pop();
      this.seqs.pop();
    }
    this.values.push(v);
    this.seqs.push(seq);
  }

  expire(seq: number): void {
    if (this.head < this.seqs.length && this.seqs[this.head] === seq) this.head++;
    if (this.head > 64 && this.head * 2 > this.seqs.length) {
      this.seqs.splice(0, this.head);
      this.values.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Only called with the window holding a row of the group (the one just pushed). */
  top(): number {
    return this.values[this.head]!;
  }
}
