// One key's running queries as its partition sees them: the readers of the
// outer streams it reads, its cells (it is their registry and their group),
// whether it is alive. A partition makes one per key, so this one object
// stands in for what would otherwise be a registry, a group, a junction view
// per stream and their closures: every object here is paid once per key.

import { droppedChunkError } from '../../junction.js';
import { markChanged, type CellGroup, type CellRegistry, type CellSignature, type ChangeLog, type StateCell } from '../../../state/cell.js';
import type { Scheduler, TimerTarget } from '../../clock.js';
import { CURRENT, StreamEvent } from '../../event.js';
import { generateStep, type Step } from '../../kernel/generate-step.js';
import type { RowReader } from '../../kernel/row-reader.js';
import type { PatternSide } from '../pattern/pattern-runtime.js';
import { RowSkip, type SkipTable } from './row-skip.js';
import type { Processor } from '../../processor.js';
import type { PartitionInstance } from './partition.js';

/** What a partition's instances share: one object per partition. */
export interface InstanceShared {
  /** The app's registry: an instance's cells go there under `<id>@<key>`. */
  readonly base: CellRegistry;
  /** A cell's own signature with the partition's (its keys) added. */
  readonly sign: (own: CellSignature | undefined) => CellSignature | undefined;
  readonly report: (error: unknown, where: string) => void;
  /** Cell ids (without the key) in the order instances register them: every key registers the same ones. */
  readonly ids: string[];
  /** Where an instance lists itself on its first change after a capture (the app registry's, or one nobody reads). */
  readonly changes: ChangeLog;
  /** The stream whose rows the router may keep from instances that take skips (see skip-test.ts), if any. */
  readonly skipStream: string | undefined;
  /** The times of the keys that take skips; a capture settles their skipped rows first (SkipTable.settlePending). */
  readonly skips: SkipTable;
}

export class KeyInstance implements CellRegistry, PartitionInstance, CellGroup {
  /**
   * The skipper's slot in the partition's SkipTable, -1 without one. First
   * with changedIn: a skipped row reads this instance's first fields only.
   */
  skipSlot = -1;
  /** Marked by whatever reaches the instance (an event, a timer): a delta capture visits only the instances marked since the last one. */
  changedIn = 0;
  created = 0;
  alive: boolean;
  /** This instance's cells are the first `registered` of `shared.ids`, unless it registered others (then `own` lists them). */
  private registered = 0;
  private own: string[] | undefined;
  private readerName: string | undefined;
  private reader: Processor<StreamEvent> | undefined;
  /** Further readers (a second query, or a second stream), in subscription order. */
  private more: [string, Processor<StreamEvent>][] | undefined;
  /** `reader` while it is the only one and takes rows (decided as readers are added, not per event). */
  private rowReader: RowReader | undefined;
  /**
   * The row reader's generated step when it offers one (a pattern): what a
   * generated send() would inline for a stream it alone reads, here one
   * closure per key from one compiled function per shape, so each key's
   * events run the pattern's own code rather than its shared acceptRow.
   */
  private rowStep: Step | undefined;
  /**
   * Set while the router may keep rows that no state of the sole reader (a
   * pattern, see skip-test.ts) could take. After a restore it skips nothing
   * until a row has reached the states (RowSkip.restored): the restored
   * matches may have started after the rows that come next.
   */
  skipper: RowSkip | undefined;

  constructor(
    readonly key: string,
    public lastSeen: number,
    /** Absent for the check instance built before any key (build-partition.ts), which registers nothing. */
    private readonly shared: InstanceShared | undefined,
  ) {
    this.alive = shared !== undefined;
  }

  register(id: string, cell: StateCell, own?: CellSignature): void {
    const s = this.shared;
    if (s === undefined) return;
    const keyed = `${id}@${this.key}`;
    s.base.register(keyed, cell, s.sign(own));
    s.base.groupCell?.(keyed, this);
    if (this.own === undefined) {
      const ids = s.ids;
      if (this.registered === ids.length) ids.push(id);
      if (ids[this.registered] === id) {
        this.registered++;
        return;
      }
      this.own = ids.slice(0, this.registered);
    }
    this.own.push(id);
  }

  unregister(id: string): void {
    this.shared?.base.unregister(`${id}@${this.key}`);
  }

  cellIds(): string[] {
    const s = this.shared;
    if (s === undefined) return [];
    // Once per changed key at every delta capture: one array, no slice of the shared ids.
    const ids = this.own ?? s.ids;
    const n = this.own?.length ?? this.registered;
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = `${ids[i]}@${this.key}`;
    return out;
  }

  /** The instance's queries read outer stream (or named window) `name` through `reader`. */
  addReader(name: string, reader: Processor<StreamEvent>): void {
    if (this.reader === undefined) {
      this.readerName = name;
      this.reader = reader;
      const r = reader as Partial<RowReader>;
      if (r.acceptRow !== undefined) {
        this.rowReader = r as RowReader;
        // Not for the check instance: it never takes rows.
        const g = r.generated;
        if (g !== undefined && this.shared !== undefined) this.rowStep = generateStep(g);
        const side = r as Partial<PatternSide>;
        if (side.settle !== undefined && side.latestStart !== undefined && side.states !== undefined && this.shared !== undefined && this.shared.skipStream === name) {
          this.skipper = new RowSkip(this, this.shared, { settle: side.settle, latestStart: side.latestStart, stream: name, states: side.states });
          this.skipSlot = this.skipper.slot;
        }
      }
    } else {
      (this.more ??= []).push([name, reader]);
      this.rowReader = undefined;
      this.rowStep = undefined;
      this.dropSkipper();
    }
  }

