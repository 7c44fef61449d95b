// A hash index of a sliding window's contents on one attribute, for joins
// whose `on` has an equality on it. It follows the window's output (a current
// event entered, an expired one left, a reset emptied it), so it is only used
// for windows whose output mirrors their contents (length, time, timeLength,
// externalTime); after a restore it is rebuilt from the window on first use.
// Derived data: nothing of it is checkpointed. Maintained by Join, read by the
// finder plan/compile-find.ts builds.

import { CURRENT, EXPIRED, RESET, type StreamEvent } from '../../event.js';

export class WindowIndex {
  private readonly rows = new Map<unknown, StreamEvent[]>();
  private stale = true;

  constructor(
    /** The indexed attribute's position. */
    readonly position: number,
    private readonly contents: () => Iterable<StreamEvent>,
  ) {}

  /** The window's state was replaced (a restore): rebuild before the next lookup. */
  invalidate(): void {
    this.stale = true;
  }

  /** Follows one chunk of the window's output. */
  follow(chunk: readonly StreamEvent[]): void {
    if (this.stale) return;
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      if (e.type === CURRENT) this.add(e);
      else if (e.type === EXPIRED) this.remove(e);
      else if (e.type === RESET) this.rows.clear();
    }
  }

  /** Rows whose attribute equals `value`, oldest first. */
  lookup(value: unknown): readonly StreamEvent[] | undefined {
    if (this.stale) this.rebuild();
    return this.rows.get(value);
  }

  private add(e: StreamEvent): void {
    const v = e.data[this.position];
    const list = this.rows.get(v);
    if (list) list.push(e);
    else this.rows.set(v, [e]);
  }

  /** Removes the oldest row with the same data (an expiry is a copy of the row it retires). */
  private remove(e: StreamEvent): void {
    const v = e.data[this.position];
    const list = this.rows.get(v);
    if (!list) return;
    // A loop, not findIndex with a closure: one expiry per arrival, each would allocate the closure.
    let at = 0;
    while (at < list.length && !sameData(list[at]!.data, e.data)) at++;
    if (at === list.length) return;
    list.splice(at, 1);
    if (list.length === 0) this.rows.delete(v);
  }

  private rebuild(): void {
    this.rows.clear();
    this.stale = false;
    for (const e of this.contents()) this.add(e);
  }
}

function sameData(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
