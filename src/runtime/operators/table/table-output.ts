// The table writes at the end of a query (`insert into T`, `delete T on …`,
// `update T [set …] on …`, `update or insert into T [set …] on …`) and of
// on-demand queries. Each takes the selector's output events; matches are
// collected before a write, so a write never disturbs the scan it came from.
// Planned by plan/plan-table.ts.

import type { Row, StreamEvent } from '../../event.js';
import type { Finder } from '../find/findable.js';
import type { Processor } from '../../processor.js';
import type { InMemoryTable, TableRow } from './in-memory-table.js';

/** Reports a dropped duplicate primary key (the reference logs it and goes on). */
export type DuplicateReport = (table: string, data: readonly unknown[]) => void;

/** Reports an update that was refused (`taken`: nothing written) or a row it dropped. */
export type UpdateRefusedReport = (table: string, data: readonly unknown[], taken: boolean) => void;

export class TableInsert implements Processor<StreamEvent> {
  constructor(private readonly table: InMemoryTable, private readonly duplicate: DuplicateReport) {}

  process(chunk: StreamEvent[]): void {
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      if (!this.table.insert(e.timestamp, e.data.slice())) this.duplicate(this.table.name, e.data);
    }
  }
}

export class TableDelete implements Processor<StreamEvent> {
  constructor(private readonly table: InMemoryTable, private readonly find: Finder) {}

  process(chunk: StreamEvent[]): void {
    for (let i = 0; i < chunk.length; i++) {
      for (const row of matches(this.find, chunk[i]!)) this.table.delete(row.key);
    }
  }
}

/**
 * New row data for a matched row: the row's data with the set columns
 * replaced. `probe` is the probing event; each assignment reads the probe and
 * the matched row through `value(event, row)`.
 */
export interface UpdateSet {
  readonly columns: readonly number[];
  readonly value: readonly ((event: Row, row: TableRow) => unknown)[];
}

export class TableUpdate implements Processor<StreamEvent> {
  constructor(
    private readonly table: InMemoryTable,
    private readonly find: Finder,
    private readonly set: UpdateSet,
    private readonly refused: UpdateRefusedReport,
    /** Inserts the event when nothing matched (update or insert); report duplicates like inserts. */
    private readonly orInsert?: DuplicateReport,
  ) {}

  process(chunk: StreamEvent[]): void {
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      const found = matches(this.find, e);
      if (found.length === 0) {
        if (this.orInsert && !this.table.insert(e.timestamp, e.data.slice())) this.orInsert(this.table.name, e.data);
        continue;
      }
      const outcome = this.table.updateRows(found, found.map((row) => updated(this.set, e, row)));
      if (outcome.taken) this.refused(this.table.name, outcome.taken, true);
      for (const d of outcome.dropped) this.refused(this.table.name, d, false);
    }
  }
}

function updated(set: UpdateSet, e: StreamEvent, row: TableRow): unknown[] {
  const data = row.data.slice();
  // Values are computed from the row as it was, then written together.
  const values = set.value.map((v) => v(e, row));
  for (let j = 0; j < set.columns.length; j++) data[set.columns[j]!] = values[j];
  return data;
}

function matches(find: Finder, e: Row): TableRow[] {
  const out: TableRow[] = [];
  find(e, (row) => out.push(row as TableRow));
  return out;
}
