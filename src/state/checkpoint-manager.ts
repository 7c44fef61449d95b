// The checkpoint manager: operators register their state cells here; the app
// runtime asks it for snapshots, restores and persisted (incremental) chains.
// Capturing is the only pause; encoding and storing happen after it.

import { createHash } from 'node:crypto';
import { SiddhiStateError } from '../errors.js';
import { ChangeLog, keepingLogs, markChanged, signatureText, type CaptureMode, type CellGroup, type CellRegistry, type CellSignature, type StateCell } from './cell.js';
import {
  copyState, decodeCheckpoint, packState, unpackState, initZstd, packCheckpoint, packCheckpointAsync, sealCheckpoint, zstdLoaded,
  type Captured, type Compression, type DecodedCheckpoint, type PackedCheckpoint, type TakenCell,
} from './codec.js';
import { ColumnsSnapshot } from './columns-snapshot.js';
import { Migrations } from './migrations.js';
import { disownAll } from './owned-values.js';
import { sealOffThread } from './sealer.js';
import { endReads, lendingColumns, listingClaims, readingCaptures, type ColumnOwner } from './column-pool.js';
import { migrateSequence, planRestore, refuseForeign, sameMeaning, sequenceChain, type CellSequences, type RestoreReport } from './restore-plan.js';
import type { PersistenceStore } from './stores.js';
import { loadUsableChain, nextLink, nextRevision, persistMode, restoredLink, type ChainLink } from './chain.js';
import type { CellSize, CheckpointManagerOptions, CheckpointMetric, PersistOptions, RestoreOptions } from './checkpoint-options.js';

export type { CellSize, CheckpointManagerOptions, CheckpointMetric, PersistOptions, RestoreOptions } from './checkpoint-options.js';

interface Slot {
  readonly cell: StateCell;
  /** What the state means, from the planner (see CellRegistry.register); computed when first needed. */
  readonly signature: CellSignature | undefined;
  /** Not captured or restored since it registered: its next capture must be full. */
  fresh: boolean;
  /** The cell's state when the app started: what a lenient restore starts it from (see keepState). */
  initial?: unknown;
  /** A delta capture visits the cell only when its group was marked changed (see CellGroup). */
  group?: CellGroup;
}

/** The last text fingerprinted and its hash: the runtimes of one app, made one after another (restarts, tests), hash it once. */
let lastFingerprint: { readonly text: string; readonly hash: string } | undefined;

/** Hex sha256 of an app's text, for `CheckpointManagerOptions.fingerprint`. */
export function fingerprintApp(text: string): string {
  if (lastFingerprint?.text !== text) lastFingerprint = { text, hash: createHash('sha256').update(text).digest('hex') };
  return lastFingerprint.hash;
}

export class CheckpointManager implements CellRegistry {
  readonly appName: string;
  /** The app's fingerprint, or how to compute it when first needed (hashing 1 MB of text is ~1% of checking it). */
  private fingerprintOf: string | (() => string);
  readonly migrations = new Migrations();
  /** The last checkpoints taken, oldest first. */
  readonly metrics: CheckpointMetric[] = [];
  /** Per cell id: its size in the newest checkpoint that carried it; unregistered cells are dropped. */
  readonly cellSizes = new Map<string, CellSize>();
  private readonly slots = new Map<string, Slot>();
  /** The slots of no group: a delta capture visits these, then the cells of the groups changed since the last capture. */
  private readonly ungrouped = new Map<string, Slot>();
  /** Groups changed since the last capture; their owners mark them (markChanged). */
  readonly changes = new ChangeLog();
  private started = false;
  private readonly scopes: string[] = [];
  /** Ids unregistered since the last capture: the next delta lists them as dropped. */
  private readonly dropped = new Set<string>();
  /**
   * The restore being applied. Restoring a cell may drop and make others (the partition keys cell replays the
   * chain's key sets, so a key the purge dropped and that came back is made, dropped and made again): whatever
   * registers meanwhile under an id the chain has takes its states, each time it registers.
   */
  private applying: { pending: CellSequences; apply: ReadonlyMap<string, unknown[]>; met: Set<string>; report: RestoreReport } | undefined;
  private lastRevision: string | null = null;
  private link: ChainLink | undefined;
  private readonly now: () => number;
  /** Containers that adopted a restore's decoded columns (column-pool.ts): release() offers those to later restores. */
  private readonly claims: WeakRef<ColumnOwner>[] = [];

