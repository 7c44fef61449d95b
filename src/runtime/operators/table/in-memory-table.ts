// `define table T (…)`: one row store per app, shared by every query that
// reads or writes T. Rows sit in a LoggedMap keyed by primary key (or a row
// id), so an incremental checkpoint ships only changed rows; @index columns
// keep value → keys maps, rebuilt on restore. Planned by plan/plan-table.ts.

import { LoggedMap, type MapCapture } from '../../../state/logged-map.js';
import type { StateCell } from '../../../state/cell.js';
import { CURRENT, StreamEvent } from '../../event.js';
import type { AttributeSchema } from '../../schema.js';
import { isNumericType } from '../../values.js';
import type { Findable } from '../find/findable.js';

export type RowKey = string | number;

interface TableCapture {
  readonly rows: MapCapture;
  readonly next: number;
}

/** A stored row: an event that knows its key, so writers can find it again. */
export class TableRow extends StreamEvent {
  constructor(timestamp: number, data: unknown[], public key: RowKey) {
    super(timestamp, data, CURRENT);
  }
}

const ROW_CODEC = {
  encode: (e: TableRow): unknown => [e.timestamp, e.data],
  decode: (raw: unknown): TableRow => {
    const [ts, data] = raw as [number, unknown[]];
    // The key is set from the map entry once restored (reindex).
    return new TableRow(ts, data, 0);
  },
};

export interface TableOptions {
  readonly name: string;
  readonly attributes: readonly AttributeSchema[];
  /** Positions of the primary key attributes (empty: rows get ids). */
  readonly primaryKey: readonly number[];
  /** Positions of `@index` attributes. */
  readonly indexes: readonly number[];
}

/** What an update could not write (see InMemoryTable.updateRows). */
export interface UpdateOutcome {
  /** The new data whose primary key was taken: the update wrote nothing. */
  readonly taken?: readonly unknown[];
  /** Rows dropped on re-adding because their new composite key was taken. */
  readonly dropped: readonly (readonly unknown[])[];
}

const NOTHING_REFUSED: UpdateOutcome = { dropped: [] };

export class InMemoryTable implements Findable {
  readonly name: string;
  readonly attributes: readonly AttributeSchema[];
  readonly primaryKey: readonly number[];
  private readonly rows = new LoggedMap<RowKey, TableRow>(ROW_CODEC);
  /** attribute position → value → keys of rows holding it. */
  private readonly indexMaps = new Map<number, Map<unknown, Set<RowKey>>>();
  private nextId = 0;
  /** A single numeric primary key is scanned in ascending key order, as the reference's sorted map does. */
  private readonly order: KeyOrder | undefined;
  readonly cell: StateCell;

  constructor(o: TableOptions) {
    this.name = o.name;
    this.attributes = o.attributes;
    this.primaryKey = o.primaryKey;
    for (const i of o.indexes) this.indexMaps.set(i, new Map());
    if (o.primaryKey.length === 1 && isNumericType(o.attributes[o.primaryKey[0]!]!.type)) this.order = new KeyOrder();
    this.cell = {
      kind: 'table',
      version: 1,
      capture: (mode): TableCapture => ({ rows: this.rows.capture(mode), next: this.nextId }),
      restore: (s) => {
        const state = s as TableCapture;
        this.rows.restore(state.rows);
        this.nextId = state.next;
        this.order?.reset();
        this.reindex();
      },
    };
  }

  get size(): number {
    return this.rows.size;
  }

  /** The key of a row's data: its primary key, or undefined for id-keyed tables. */
  keyOf(data: readonly unknown[]): RowKey | undefined {
    const pk = this.primaryKey;
    if (pk.length === 0) return undefined;
    if (pk.length === 1) return keyPart(data[pk[0]!]);
    let k = keyPart(data[pk[0]!]) as string;
    for (let i = 1; i < pk.length; i++) k += '\u001f' + String(keyPart(data[pk[i]!]));
    return k;
  }

  /** The key for primary-key values given in key order. */
  keyOfValues(values: readonly unknown[]): RowKey {
    if (values.length === 1) return keyPart(values[0]);
    return values.map((v) => String(keyPart(v))).join('\u001f');
  }

