import { describe, expect, it, vi } from 'vitest';
import {
  CheckpointManager, CheckpointMismatchError, ColumnsSnapshot, LoggedColumns, fingerprintApp,
  type CaptureMode, type ColumnsCapture, type StateCell,
} from '../../src/state/index.js';
import { SiddhiStateError } from '../../src/errors.js';
import { MapCell, QueueCell } from './helpers.js';

const APP = 'define stream S (sym string, price double); from S#window.length(3) select * insert into O;';

function manager(text = APP): CheckpointManager {
  return new CheckpointManager({ appName: 'Trades', fingerprint: fingerprintApp(text), now: () => 5000 });
}

function fill(q: QueueCell, m: MapCell, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) {
    q.add([i, `s${i % 3}`, i * 1.25, i % 2 === 0, null], 4);
    m.add(`s${i % 3}`, i * 0.1);
  }
}

/** A cell that records every call, to prove a refused restore touches nothing. */
class SpyCell implements StateCell {
  readonly kind: string = 'test.spy';
  restored: unknown[] = [];
  constructor(readonly version = 1, public value: unknown = 1) {}
  capture(_mode: CaptureMode): unknown {
    return this.value;
  }
  restore(state: unknown): void {
    this.restored.push(state);
  }
}

/** A window-like cell: numbers in a LoggedColumns, each in a row. */
class ColumnsCell implements StateCell {
  readonly kind = 'test.columns';
  readonly version = 1;
  readonly cols = new LoggedColumns(['f64']);
  push(v: number): void {
    this.cols.setF64(0, this.cols.append(), v);
  }
  values(): number[] {
    return Array.from({ length: this.cols.length }, (_, i) => this.cols.getF64(0, this.cols.slot(i)));
  }
  capture(mode: CaptureMode): unknown {
    return { q: this.cols.capture(mode) };
  }
  restore(state: unknown): void {
    this.cols.restore((state as { q: ColumnsCapture | ColumnsSnapshot }).q);
  }
}

function setup(text = APP) {
  const mgr = manager(text);
  const q = new QueueCell();
  const m = new MapCell();
  mgr.register('q1/0:window.length', q);
  mgr.register('q1/1:groupBy', m);
  return { mgr, q, m };
}

