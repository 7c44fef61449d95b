// The member order of a parsed JSON object. A JavaScript object lists integer-like
// keys ("10", "2019") first whatever order they came in, while the reference's
// documents are Java maps (JsonPath: LinkedHashMap, json:toObject: HashMap order).
// The parser (lenient-json.ts) and the writers (gson-text.ts, json-path.ts) keep
// such an object's order here, beside the object, as the Double marks are kept.

const ORDERS = new WeakMap<object, string[]>();

/** An integer-like key: one JavaScript lists before the others. */
function isIndexKey(k: string): boolean {
  return /^(0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
}

/** Records `keys` (each once, in order) as the member order of `o`, when JavaScript would list them otherwise. */
export function keepMemberOrder(o: object, keys: readonly string[]): void {
  if (keys.some(isIndexKey)) ORDERS.set(o, [...keys]);
  else ORDERS.delete(o);
}

/** The members of an object in the order its document holds them. */
export function memberKeys(o: object): string[] {
  const own = Object.keys(o);
  const order = ORDERS.get(o);
  if (order === undefined) return own;
  if (order.length === own.length && order.every((k) => Object.hasOwn(o, k))) return order;
  // Members added or deleted since the order was recorded: kept ones in order, new ones after.
  const kept = order.filter((k) => Object.hasOwn(o, k));
  const seen = new Set(kept);
  const out = [...kept, ...own.filter((k) => !seen.has(k))];
  ORDERS.set(o, out);
  return out;
}

/** Sets o[k] as a Java map's put does: an existing member keeps its place, a new one goes last. */
export function putMember(o: Record<string, unknown>, k: string, v: unknown): void {
  if (!Object.hasOwn(o, k) && (ORDERS.has(o) || isIndexKey(k))) {
    const order = memberKeys(o);
    o[k] = v;
    keepMemberOrder(o, [...order, k]);
    return;
  }
  o[k] = v;
}
