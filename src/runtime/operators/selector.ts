// The query selector: projection, aggregation, group by, having, order by,
// offset and limit over one chunk of rows. Planned by plan/plan-selector.ts;
// its successor is the output (or an output rate limiter).

import { CURRENT, EXPIRED, RESET, type Row, StreamEvent } from '../event.js';
import type { CompiledExpression } from '../expression.js';
import { Pipe } from '../processor.js';
import type { AggregateStore, GroupState, SelectorFrame } from './selector-groups.js';
import { type Candidates, type OrderKey, sliceCandidates, sortCandidates } from './selector-order.js';

/**
 * How rows of one chunk become output: `rows` emits every row (no aggregation,
 * or per-event mode for snapshot rate limiting), `last` only the last row of
 * the chunk (aggregation without group by), `groups` the last row of each group
 * key in first-seen order (group by).
 */
export type SelectorMode = 'rows' | 'last' | 'groups';

export interface SelectorConfig {
  readonly mode: SelectorMode;
  readonly projections: readonly ((row: Row) => unknown)[];
  /** The compiled output and group-by expressions, for kernels that inline simple ones (runtime/kernel). */
  readonly outputs?: readonly CompiledExpression[];
  readonly keys?: readonly CompiledExpression[];
  /**
   * Per output, its JavaScript over the input as the input's own generated
   * code holds it (a pattern's match `d`, plan/pattern-scope.ts `sources`),
   * when it has one: a pattern step projects its matches itself (pattern-step.ts).
   * Not over a row, unlike `outputs`' sources. Plain selectors only.
   */
  readonly inputSources?: readonly (string | undefined)[];
  readonly frame: SelectorFrame;
  readonly aggregates?: AggregateStore;
  readonly groupKey?: (row: Row) => string;
  /** Reads `frame.out` for output names; true lets the row through. */
  readonly having?: (row: Row) => unknown;
  readonly order: readonly OrderKey[];
  readonly offset: number;
  /** Infinity without `limit`. */
  readonly limit: number;
  readonly current: boolean;
  readonly expired: boolean;
}

const NONE: Row[] = [];
const NONE_KEYS: string[] = [];

/** Its output chunks carry their group keys when grouped (for a grouped rate limiter). */
export class Selector extends Pipe {
  private readonly needRows: boolean;
  private readonly needKeys: boolean;
  private readonly deferred: boolean;
  /** A plain projection: no aggregates, grouping, order or limit (the filter/map case). */
  readonly plain: boolean;

  /** Apart from the config, which every partition key's selector of one query then shares. */
  private readonly aggregates: AggregateStore | undefined;

  constructor(private readonly c: SelectorConfig, aggregates: AggregateStore | undefined = c.aggregates) {
    super();
    this.aggregates = aggregates;
    this.needRows = c.order.length > 0;
    this.needKeys = c.groupKey !== undefined;
    this.deferred = c.mode !== 'rows' && c.having === undefined && aggregates !== undefined;
    this.plain = c.mode === 'rows' && aggregates === undefined && c.groupKey === undefined
      && c.order.length === 0 && c.offset === 0 && c.limit === Infinity;
  }