  /**
   * The generated step of the sole reader of `name`, when it has one and no
   * row of `name` is noted for skips: a generated router (routers.ts) then
   * delivers the row itself as deliverRow would, calling the step from its
   * own script (one call site per partition query, where deliverRow's is
   * every partition's in the process).
   */
  stepFor(name: string): Step | undefined {
    return name === this.readerName ? this.rowStep : undefined;
  }

  /** A step that threw: reported, and the row dropped for this key (other keys still get it), as a stream junction does. */
  stepFailed(name: string, e: unknown): void {
    this.shared?.report(droppedChunkError(name, e), '');
  }

  /** The instance's sole reader (of stream `name`) when it takes rows: build-partition.ts asks whether its rows may be skipped (skip-test.ts). */
  soleReader(): { readonly name: string; readonly reader: RowReader } | undefined {
    return this.rowReader === undefined ? undefined : { name: this.readerName!, reader: this.rowReader };
  }

  /** Its cells are about to take restored state: no skips until a row has reached them (RowSkip.restored). */
  resumed(): void {
    this.skipper?.restored();
  }

  deliver(name: string, chunk: StreamEvent[]): void {
    if (this.shared !== undefined) markChanged(this.shared.changes, this);
    const slot = this.skipSlot;
    if (slot >= 0 && name === this.readerName) for (let i = 0; i < chunk.length; i++) this.shared!.skips.noteRow(slot, chunk[i]!.timestamp);
    try {
      if (name === this.readerName) this.reader!.process(chunk);
      const more = this.more;
      if (more !== undefined) for (let i = 0; i < more.length; i++) if (more[i]![0] === name) more[i]![1].process(chunk);
    } catch (e) {
      // As a stream junction does: the chunk is reported and dropped for this key; other keys still get it.
      this.shared?.report(droppedChunkError(name, e), '');
    }
  }

  deliverRow(name: string, timestamp: number, data: unknown[]): void {
    const r = this.rowReader;
    if (r === undefined || name !== this.readerName) {
      this.deliver(name, [new StreamEvent(timestamp, data.slice(), CURRENT)]);
      return;
    }
    // The sole reader of `name` takes rows (a pattern: kernels are fused on outer junctions only): it copies what it keeps.
    const shared = this.shared;
    if (shared !== undefined) {
      markChanged(shared.changes, this);
      // The table, not the skipper: a delivered row reads no RowSkip.
      if (this.skipSlot >= 0) shared.skips.noteRow(this.skipSlot, timestamp);
    }
    try {
      const step = this.rowStep;
      if (step !== undefined) step(timestamp, data);
      else r.acceptRow(timestamp, data);
    } catch (e) {
      this.stepFailed(name, e);
    }
  }

  drop(): void {
    this.alive = false;
    this.dropSkipper();
    const s = this.shared;
    if (s === undefined) return;
    for (const id of this.cellIds()) s.base.unregister(id);
    this.registered = 0;
    this.own = undefined;
  }

  private dropSkipper(): void {
    this.skipper?.release();
    this.skipper = undefined;
    this.skipSlot = -1;
  }
}

/** Who owns an instance's timers: they fire only while it is alive, and mark its cells changed. */
interface TimerOwner extends CellGroup {
  readonly alive: boolean;
}

/**
 * A key instance's scheduler: the app's, except that timers fire only while
 * their owner is alive. A class that forwards to the app's scheduler rather
 * than an object with the app's scheduler as prototype: V8 gives an object
 * used as a prototype a map of its own, so every app with a partition gave its
 * scheduler a map no other app's shared, and the clock's call sites on every
 * event (moveQuietly in each generated send(), now()) went megamorphic in a
 * process running several apps. `implements` lists every public member, so a
 * new one on Scheduler breaks the build here until it is forwarded.
 */
class InstanceScheduler implements Pick<Scheduler, keyof Scheduler> {
  constructor(
    private readonly base: Scheduler,
    private readonly changes: ChangeLog,
    private readonly owner: TimerOwner,
  ) {}

  get gate(): Scheduler['gate'] {
    return this.base.gate;
  }

  get onEarliestChanged(): Scheduler['onEarliestChanged'] {
    return this.base.onEarliestChanged;
  }

  set onEarliestChanged(f: Scheduler['onEarliestChanged']) {
    this.base.onEarliestChanged = f;
  }

  get sequence(): number {
    return this.base.sequence;
  }

  set sequence(seq: number) {
    this.base.sequence = seq;
  }

  now(): number {
    return this.base.now();
  }

  schedule(time: number, target: TimerTarget, seq?: number): number {
    const { owner, changes } = this;
    return this.base.schedule(time, {
      onTimer: (t, n) => {
        if (!owner.alive) return;
        markChanged(changes, owner);
        target.onTimer(t, n);
      },
    }, seq);
  }

  setTime(time: number): void {
    this.base.setTime(time);
  }

  nextPeriodic(time: number, period: number): number {
    return this.base.nextPeriodic(time, period);
  }

  peek(): number | undefined {
    return this.base.peek();
  }

  moveQuietly(time: number): boolean {
    return this.base.moveQuietly(time);
  }

  advanceTo(time: number): void {
    this.base.advanceTo(time);
  }

  clear(): void {
    this.base.clear();
  }
}

/** Makes instance schedulers (see InstanceScheduler): one small object per instance. */
export function instanceSchedulers(base: Scheduler, changes: ChangeLog): (owner: TimerOwner) => Scheduler {
  // Scheduler's private fields make it nominal; InstanceScheduler has every public member.
  return (owner) => new InstanceScheduler(base, changes, owner) as unknown as Scheduler;
}
