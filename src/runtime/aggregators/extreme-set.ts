// A multiset of numbers that answers "smallest" (or "largest") under arbitrary
// removals: value counts plus a binary heap with lazy deletion. Used by the
// min and max aggregators; amortised O(log distinct) per add and remove.

export class ExtremeSet {
  /** value → how many times it is held. */
  readonly counts = new Map<number, number>();
  /** Heap of `sign * value` (a min-heap), possibly holding stale entries. */
  private heap: number[] = [];

  /** sign 1 keeps the minimum on top, -1 the maximum. */
  constructor(private readonly sign: 1 | -1) {}

  add(v: number): void {
    const c = this.counts.get(v);
    if (c === undefined) {
      this.counts.set(v, 1);
      this.push(this.sign * v);
    } else {
      this.counts.set(v, c + 1);
    }
  }

  remove(v: number): void {
    const c = this.counts.get(v);
    if (c === undefined) return;
    if (c > 1) this.counts.set(v, c - 1);
    else this.counts.delete(v);
    // Stale entries are dropped when they reach the top; rebuild if they pile up.
    if (this.heap.length > 2 * this.counts.size + 32) this.rebuild();
  }

  /** The extreme value, or null when empty. */
  top(): number | null {
    const h = this.heap;
    while (h.length > 0) {
      const v = this.sign * h[0]!;
      if (this.counts.has(v)) return v;
      this.pop();
    }
    return null;
  }

  get size(): number {
    return this.counts.size;
  }

  /** Plain form: [value, count] pairs. */
  save(): [number, number][] {
    return [...this.counts];
  }

  static load(sign: 1 | -1, pairs: readonly [number, number][]): ExtremeSet {
    const s = new ExtremeSet(sign);
    for (const [v, c] of pairs) s.counts.set(v, c);
    s.rebuild();
    return s;
  }

  private rebuild(): void {
    // A sorted array is a valid min-heap.
    const sign = this.sign;
    this.heap = [...this.counts.keys()].map((v) => sign * v).sort((a, b) => a - b);
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