describe('CheckpointManager', () => {
  it('refuses a duplicate id', () => {
    const { mgr } = setup();
    expect(() => mgr.register('q1/0:window.length', new QueueCell())).toThrow(SiddhiStateError);
    mgr.unregister('q1/0:window.length');
    mgr.register('q1/0:window.length', new QueueCell());
  });

  it('captures every cell with its kind and version', () => {
    const inputs = { S: 7 };
    const mgr = new CheckpointManager({ appName: 'A', fingerprint: 'f', now: () => 42, inputsCell: '@inputs' });
    mgr.register('a', new SpyCell(3, 'x'));
    mgr.register('@inputs', { kind: 'runtime.inputs', version: 1, capture: () => inputs, restore: () => {} });
    const c = mgr.capture('full');
    expect(c).toMatchObject({ parent: null, mode: 'full', createdAt: 42, inputs, cells: [{ id: 'a', kind: 'test.spy', version: 3, mode: 'full', state: 'x' }, { id: '@inputs', state: inputs }] });
    const d = mgr.capture('delta');
    expect(d.parent).toBe(c.revision);
    expect(d.revision > c.revision).toBe(true);
  });

  it('restores a snapshot into a fresh app', () => {
    const a = setup();
    fill(a.q, a.m, 10);
    const bytes = a.mgr.snapshot();
    const b = setup();
    const beforeApply = vi.fn();
    const report = b.mgr.restore(bytes, { beforeApply });
    expect(beforeApply).toHaveBeenCalledOnce();
    expect(report).toMatchObject({ restored: ['q1/0:window.length', 'q1/1:groupBy'], missing: [], gone: [], changed: [], fingerprintChanged: false });
    expect(b.q.queue.toArray()).toEqual(a.q.queue.toArray());
    expect(b.q.count).toBe(10);
    expect([...b.m.map.entries()]).toEqual([...a.m.map.entries()]);
    // Both continue identically.
    fill(a.q, a.m, 5, 10);
    fill(b.q, b.m, 5, 10);
    expect(b.mgr.capture('delta').cells).toEqual(a.mgr.capture('delta').cells);
  });

  it('refuses damaged bytes before calling beforeApply or touching a cell', () => {
    const a = manager();
    a.register('x', new SpyCell(1, { big: 'y'.repeat(300), list: [1, 2, 3] }));
    const bytes = a.snapshot('none');
    const b = manager();
    const spy = new SpyCell();
    b.register('x', spy);
    const beforeApply = vi.fn();
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i]! ^= 0x10;
      expect(() => b.restore(bad, { beforeApply })).toThrow(SiddhiStateError);
    }
    for (let n = 0; n < bytes.length; n += 3) expect(() => b.restore(bytes.slice(0, n), { beforeApply })).toThrow(SiddhiStateError);
    expect(beforeApply).not.toHaveBeenCalled();
    expect(spy.restored).toEqual([]);
  });

  it('refuses a checkpoint of another app', () => {
    const a = new CheckpointManager({ appName: 'Other', fingerprint: 'f' });
    const b = manager();
    const spy = new SpyCell();
    b.register('x', spy);
    expect(() => b.restore(a.snapshot())).toThrow(/belongs to app 'Other'/);
  });

  describe('edited apps', () => {
    function edited() {
      const old = manager(APP);
      old.register('keep', new SpyCell(1, 'k'));
      old.register('gone', new SpyCell(1, 'g'));
      old.register('retyped', new SpyCell(1, 'r'));
      const bytes = old.snapshot();
      const mgr = manager(APP + ' -- edited');
      const cells = { keep: new SpyCell(), added: new SpyCell(), retyped: new (class extends SpyCell { override readonly kind = 'other' })() };
      for (const [id, c] of Object.entries(cells)) mgr.register(id, c);
      return { bytes, mgr, cells };
    }

    it('strict mode refuses any mismatch with a report and touches nothing', () => {
      const { bytes, mgr, cells } = edited();
      const beforeApply = vi.fn();
      let error: unknown;
      try {
        mgr.restore(bytes, { beforeApply });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CheckpointMismatchError);
      const e = error as CheckpointMismatchError;
      expect(e.report).toMatchObject({ missing: ['added'], gone: ['gone'], changed: ['retyped'], fingerprintChanged: true });
      expect(e.message).toMatch(/new in the app: 'added'/);
      expect(e.message).toMatch(/gone from the app: 'gone'/);
      expect(e.hint).toMatch(/lenient/);
      expect(beforeApply).not.toHaveBeenCalled();
      expect(Object.values(cells).every((c) => c.restored.length === 0)).toBe(true);
    });

    it('strict mode refuses a changed app text even when the ids match', () => {
      const old = manager(APP);
      old.register('a', new SpyCell());
      const mgr = manager(APP + ' ');
      mgr.register('a', new SpyCell());
      expect(() => mgr.restore(old.snapshot())).toThrow(/app text changed/);
    });

    it('lenient mode restores what matches and reports the rest', () => {
      const { bytes, mgr, cells } = edited();
      const report = mgr.restore(bytes, { lenient: true });
      expect(report).toMatchObject({ restored: ['keep'], missing: ['added'], gone: ['gone'], changed: ['retyped'], fingerprintChanged: true });
      expect(cells.keep.restored).toEqual(['k']);
      // The rest keep their own state, reloaded so that they re-arm what the restore cleared (timers).
      expect(cells.added.restored).toEqual([1]);
      expect(cells.retyped.restored).toEqual([1]);
    });
  });

  describe('restored before the app starts', () => {
    /** 'w' (5000 rows, 0..4999) restored before the start, then started; `other`: a checkpoint without 'w' (lenient). */
    function restoredThenStarted() {
      const source = manager();
      const w0 = new ColumnsCell();
      source.register('w', w0);
      for (let i = 0; i < 5000; i++) w0.push(i);
      const bytes = source.snapshot();
      const mgr = manager();
      const w = new ColumnsCell();
      mgr.register('w', w);
      mgr.restore(bytes);
      const other = manager(APP + ' -- without w');
      other.register('x', new SpyCell());
      return { mgr, w, other: other.snapshot() };
    }

    it('start() shares the restored columns as the initial state instead of encoding a copy of them', () => {
      const { mgr } = restoredThenStarted();
      const encode = vi.spyOn(ColumnsSnapshot.prototype, 'toJSON');
      try {
        mgr.markStarted();
        expect(encode).not.toHaveBeenCalled();
      } finally {
        encode.mockRestore();
      }
    });

    it('the shared initial state stays as at start whatever is written since, through repeated lenient restores', () => {
      const { mgr, w, other } = restoredThenStarted();
      mgr.markStarted();
      const atStart = w.values();
      for (let round = 0; round < 2; round++) {
        // Rows rewritten in place, shifted out and appended, with checkpoints between: each in chunks the initial state shares.
        for (let i = 0; i < w.cols.length; i += 7) w.cols.setF64(0, w.cols.slot(i), -1);
        mgr.capture('full');
        for (let i = 0; i < 3000; i++) w.cols.shift();
        for (let i = 0; i < 6000; i++) w.push(10_000 + i);
        mgr.capture('delta');
        for (let i = 0; i < w.cols.length; i += 5) w.cols.setF64(0, w.cols.slot(i), -2);
        expect(mgr.restore(other, { lenient: true }).missing).toEqual(['w']);
        expect(w.values()).toEqual(atStart);
      }
    });
  });

  describe('versions', () => {
    it('migrates older states step by step', () => {
      const old = manager();
      old.register('c', new SpyCell(1, { v1: [1, 2] }));
      const bytes = old.snapshot();
      const mgr = manager();
      const cell = new SpyCell(3);
      mgr.register('c', cell);
      mgr.migrations
        .register('test.spy', 1, (s) => ({ v2: (s as any).v1 }))
        .register('test.spy', 2, (s, info) => ({ v3: (s as any).v2, id: info.id, mode: info.mode }));
      mgr.restore(bytes);
      expect(cell.restored).toEqual([{ v3: [1, 2], id: 'c', mode: 'full' }]);
    });

    it('refuses a missing migration step or a newer version, naming the cell', () => {
      const old = manager();
      old.register('c', new SpyCell(1));
      const mgr = manager();
      const cell = new SpyCell(3);
      mgr.register('c', cell);
      mgr.migrations.register('test.spy', 1, (s) => s);
      expect(() => mgr.restore(old.snapshot())).toThrow(/cell 'c' \(test\.spy\): no migration from state version 2 to 3/);

      const newer = manager();
      newer.register('c', new SpyCell(4));
      expect(() => mgr.restore(newer.snapshot())).toThrow(/cell 'c' \(test\.spy\).*version 4, newer than this app's 3/);
      expect(cell.restored).toEqual([]);
    });

    it('reports a throwing migration as a state error before touching cells', () => {
      const old = manager();
      old.register('a', new SpyCell(1));
      old.register('b', new SpyCell(1));
      const mgr = manager();
      const a = new SpyCell(1);
      const b = new SpyCell(2);
      mgr.register('a', a);
      mgr.register('b', b);
      mgr.migrations.register('test.spy', 1, () => {
        throw new Error('boom');
      });
      const bytes = old.snapshot();
      expect(() => mgr.restore(bytes, { lenient: true })).toThrow(/migration of cell 'b' \(test\.spy\) from version 1 failed: boom/);
      expect(a.restored).toEqual([]);
      expect(b.restored).toEqual([]);
    });
  });

  it('restores cells that register while the restore is applied (partition instances)', () => {
    const old = manager();
    const keys = new SpyCell(1, ['IBM', 'WSO2']);
    old.register('p1:keys', keys);
    old.register('p1/q1/0:window.length@IBM', new SpyCell(1, 'ibm-state'));
    old.register('p1/q1/0:window.length@WSO2', new SpyCell(1, 'wso2-state'));
    old.register('p1/q1/0:window.length@GONE', new SpyCell(1, 'x'));
    const bytes = old.snapshot();

    const mgr = manager();
    mgr.declareScope('p1/');
    const instances = new Map<string, SpyCell>();
    const owner: StateCell = {
      kind: 'test.spy',
      version: 1,
      capture: () => [...instances.keys()],
      restore: (state) => {
        for (const key of state as string[]) {
          const cell = new SpyCell();
          instances.set(key, cell);
          mgr.register(`p1/q1/0:window.length@${key}`, cell);
        }
      },
    };
    mgr.register('p1:keys', owner);
    const report = mgr.restore(bytes);
    expect(instances.get('IBM')!.restored).toEqual(['ibm-state']);
    expect(instances.get('WSO2')!.restored).toEqual(['wso2-state']);
    expect(report.restored).toEqual(['p1:keys', 'p1/q1/0:window.length@IBM', 'p1/q1/0:window.length@WSO2']);
    expect(report.gone).toEqual(['p1/q1/0:window.length@GONE']);
    // After the restore, registering a checkpointed id restores nothing.
    const late = new SpyCell();
    mgr.register('p1/q1/0:window.length@GONE', late);
    expect(late.restored).toEqual([]);
  });

  it('refuses a delta on its own', () => {
    const mgr = manager();
    mgr.register('a', new SpyCell());
    mgr.capture('full');
    const packed = mgr.pack(mgr.capture('delta'));
    const b = manager();
    b.register('a', new SpyCell());
    return import('../../src/state/index.js').then(({ sealCheckpoint }) => {
      expect(() => b.restore(sealCheckpoint(packed))).toThrow(/is a delta/);
    });
  });

  it('captures a newly registered cell in full even in a delta', () => {
    const mgr = manager();
    const q = new QueueCell();
    mgr.register('a', q);
    mgr.capture('full');
    const spy = new SpyCell();
    const fullCalls: CaptureMode[] = [];
    mgr.register('b', { kind: 'k', version: 1, capture: (m) => (fullCalls.push(m), 0), restore: () => undefined });
    mgr.register('c', spy);
    const d = mgr.capture('delta');
    expect(d.cells.map((c) => c.mode)).toEqual(['delta', 'full', 'full']);
    expect(fullCalls).toEqual(['full']);
    expect(mgr.capture('delta').cells.map((c) => c.mode)).toEqual(['delta', 'delta', 'delta']);
  });

  it('keeps metrics of the last checkpoints', () => {
    const mgr = new CheckpointManager({ appName: 'A', fingerprint: 'f', metricsKept: 3 });
    const q = new QueueCell();
    mgr.register('q', q);
    for (let i = 0; i < 5; i++) {
      q.add([i], 100);
      mgr.snapshot();
    }
    expect(mgr.metrics.length).toBe(3);
    const m = mgr.metrics[2]!;
    expect(m).toMatchObject({ mode: 'full', via: 'snapshot', cells: 1 });
    expect(m.pauseMs).toBeGreaterThanOrEqual(0);
    expect(m.totalMs).toBeGreaterThanOrEqual(m.pauseMs);
    expect(m.rawBytes).toBeGreaterThan(0);
    expect(m.storedBytes).toBeGreaterThan(0);
  });
});

describe('CheckpointManager failures', () => {
  it('names a cell whose capture throws, and persist rejects instead of throwing', async () => {
    const mgr = manager();
    mgr.register('bad', { kind: 'k', version: 1, capture: () => { throw new Error('nope'); }, restore: () => undefined });
    expect(() => mgr.snapshot()).toThrow(/cell 'bad' \(k\) failed to capture: nope/);
    const { InMemoryStore } = await import('../../src/state/index.js');
    await expect(mgr.persist(new InMemoryStore())).rejects.toBeInstanceOf(SiddhiStateError);
  });

  it('reports a cell whose restore throws, naming it', () => {
    const a = manager();
    a.register('x', new SpyCell());
    const b = manager();
    b.register('x', { kind: 'test.spy', version: 1, capture: () => 0, restore: () => { throw new Error('bad state'); } });
    let error: SiddhiStateError | undefined;
    try {
      b.restore(a.snapshot());
    } catch (e) {
      error = e as SiddhiStateError;
    }
    expect(error).toBeInstanceOf(SiddhiStateError);
    expect(error!.cell).toBe('x');
  });
});