  /** Adds a row; false (and nothing stored) when its primary key is taken. */
  insert(timestamp: number, data: unknown[]): boolean {
    let key = this.keyOf(data);
    if (key === undefined) key = this.nextId++;
    else if (this.rows.has(key)) return false;
    const row = new TableRow(timestamp, data, key);
    this.rows.set(key, row);
    this.indexRow(key, row, true);
    this.order?.added(key, this.rows.size);
    return true;
  }

  delete(key: RowKey): void {
    const row = this.rows.get(key);
    if (!row) return;
    this.indexRow(key, row, false);
    this.rows.delete(key);
    this.order?.deleted(key, this.rows.size);
  }

  /**
   * Replaces a row's data (rows are never mutated in place: joins may hold them).
   * A changed primary key moves the row; false when the new key is taken.
   */
  replace(key: RowKey, data: unknown[]): boolean {
    const old = this.rows.get(key);
    if (!old) return false;
    const newKey = this.keyOf(data) ?? key;
    if (!sameKey(newKey, key) && this.rows.has(newKey)) return false;
    this.indexRow(key, old, false);
    if (!sameKey(newKey, key)) {
      this.rows.delete(key);
      this.order?.deleted(key, this.rows.size);
      this.order?.added(newKey, this.rows.size + 1);
    }
    const row = new TableRow(old.timestamp, data, newKey);
    this.rows.set(newKey, row);
    this.indexRow(newKey, row, true);
    return true;
  }

  /**
   * One update event's writes: `datas[i]` replaces `rows[i]`. When no primary
   * key changes each row is replaced where it is. Otherwise, as the reference
   * does, a single primary key is checked first, row by row (the old key freed,
   * the new one taken): a key already taken fails the whole update, nothing is
   * written, and that row's new data is returned as `taken`. Then every row is
   * deleted and re-added in order; with a composite key (not checked first) a
   * re-added row whose key is taken is dropped and listed in `dropped`.
   */
  updateRows(rows: readonly TableRow[], datas: readonly unknown[][]): UpdateOutcome {
    const newKeys: (RowKey | undefined)[] = datas.map((d) => this.keyOf(d));
    let moves = false;
    for (let i = 0; i < rows.length && !moves; i++) moves = newKeys[i] !== undefined && !sameKey(newKeys[i]!, rows[i]!.key);
    if (!moves) {
      for (let i = 0; i < rows.length; i++) this.replace(rows[i]!.key, datas[i]!);
      return NOTHING_REFUSED;
    }
    if (this.primaryKey.length === 1) {
      const freed = new Set<RowKey>();
      const taken = new Set<RowKey>();
      for (let i = 0; i < rows.length; i++) {
        const from = rows[i]!.key;
        const to = newKeys[i]!;
        if (sameKey(to, from)) continue;
        freed.add(from);
        taken.delete(from);
        if (taken.has(to) || (this.rows.has(to) && !freed.has(to))) return { taken: datas[i]!, dropped: [] };
        taken.add(to);
      }
    }
    for (const row of rows) this.delete(row.key);
    const dropped: unknown[][] = [];
    for (let i = 0; i < rows.length; i++) {
      if (!this.insert(rows[i]!.timestamp, datas[i]!)) dropped.push(datas[i]!);
    }
    return dropped.length === 0 ? NOTHING_REFUSED : { dropped };
  }

  get(key: RowKey): TableRow | undefined {
    return this.rows.get(key);
  }

  /**
   * Visits every row, in ascending key order for a single numeric primary key
   * and in insertion order otherwise; the visitor may not change the table.
   */
  scan(visit: (row: TableRow) => void): void {
    if (!this.order) {
      for (const row of this.rows.values()) visit(row);
      return;
    }
    const keys = this.order.keys(this.rows);
    for (let i = 0; i < keys.length; i++) visit(this.rows.get(keys[i]!)!);
  }

  hasIndex(position: number): boolean {
    return this.indexMaps.has(position);
  }

  /** Keys of rows whose indexed attribute equals `value`. */
  indexed(position: number, value: unknown): ReadonlySet<RowKey> | undefined {
    return this.indexMaps.get(position)!.get(keyPart(value));
  }

