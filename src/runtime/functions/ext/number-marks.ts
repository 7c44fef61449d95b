// Which numbers inside a container (a parsed JSON object or array, an engine-built Map) are
// Java Doubles or Floats: a JavaScript number alone cannot tell 25.0 from 25, and the
// reference writes a Double 25.0 as "25.0". Set by the JSON parser and the map: functions
// (from the argument types known when the query is planned); read by the writers.

export type NumberKind = 'double' | 'float';

const MARKS = new WeakMap<object, Map<unknown, NumberKind>>();

/** Marks `container[key]` (a Map's entry `key`) as a Java Double or Float; undefined clears the mark. */
export function markNumber(container: object, key: unknown, kind: NumberKind | undefined): void {
  let marks = MARKS.get(container);
  if (kind === undefined) {
    marks?.delete(key);
    return;
  }
  if (marks === undefined) MARKS.set(container, (marks = new Map()));
  marks.set(key, kind);
}

/** The Java class a number at `container[key]` was marked with, if any. */
export function numberKindAt(container: object, key: unknown): NumberKind | undefined {
  return MARKS.get(container)?.get(key);
}

/** Gives `to` (a copy of `from`) the same marks. */
export function copyNumberMarks(from: object, to: object): void {
  const marks = MARKS.get(from);
  if (marks !== undefined) MARKS.set(to, new Map(marks));
}
