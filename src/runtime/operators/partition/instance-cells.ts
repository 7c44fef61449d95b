// The cell registry a partition instance's operators get: cells are
// registered under `<id>@<key>` in one group (a delta skips them unless an
// event or timer reached the instance) and dropped together (key-instance.ts
// has the instance's scheduler, whose timers fire into nothing once dropped).

import type { CellGroup, CellRegistry, StateCell } from '../../../state/cell.js';

export class InstanceCells implements CellRegistry {
  private ids: readonly string[] = [];
  /** Set by whatever reaches the instance (key-instance.ts); cleared by each capture. */
  readonly group: CellGroup = { changed: false };

  constructor(
    private readonly base: CellRegistry,
    private readonly key: string,
    /** A cell's own signature with the partition's (its keys) added: shared by the partition's instances, which repeat the same few. */
    private readonly sign: (own: string | undefined) => string | undefined,
  ) {}

  register(id: string, cell: StateCell, own?: string): void {
    const keyed = `${id}@${this.key}`;
    const signature = this.sign(own);
    this.base.register(keyed, cell, signature);
    this.base.groupCell?.(keyed, this.group);
    // An exact-size copy: a pushed array reserves 17 slots, and there is one per key.
    this.ids = this.ids.concat(keyed);
  }

  unregister(id: string): void {
    this.base.unregister(`${id}@${this.key}`);
  }

  dropAll(): void {
    for (const id of this.ids) this.base.unregister(id);
    this.ids = [];
  }
}
