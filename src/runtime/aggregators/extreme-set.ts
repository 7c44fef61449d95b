// A multiset of numbers that answers "smallest" (or "largest") under arbitrary
// removals. Used by the min and max aggregators. A small set is one sorted
// array (a binary search and a short move per change: no hashing, no
// allocation); past SMALL values it becomes value counts plus a binary heap
// with lazy deletion, amortised O(log distinct) per change.

import { lowerBound } from '../../sorted.js';

/** Above this many values the sorted array's moves cost more than a map and a heap (measured: bench/kernels.ts QM). */
const SMALL = 128;
/** A large set goes back to the sorted array below this many (apart from SMALL, so sizes near it do not flip every change). */
const BACK = 32;

export class ExtremeSet {
  /** Small form: every value held, ascending, repeats included; undefined in the large form. */
  private sorted: number[] | undefined = [];
  /** Large form: value → how many times it is held. */
  private counts: Map<number, number> | undefined;
  /** Large form: heap of `sign * value` (a min-heap), possibly holding stale entries. */
  private heap: number[] = [];
  /** Large form: values held, repeats included. */
  private total = 0;

  /** sign 1 keeps the minimum on top, -1 the maximum. */
  constructor(private readonly sign: 1 | -1) {}

  add(v: number): void {
    const a = this.sorted;
    // NaN has no place in an order: the large form holds it by count.
    if (a !== undefined && a.length < SMALL && v === v) {
      let i = a.length;
      a.push(v);
      while (i > 0 && a[i - 1]! > v) {
        a[i] = a[i - 1]!;
        i--;
      }
      a[i] = v;
      return;
    }
    const counts = this.counts ?? this.toLarge();
    const c = counts.get(v);
    this.total++;
    if (c === undefined) {
      counts.set(v, 1);
      this.push(this.sign * v);
    } else {
      counts.set(v, c + 1);
    }
  }

  remove(v: number): void {
    const a = this.sorted;
    if (a !== undefined) {
      const i = indexOf(a, v);
      if (i < 0) return;
      for (let j = i + 1; j < a.length; j++) a[j - 1] = a[j]!;
      a.pop();
      return;
    }
    const counts = this.counts!;
    const c = counts.get(v);
    if (c === undefined) return;
    this.total--;
    if (c > 1) counts.set(v, c - 1);
    else counts.delete(v);
    if (this.total < BACK && !counts.has(NaN)) this.toSmall();
    // Stale entries are dropped when they reach the top; rebuild if they pile up.
    else if (this.heap.length > 2 * counts.size + 32) this.rebuild();
  }

  /** The extreme value, or null when empty. */
  top(): number | null {
    const a = this.sorted;
    if (a !== undefined) return a.length === 0 ? null : this.sign === 1 ? a[0]! : a[a.length - 1]!;
    const h = this.heap;
    const counts = this.counts!;
    while (h.length > 0) {
      const v = this.sign * h[0]!;
      if (counts.has(v)) return v;
      this.pop();
    }
    return null;
  }

  /** How many distinct values are held. */
  get size(): number {
    return this.counts !== undefined ? this.counts.size : this.save().length;
  }

  /** Plain form: [value, count] pairs. */
  save(): [number, number][] {
    const a = this.sorted;
    if (a === undefined) return [...this.counts!];
    const pairs: [number, number][] = [];
    for (let i = 0; i < a.length; i++) {
      const last = pairs[pairs.length - 1];
      if (last !== undefined && last[0] === a[i]) last[1]++;
      else pairs.push([a[i]!, 1]);
    }
    return pairs;
  }

  static load(sign: 1 | -1, pairs: readonly [number, number][]): ExtremeSet {
    const s = new ExtremeSet(sign);
    let total = 0;
    for (const [, c] of pairs) total += c;
    if (total <= SMALL && !pairs.some(([v]) => v !== v)) {
      const a = s.sorted!;
      for (const [v, c] of pairs) for (let i = 0; i < c; i++) a.push(v);
      a.sort((x, y) => x - y);
      return s;
    }
    const counts = new Map<number, number>();
    for (const [v, c] of pairs) counts.set(v, c);
    s.sorted = undefined;
    s.counts = counts;
    s.total = total;
    s.rebuild();
    return s;
  }

  private toLarge(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const [v, c] of this.save()) counts.set(v, c);
    this.total = this.sorted!.length;
    this.sorted = undefined;
    this.counts = counts;
    this.rebuild();
    return counts;
  }

  private toSmall(): void {
    const a: number[] = [];
    for (const [v, c] of this.counts!) for (let i = 0; i < c; i++) a.push(v);
    a.sort((x, y) => x - y);
    this.sorted = a;
    this.counts = undefined;
    this.heap = [];
    this.total = 0;
  }

  private rebuild(): void {
    // A sorted array is a valid min-heap.
    const sign = this.sign;
    this.heap = [...this.counts!.keys()].map((v) => sign * v).sort((a, b) => a - b);
  }

  private push(x: number): void {
    const h = this.heap;
    let i = h.length;
    h.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= x) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = x;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    const n = h.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && h[r]! < h[l]! ? r : l;
      if (h[c]! >= last) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

/** The position of one `v` in ascending `a`, or -1 (NaN is never in it; -0 finds 0, as a Map key would). */
function indexOf(a: readonly number[], v: number): number {
  const i = lowerBound(a, v);
  return i < a.length && a[i] === v ? i : -1;
}