  constructor(private readonly options: CheckpointManagerOptions) {
    this.appName = options.appName;
    this.fingerprintOf = options.fingerprint;
    this.now = options.now ?? Date.now;
  }

  get fingerprint(): string {
    if (typeof this.fingerprintOf === 'function') this.fingerprintOf = this.fingerprintOf();
    return this.fingerprintOf;
  }

  register(id: string, cell: StateCell, signature?: CellSignature): void {
    if (this.slots.has(id)) throw new SiddhiStateError(`state cell '${id}' is already registered`, { cell: id });
    // Every field from the start: one added later moves the fields out of the object (~40 bytes more per cell, two per partition key).
    const slot: Slot = { cell, signature, fresh: true, initial: undefined, group: undefined };
    this.dropped.delete(id);
    // Scoped cells (partition instances) come and go with their key; a copy of their empty state per key is not kept.
    if (this.started && !this.scopes.some((p) => id.startsWith(p))) slot.initial = captureInitial(id, cell);
    this.slots.set(id, slot);
    this.ungrouped.set(id, slot);
    if (this.applying) this.restoreLate(id, slot);
  }

  groupCell(id: string, group: CellGroup): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    slot.group = group;
    this.ungrouped.delete(id);
    // A cell not restored since it registered is captured whole next time, changed or not.
    if (slot.fresh) markChanged(this.changes, group);
  }

  unregister(id: string): void {
    this.ungrouped.delete(id);
    if (this.slots.delete(id)) this.dropped.add(id);
    this.cellSizes.delete(id);
  }

  /**
   * Declares that cells with ids starting with `prefix` are created on demand
   * (partition instances): a restore does not count them as gone or new, and
   * restores each one when it registers while the restore is being applied.
   */
  declareScope(prefix: string): void {
    if (!this.scopes.includes(prefix)) this.scopes.push(prefix);
  }

  get cellIds(): string[] {
    return [...this.slots.keys()];
  }

  /** Captures every cell. Each capture starts new delta logs, so it breaks a persisted chain. */
  capture(mode: CaptureMode): Captured {
    this.link = undefined;
    return this.captureCells(mode);
  }

  /** Packs a capture for `seal`/`sealAsync` (codec.ts); separate so sealing can move elsewhere. */
  pack(captured: Captured): PackedCheckpoint {
    return packCheckpoint(captured, this);
  }

  /** One self-contained full checkpoint of every cell. */
  snapshot(compression?: Compression): Uint8Array {
    const t0 = performance.now();
    // The captures read restored columns until packed (column-pool.ts readingCaptures): the body is a copy.
    const reads: ArrayBufferLike[] = [];
    let packed: PackedCheckpoint;
    try {
      packed = this.pack(readingCaptures(reads, () => this.capture('full')));
    } finally {
      endReads(reads);
    }
    const t1 = performance.now();
    const bytes = sealCheckpoint(packed, compression ?? defaultCompression(this.options.compression, packed.body.length, zstdLoaded()));
    this.record(packed, packed.body.length, 'snapshot', t1 - t0, performance.now() - t0, bytes.length);
    return bytes;
  }

  /**
   * Validates `bytes` completely and only then restores; throws
   * SiddhiStateError before touching any cell when anything is wrong.
   */
  restore(bytes: Uint8Array, options: RestoreOptions = {}): RestoreReport {
    // Refused on its header before the body is decoded: the decode may take memory a shut-down runtime offered (own-bodies.ts).
    const decoded = lendingColumns(() => decodeCheckpoint(bytes, (h) => {
      refuseForeign(h, this.appName);
      if (h.mode === 'delta') {
        throw new SiddhiStateError(
          `checkpoint ${h.revision} is a delta on top of ${h.parent}; restore it from its store with restoreLastRevision()`,
        );
      }
    }));
    return this.applyChain([decoded], sequenceChain([decoded]), options);
  }

  /** Captures now, then encodes and saves; resolves to the revision once it is saved. */
  persist(store: PersistenceStore, options: PersistOptions = {}): Promise<string> {
    try {
      return this.persistNow(store, options);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private persistNow(store: PersistenceStore, options: PersistOptions): Promise<string> {
    const t0 = performance.now();
    const prev = this.link;
    const mode = persistMode(prev, store, this.lastRevision, options.mode, this.options);
    // The pause: only capturing stops event processing; captured states are immutable.
    // The captures read restored columns until packed in write() (column-pool.ts readingCaptures).
    const reads: ArrayBufferLike[] = [];
    const captured = readingCaptures(reads, () => this.captureCells(mode));
    const pauseMs = performance.now() - t0;
    const revision = captured.revision;
    const link = nextLink(prev, store, revision, mode);
    this.link = link;
    // Captures share their rows (copy-on-write) and encode later: let waiting events run first. The
    // writing starts from the immediate, so its code (compiled on a process's first persist) is not in the pause.
    link.written = new Promise((resolve) => setImmediate(resolve))
      .then(() => this.write(captured, reads, link, prev, store, options.compression, pauseMs, t0));
    link.written.catch(() => {
      if (this.link?.totals === link.totals) this.link = undefined;
    });
    return link.written.then(() => revision);
  }

  /** Encodes and saves a persisted capture, after its parent (the second half of persistNow). */
  private async write(
    captured: Captured, reads: ArrayBufferLike[], link: ChainLink, prev: ChainLink | undefined, store: PersistenceStore, compression: Compression | undefined, pauseMs: number, t0: number,
  ): Promise<void> {
    const { revision, mode } = captured;
    let packed: PackedCheckpoint;
    try {
      packed = await packCheckpointAsync(captured, this);
    } finally {
      endReads(reads);
    }
    // Saves happen in capture order; a delta whose parent did not save is not saved either.
    const parentSaved = await (prev?.written ?? Promise.resolve()).then(() => true, () => false);
    if (mode === 'delta' && !parentSaved) {
      throw new SiddhiStateError(`checkpoint ${revision} not saved: its parent ${prev!.revision} failed to save`);
    }
    const rawBytes = packed.body.length;
    const bytes = await sealOffThread(packed, compression ?? defaultCompression(this.options.compression, rawBytes, true));
    await store.save(this.appName, revision, bytes);
    if (mode === 'full') link.totals.baseBytes = bytes.length;
    else link.totals.deltaBytes += bytes.length;
    this.record(packed, rawBytes, 'persist', pauseMs, performance.now() - t0, bytes.length);
  }

  /**
   * Restores the newest revision in `store` whose whole chain (base + deltas)
   * reads back intact; damaged newer ones are listed in `report.skipped`.
   * Resolves to undefined when the store has no revision of this app.
   */
  async restoreLastRevision(store: PersistenceStore, options: RestoreOptions = {}): Promise<RestoreReport | undefined> {
    await initZstd();
    const found = await loadUsableChain(store, this.appName);
    if (!found) return undefined;
    const report = this.applyChain(found.chain, found.seqs, options);
    report.skipped.push(...found.skipped);
    this.link = restoredLink(store, report.revision, found.sizes);
    return report;
  }

  /**
   * The pause of a checkpoint. `dry` (the initial states at start, taken
   * inside keepingLogs) changes nothing: it runs this same code once before
   * the first checkpoint, whose pause then pays for no compiling.
   */
  private captureCells(mode: CaptureMode, dry = false): Captured {
    const cells: TakenCell[] = [];
    // The captured states share the maps and lists they hold: the engine copies one before its next change.
    disownAll();
    const listed = dry ? [] : this.changes.next();
    let inputs: Record<string, number> | undefined;
    const visit = (id: string, slot: Slot): void => {
      const m: CaptureMode = slot.fresh ? 'full' : mode;
      let state: unknown;
      try {
        state = slot.cell.capture(m);
      } catch (e) {
        if (dry) throw new SiddhiStateError(`state cell '${id}' (${slot.cell.kind}) cannot capture its initial state: ${(e as Error).message}`, { cell: id, cause: e });
        this.link = undefined;
        throw new SiddhiStateError(`state cell '${id}' (${slot.cell.kind}) failed to capture: ${(e as Error).message}`, { cell: id, cause: e });
      }
      if (!dry) slot.fresh = false;
      if (id === this.options.inputsCell) inputs = state as Record<string, number>;
      cells.push({
        id, kind: slot.cell.kind, version: slot.cell.version, mode: m, state,
        ...(slot.signature !== undefined ? { signature: slot.signature } : {}),
      });
    };
    try {
      if (mode === 'full') {
        for (const [id, slot] of this.slots) visit(id, slot);
      } else {
        // Unchanged groups are left out (restore-plan.ts keeps their earlier states): the walk follows the groups changed, not the slots.
        for (const [id, slot] of this.ungrouped) visit(id, slot);
        for (const group of listed) {
          for (const id of group.cellIds()) {
            const slot = this.slots.get(id);
            if (slot !== undefined && slot.group === group) visit(id, slot);
          }
        }
      }
    } catch (e) {
      // Not captured after all: the next capture must still visit them.
      for (const group of listed) markChanged(this.changes, group);
      throw e;
    }
    const dropped = [...this.dropped];
    const createdAt = this.now();
    const revision = nextRevision(createdAt, this.lastRevision);
    const captured: Captured = {
      revision, parent: this.lastRevision, mode, createdAt, cells,
      ...(mode === 'delta' ? { dropped } : {}),
      ...(inputs !== undefined ? { inputs } : {}),
      ...(this.options.meta && !dry ? { meta: this.options.meta() } : {}),
    };
    if (dry) return captured;
    this.dropped.clear();
    this.lastRevision = revision;
    return captured;
  }

  private applyChain(chain: readonly DecodedCheckpoint[], seqs: CellSequences, options: RestoreOptions): RestoreReport {
    if (this.applying) throw new SiddhiStateError('a restore is already being applied');
    const plan = planRestore(chain, seqs, {
      appName: this.appName, fingerprint: this.fingerprint, cells: cellsOf(this.slots), signatures: signaturesOf(this.slots),
      scopes: this.scopes, migrations: this.migrations, lenient: options.lenient ?? false,
      ...(options.keys ? { keys: options.keys } : {}),
    });
    const order = restoreOrder(this.slots);
    const kept = this.initialStates(order, plan.apply);
    options.beforeApply?.();
    this.link = undefined;
    this.dropped.clear();
    this.lastRevision = plan.report.revision;
    this.applying = { pending: plan.pending, apply: plan.apply, met: new Set(), report: plan.report };
    for (const [, slot] of order) slot.fresh = true;
    // A runtime restored again and again lists each container once, while it lives (not once per restore).
    const owners = new Set<ColumnOwner>();
    for (const ref of this.claims) {
      const owner = ref.deref();
      if (owner !== undefined) owners.add(owner);
    }
    this.claims.length = 0;
    for (const owner of owners) this.claims.push(new WeakRef(owner));
    try {
      listingClaims(this.claims, () => {
        for (const [id, slot] of order) {
          const applied = plan.apply.get(id);
          const states = applied ?? kept.get(id);
          if (!states || this.slots.get(id) !== slot) continue;
          restoreSlot(id, slot, states);
          if (applied !== undefined) continue;
          // Filled from its initial state (lenient: not in the chain), which therefore holds no full state of it:
          // its next capture is whole, or no later restore could apply the deltas taken after this one.
          slot.fresh = true;
        }
      });
    } finally {
      for (const id of plan.pending.keys()) if (!this.applying.met.has(id)) plan.report.gone.push(id);
      this.applying = undefined;
    }
    return plan.report;
  }

  /**
   * Cells the restore does not cover (lenient: new or changed in the app)
   * start empty: they get the state they registered with, which also re-arms
   * whatever lives outside cells (`beforeApply` clears the runtime's timers).
   */
  private initialStates(order: readonly [string, Slot][], apply: ReadonlyMap<string, unknown>): Map<string, unknown[]> {
    const initial = new Map<string, unknown[]>();
    for (const [id, slot] of order) {
      if (apply.has(id)) continue;
      // Not started yet: the current state is the initial one.
      const kept = slot.initial !== undefined ? slot.initial : captureInitial(id, slot.cell);
      initial.set(id, [kept instanceof PackedState ? unpackState(kept.bytes) : kept]);
    }
    return initial;
  }

  /**
   * Records every cell's state as the app starts (after 'at start' work), and
   * from now on each late cell's as it registers: a lenient restore starts the
   * cells it does not cover from these.
   */
  markStarted(): void {
    if (this.started) return;
    this.started = true;
    // The logs stay: a cell restored before the start is captured as a delta next, which must
    // hold what the start hooks changed ('at start' triggers writing into restored tables).
    // Restored before the start, a cell's state is the restored one: its columns are shared, not copied (keepState).
    for (const c of keepingLogs(() => this.captureCells('full', true)).cells) {
      const slot = this.slots.get(c.id)!;
      slot.initial ??= copyInitial(c.id, slot.cell, () => c.state);
    }
    // A checkpoint's write starts from an immediate (persistNow): a process's first setImmediate
    // sets Node's immediate queue up (~0.2 ms), here rather than in the first checkpoint's pause.
    setImmediate(noop);
  }

  /**
   * The app is shut down: the restored columns that no capture shares are
   * offered to later restores (another runtime's), which then reuse their
   * memory instead of touching ~17 MB of fresh pages per 1M-event window and
   * adding as much external memory (which sets off mark-compacts). Until one
   * does, the cells keep their state (a snapshot after shutdown still works);
   * afterwards a capture of such a cell is refused.
   */
  release(): void {
    for (const ref of this.claims) ref.deref()?.releaseColumns();
    this.claims.length = 0;
  }

  /** A cell registered while a restore is applied: it takes the chain's states of its id, if any (kept until the end, as it may register again). */
  private restoreLate(id: string, slot: Slot): void {
    const { pending, apply, met, report } = this.applying!;
    // Registered when the restore was planned, then dropped and made again: the planned states.
    const planned = apply.get(id);
    if (planned !== undefined) {
      restoreSlot(id, slot, planned);
      return;
    }
    const seq = pending.get(id);
    if (seq === undefined) return;
    const first = !met.has(id);
    met.add(id);
    if (!sameMeaning(slot.cell, slot.signature && signatureText(slot.signature), seq)) {
      if (first) report.changed.push(id);
      return;
    }
    restoreSlot(id, slot, migrateSequence(id, seq, slot.cell, this.migrations));
    if (first) report.restored.push(id);
  }

  private record(
    packed: PackedCheckpoint, rawBytes: number, via: 'snapshot' | 'persist', pauseMs: number, totalMs: number, storedBytes: number,
  ): void {
    const h = packed.header;
    for (const [id, bytes] of packed.cellBytes) this.cellSizes.set(id, { bytes, mode: h.mode, revision: h.revision });
    this.metrics.push({ revision: h.revision, mode: h.mode, via, cells: h.cellCount, pauseMs, totalMs, rawBytes, storedBytes });
    if (this.metrics.length > (this.options.metricsKept ?? 20)) this.metrics.shift();
  }
}

/** The runtime's own cells ('@clock', '@inputs') first: operators restoring after them see the restored time. */
function restoreOrder(slots: ReadonlyMap<string, Slot>): [string, Slot][] {
  const all = [...slots];
  return [...all.filter(([id]) => id.startsWith('@')), ...all.filter(([id]) => !id.startsWith('@'))];
}

function noop(): void {}

function captureInitial(id: string, cell: StateCell): unknown {
  disownAll();
  return copyInitial(id, cell, () => cell.capture('full'));
}

/** A copy of the initial state `take` gives (so later changes to the cell do not reach it). */
function copyInitial(id: string, cell: StateCell, take: () => unknown): unknown {
  try {
    return keepState(take());
  } catch (e) {
    throw new SiddhiStateError(`state cell '${id}' (${cell.kind}) cannot capture its initial state: ${(e as Error).message}`, { cell: id, cause: e });
  }
}

/**
 * A state kept packed: every app start keeps each cell's initial state, which
 * only a lenient restore of a cell the checkpoint lacks ever reads; it unpacks
 * a copy then (half of the round trip a copy costs, paid only when needed).
 */
class PackedState {
  constructor(readonly bytes: Uint8Array) {}
}

/**
 * A captured state to keep: column snapshots as they are (O(chunks): the rows
 * they share are never written again, their container copies a chunk first),
 * the rest copied through the codec (packed, when the state holds no snapshot:
 * PackedState). Copying a restored 1M-event window took
 * start() ~300 ms. Plain arrays and objects are rebuilt only on the way to a snapshot.
 */
function keepState(state: unknown, depth = 0): unknown {
  if (!holdsSnapshot(state, depth)) return depth === 0 ? new PackedState(packState(state)) : copyState(state);
  if (state instanceof ColumnsSnapshot) return state;
  if (Array.isArray(state)) return state.map((x) => keepState(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state as object)) out[k] = keepState(v, depth + 1);
  return out;
}

/** Cells hold their columns near the top of their state; one deeper is copied, as any other value (correct, only slower). */
const SNAPSHOT_DEPTH = 2;

/** Whether `x` is, or holds in its plain arrays and objects down to SNAPSHOT_DEPTH, a column snapshot. */
function holdsSnapshot(x: unknown, depth: number): boolean {
  if (x instanceof ColumnsSnapshot) return true;
  if (depth >= SNAPSHOT_DEPTH) return false;
  if (Array.isArray(x)) return x.some((v) => holdsSnapshot(v, depth + 1));
  if (!isPlainObject(x)) return false;
  const o = x as Record<string, unknown>;
  for (const k in o) if (holdsSnapshot(o[k], depth + 1)) return true;
  return false;
}

function isPlainObject(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function restoreSlot(id: string, slot: Slot, states: readonly unknown[]): void {
  try {
    for (const s of states) slot.cell.restore(s);
  } catch (e) {
    throw new SiddhiStateError(
      `state cell '${id}' (${slot.cell.kind}) failed to restore; the app state is now partly restored: ${(e as Error).message}`,
      { cell: id, cause: e },
    );
  }
  slot.fresh = false;
}

function signaturesOf(slots: ReadonlyMap<string, Slot>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, slot] of slots) if (slot.signature !== undefined) out.set(id, signatureText(slot.signature));
  return out;
}

function cellsOf(slots: ReadonlyMap<string, Slot>): Map<string, StateCell> {
  const out = new Map<string, StateCell>();
  for (const [id, slot] of slots) out.set(id, slot.cell);
  return out;
}

/**
 * Unless a compression is configured, bodies smaller than this are stored as
 * they are ('none', recorded in the header as any other): almost every
 * checkpoint of a small app is under 1 KB, where compressing and decompressing
 * cost more (tens of µs each, a fresh zstd context or lz4 table per body) than
 * the bytes they save.
 */
export const COMPRESSED_FROM = 4096;

/**
 * The compression of a body of `rawLength` bytes when none was asked for: the
 * configured one, else 'none' for a small body, else zstd. zstd loads
 * asynchronously; the synchronous snapshot() (`zstdReady` false) falls back to lz4 until it has.
 */
function defaultCompression(configured: Compression | undefined, rawLength: number, zstdReady: boolean): Compression {
  const wanted = configured ?? (rawLength < COMPRESSED_FROM ? 'none' : 'zstd');
  return wanted === 'zstd' && !zstdReady ? 'lz4' : wanted;
}
