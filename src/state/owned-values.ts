// Which maps and lists the engine may change in place (map:put, list:add …):
// those it made since the last state capture. Called by runtime/functions
// (adopt, owns) and by the checkpoint manager (disownAll, at each capture).

/** Per map or list the engine made: the capture epoch it was made in. */
const madeIn = new WeakMap<object, number>();
let epoch = 0;

/** Marks a map or list the engine made: until the next capture, changes to it may happen in place. */
export function adopt<T extends object>(v: T): T {
  madeIn.set(v, epoch);
  return v;
}

/** Whether `v` may be changed in place: the engine made it, and no capture since may hold it. */
export function owns(v: object): boolean {
  return madeIn.get(v) === epoch;
}

/**
 * A capture is taken: every map and list made so far may be held by it (a
 * checkpoint encoded after its pause, the state kept at start), at any depth of
 * any cell's state. From now on the engine copies each one on its next change,
 * as it does a restored one: O(1) here instead of a walk over the captured values.
 */
export function disownAll(): void {
  epoch++;
}