  /**
   * Without `having`, only the rows finally emitted need projecting. A
   * recorded row is projected at the end, when its group's aggregates still
   * equal those at the row; a later non-emitted row of the same group would
   * change them, so it projects the recorded row first.
   */
  private processDeferred(chunk: Row[]): void {
    const c = this.c;
    const aggregates = this.aggregates!;
    const grouped = c.mode === 'groups';
    const rows: Row[] = [];
    const keys: string[] = [];
    const groups: GroupState[] = [];
    const done: (StreamEvent | undefined)[] = [];
    let seen: Map<string, number> | undefined;
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk[i]!;
      const type = row.type;
      if (type === RESET) {
        for (let j = 0; j < rows.length; j++) done[j] ??= this.materialize(rows[j]!, groups[j]!);
        aggregates.reset();
        continue;
      }
      if (type !== CURRENT && type !== EXPIRED) continue;
      const key = c.groupKey ? c.groupKey(row) : '';
      const at = !grouped ? (rows.length > 0 ? 0 : undefined) : seen ? seen.get(key) : indexOfKey(keys, key);
      const emitted = type === CURRENT ? c.current : c.expired;
      if (!emitted) {
        if (at !== undefined) done[at] ??= this.materialize(rows[at]!, groups[at]!);
        aggregates.update(row, key, false);
        continue;
      }
      const group = aggregates.update(row, key, false);
      if (at !== undefined) {
        rows[at] = row;
        keys[at] = key;
        groups[at] = group;
        done[at] = undefined;
        continue;
      }
      if (seen) seen.set(key, rows.length);
      else if (grouped && keys.length >= 8) seen = indexKeys(keys, key);
      rows.push(row);
      keys.push(key);
      groups.push(group);
      done.push(undefined);
    }
    if (rows.length === 0) return;
    const out: Candidates = { events: new Array(rows.length), rows, keys };
    for (let j = 0; j < rows.length; j++) out.events[j] = done[j] ?? this.materialize(rows[j]!, groups[j]!);
    this.release(out);
  }

  /** One row through a plain projection: the per-event path of filter/map queries. */
  private processOne(row: Row): void {
    const data = this.projectOne(row);
    if (data !== undefined) this.next.process([new StreamEvent(row.timestamp, data, row.type)]);
  }

  /**
   * A plain selector's output row for `row`, or undefined when its type is
   * not emitted or `having` drops it. Also called by a pattern runtime that
   * hands its matches' rows on itself (pattern-runtime.ts).
   */
  projectOne(row: Row): unknown[] | undefined {
    const c = this.c;
    const type = row.type;
    if (type === CURRENT ? !c.current : type === EXPIRED ? !c.expired : true) return undefined;
    const data = this.project(row);
    if (c.having && c.having(row) !== true) return undefined;
    return data;
  }

  /** What it was planned with (kernel fusion reads it; see runtime/kernel/fuse.ts). */
  get config(): SelectorConfig {
    return this.aggregates === this.c.aggregates ? this.c : { ...this.c, aggregates: this.aggregates };
  }

  /**
   * The output event of `row` with its group's aggregates as they stand now:
   * `group` is the state the row last updated (an emptied one reads as fresh).
   */
  private materialize(row: Row, group: GroupState): StreamEvent {
    this.aggregates!.loadFrom(group);
    return new StreamEvent(row.timestamp, this.project(row), row.type);
  }

  private release(out: Candidates): void {
    const c = this.c;
    if (c.mode === 'last') {
      // One row per chunk: order has nothing to do, offset/limit either keep or drop it.
      if (c.offset > 0 || c.limit < 1) return;
    } else {
      if (c.order.length > 0) sortCandidates(out, c.order);
      sliceCandidates(out, c.offset, c.limit);
      if (out.events.length === 0) return;
    }
    this.next.process(out.events, this.needKeys ? out.keys : undefined);
  }

  process(chunk: Row[]): void {
    if (this.deferred) {
      this.processDeferred(chunk);
      return;
    }
    if (this.plain && chunk.length === 1) {
      this.processOne(chunk[0]!);
      return;
    }
    const c = this.c;
    const out: Candidates = { events: [], rows: this.needRows ? [] : NONE, keys: this.needKeys ? [] : NONE_KEYS };
    // groups mode: position of each key's row in `out`; a Map only once a chunk has many keys.
    let seen: Map<string, number> | undefined;
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk[i]!;
      const type = row.type;
      if (type === RESET) {
        this.aggregates?.reset();
        continue;
      }
      if (type !== CURRENT && type !== EXPIRED) continue;
      const key = c.groupKey ? c.groupKey(row) : '';
      this.aggregates?.update(row, key);
      if (type === CURRENT ? !c.current : !c.expired) continue;
      const data = this.project(row);
      if (c.having && c.having(row) !== true) continue;
      const event = new StreamEvent(row.timestamp, data, type);
      if (c.mode === 'rows') {
        this.push(out, event, row, key);
      } else if (c.mode === 'last') {
        out.events[0] = event;
        if (this.needRows) out.rows[0] = row;
        if (this.needKeys) out.keys[0] = key;
      } else {
        const at = seen ? seen.get(key) : indexOfKey(out.keys, key);
        if (at === undefined) {
          if (seen) seen.set(key, out.events.length);
          else if (out.keys.length >= 8) seen = indexKeys(out.keys, key);
          this.push(out, event, row, key);
        } else {
          out.events[at] = event;
          if (this.needRows) out.rows[at] = row;
        }
      }
    }
    if (out.events.length === 0) return;
    this.release(out);
  }

  private project(row: Row): unknown[] {
    const p = this.c.projections;
    const data = new Array<unknown>(p.length);
    for (let i = 0; i < p.length; i++) data[i] = p[i]!(row);
    this.c.frame.out = data;
    return data;
  }

  private push(out: Candidates, event: StreamEvent, row: Row, key: string): void {
    out.events.push(event);
    if (this.needRows) out.rows.push(row);
    if (this.needKeys) out.keys.push(key);
  }
}

function indexOfKey(keys: readonly string[], key: string): number | undefined {
  for (let j = 0; j < keys.length; j++) if (keys[j] === key) return j;
  return undefined;
}

function indexKeys(keys: readonly string[], next: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let j = 0; j < keys.length; j++) m.set(keys[j]!, j);
  m.set(next, keys.length);
  return m;
}