  private indexRow(key: RowKey, row: TableRow, add: boolean): void {
    for (const [pos, map] of this.indexMaps) {
      const v = keyPart(row.data[pos]);
      let keys = map.get(v);
      if (add) {
        if (!keys) map.set(v, (keys = new Set()));
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) map.delete(v);
      }
    }
  }

  private reindex(): void {
    for (const map of this.indexMaps.values()) map.clear();
    for (const [k, row] of this.rows.entries()) {
      row.key = k;
      this.indexRow(k, row, true);
    }
  }
}

/**
 * The keys of a table in ascending order, brought up to date by a scan:
 * keys arriving above the largest are appended, others and deleted ones wait
 * to be spliced in or out one by one (a few) or merged in one pass (many;
 * a deleted key is dropped there, as is the twin of a key deleted and re-added).
 * When the changes outnumber the rows, the next scan sorts every key afresh.
 */
class KeyOrder {
  private sorted: RowKey[] = [];
  private pending: RowKey[] = [];
  private removed: RowKey[] = [];
  private stale = true;

  reset(): void {
    this.stale = true;
    this.sorted = [];
    this.pending = [];
    this.removed = [];
  }

  added(key: RowKey, size: number): void {
    if (this.stale) return;
    const s = this.sorted;
    if (this.pending.length === 0 && (s.length === 0 || compareKeys(s[s.length - 1]!, key) < 0)) s.push(key);
    else if (this.pending.push(key) + this.removed.length > size) this.reset();
  }

  deleted(key: RowKey, size: number): void {
    if (!this.stale && this.removed.push(key) + this.pending.length > size) this.reset();
  }

  keys(rows: LoggedMap<RowKey, TableRow>): readonly RowKey[] {
    if (this.stale) {
      this.sorted = [...rows.keys()].sort(compareKeys);
      this.stale = false;
    } else if (this.pending.length + this.removed.length > FEW_CHANGES) {
      this.sorted = merge(this.sorted, this.pending.sort(compareKeys), rows);
      this.pending = [];
      this.removed = [];
    } else if (this.pending.length + this.removed.length > 0) {
      const s = this.sorted;
      for (const k of this.removed) {
        const i = search(s, k);
        if (i < s.length && sameKey(s[i]!, k) && !rows.has(k)) s.splice(i, 1);
      }
      for (const k of this.pending) {
        const i = search(s, k);
        if ((i >= s.length || !sameKey(s[i]!, k)) && rows.has(k)) s.splice(i, 0, k);
      }
      this.pending = [];
      this.removed = [];
    }
    return this.sorted;
  }
}

const FEW_CHANGES = 32;

/** The first position in ascending `keys` whose key is not below `k`. */
function search(keys: readonly RowKey[], k: RowKey): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid]!, k) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Two ascending key lists as one, without keys no longer stored or repeated. */
function merge(a: readonly RowKey[], b: readonly RowKey[], rows: LoggedMap<RowKey, TableRow>): RowKey[] {
  const out: RowKey[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const k = j >= b.length || (i < a.length && compareKeys(a[i]!, b[j]!) <= 0) ? a[i++]! : b[j++]!;
    if (rows.has(k) && (out.length === 0 || !sameKey(out[out.length - 1]!, k))) out.push(k);
  }
  return out;
}

/**
 * Numbers ascending with NaN last (a total order, as Java's Double.compareTo
 * gives the reference's sorted map; `a - b` is NaN for a NaN key and breaks
 * sorting and search); the null key ('\u0000') first.
 */
function compareKeys(a: RowKey, b: RowKey): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== a) return b !== b ? 0 : 1;
    return b !== b ? -1 : a - b;
  }
  return typeof a === 'number' ? 1 : typeof b === 'number' ? -1 : 0;
}

/** One key as the rows' Map sees it (SameValueZero: NaN is NaN). */
function sameKey(a: RowKey, b: RowKey): boolean {
  return a === b || (a !== a && b !== b);
}

/** Null and undefined are one key; everything else keys by value. */
function keyPart(v: unknown): RowKey {
  if (v === null || v === undefined) return '\u0000';
  return typeof v === 'number' || typeof v === 'string' ? v : String(v);
}
