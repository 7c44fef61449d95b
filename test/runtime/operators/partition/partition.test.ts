// Partitions through the public API on the playback clock: key routing,
// range keys, per-key cell ids in checkpoints, restore of the key set, purge.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeCheckpoint, InMemoryStore, SiddhiManager } from '../../../../src/index.js';
import { packCheckpoint, sealCheckpoint } from '../../../../src/state/index.js';
import { ChangeLog } from '../../../../src/state/cell.js';
import { Scheduler } from '../../../../src/runtime/clock.js';
import { instanceSchedulers, KeyInstance } from '../../../../src/runtime/operators/partition/key-instance.js';
import { PatternRuntime } from '../../../../src/runtime/operators/pattern/pattern-runtime.js';
import { PatternStepText } from '../../../../src/runtime/operators/pattern/pattern-step.js';
import { rowsOf, type Sends } from '../../../rows-of.js';

const manager = new SiddhiManager();
/** Cells of partition instances: `<id>@<key>` (the app's own cells start with '@'). */
const keyed = (ids: string[]) => ids.filter((id) => id.indexOf('@') > 0);

function run(app: string, out = 'O') {
  const rt = manager.createSiddhiAppRuntime(app, { playback: true });
  const rows: unknown[][] = [];
  rt.addCallback(out, (events) => rows.push(...events.map((e) => [...e.data])));
  rt.start();
  const send = (stream: string, data: unknown[], time: number) => rt.getInputHandler(stream).send(data, time);
  const cellIds = () => decodeCheckpoint(rt.snapshot()).cells.map((c) => c.id);
  return { rt, rows, send, cellIds };
}

const VALUE_APP = `define stream S (symbol string, price int);
partition with (symbol of S)
begin
  @info(name='q1') from S#window.length(2) select symbol, sum(price) as total insert into O;
end;`;

describe('value partitions', () => {
  it('keeps each key apart: windows and sums per key, keys created on first sight', () => {
    const { rows, send, cellIds } = run(VALUE_APP);
    expect(keyed(cellIds())).toEqual([]);
    send('S', ['IBM', 10], 1000);
    send('S', ['WSO2', 1], 1001);
    send('S', ['IBM', 20], 1002);
    send('S', ['IBM', 30], 1003);
    send('S', ['WSO2', 2], 1004);
    expect(rows).toEqual([['IBM', 10], ['WSO2', 1], ['IBM', 30], ['IBM', 50], ['WSO2', 3]]);
    expect(cellIds()).toEqual(expect.arrayContaining(['partition1:keys', 'q1/0:window.length@IBM', 'q1/0:window.length@WSO2', 'q1/selector@IBM']));
  });

  it('keys named like Object.prototype members are keys like any other without @purge too (the lookup fast path)', () => {
    const { rt, rows, send } = run(VALUE_APP);
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '0', ''];
    names.forEach((k, i) => send('S', [k, i + 1], 1000 + i));
    names.forEach((k, i) => send('S', [k, 10], 1100 + i));
    expect(rows.slice(-names.length)).toEqual(names.map((k, i) => [k, i + 11]));
    const bytes = rt.snapshot();
    names.forEach((k) => send('S', [k, 50], 1200));
    rt.restore(bytes);
    names.forEach((k) => send('S', [k, 100], 1300));
    expect(rows.slice(-names.length)).toEqual(names.map((k) => [k, 110]));
  });

  it('keys on an expression of the event', () => {
    const { rows, send } = run(`define stream S (symbol string, price int);
partition with (price > 100 of S)
begin
  from S select symbol, count() as n insert into O;
end;`);
    send('S', ['a', 50], 1);
    send('S', ['b', 150], 2);
    send('S', ['c', 60], 3);
    expect(rows).toEqual([['a', 1], ['b', 1], ['c', 2]]);
  });

  it('a restore re-creates every key with its state, and drops keys created after the checkpoint', () => {
    const { rt, rows, send, cellIds } = run(VALUE_APP);
    send('S', ['IBM', 10], 1000);
    send('S', ['WSO2', 1], 1001);
    const bytes = rt.snapshot();
    send('S', ['ORCL', 5], 1002);
    send('S', ['IBM', 100], 1003);
    rt.restore(bytes);
    expect(cellIds().some((id) => id.endsWith('@ORCL'))).toBe(false);
    rows.length = 0;
    send('S', ['IBM', 20], 1004);
    send('S', ['ORCL', 7], 1005);
    expect(rows).toEqual([['IBM', 30], ['ORCL', 7]]);

    const fresh = run(VALUE_APP);
    fresh.rt.restore(bytes);
    fresh.send('S', ['WSO2', 2], 1006);
    expect(fresh.rows).toEqual([['WSO2', 3]]);
  });
});

describe('range partitions', () => {
  it('drops an event matching no range and processes one matching several once per range, in order', () => {
    const { rows, send } = run(`define stream S (symbol string, price int);
partition with (price < 10 as 'tiny' or price < 100 as 'small' or price >= 1000 as 'huge' of S)
begin
  from S select symbol, count() as n insert into O;
end;`);
    send('S', ['a', 5], 1); // tiny and small
    send('S', ['b', 500], 2); // none
    send('S', ['c', 50], 3); // small
    send('S', ['d', 5000], 4); // huge
    expect(rows).toEqual([['a', 1], ['a', 1], ['c', 2], ['d', 1]]);
  });
});

describe('outer streams inside a partition', () => {
  it('a stream that is not partitioned reaches every existing instance', () => {
    const { rows, send } = run(`define stream S (symbol string, price int);
define stream Tick (n int);
partition with (symbol of S)
begin
  from S select symbol, price insert into #Last;
  from Tick select n insert into O;
end;`);
    send('Tick', [0], 1);
    send('S', ['IBM', 1], 2);
    send('S', ['WSO2', 1], 3);
    send('Tick', [1], 4);
    expect(rows).toEqual([[1], [1]]);
  });
});

describe('incremental checkpoints of partitions', () => {
  it('a delta carries only the keys an event reached (their cells and their entries in the key set), and the chain restores', async () => {
    const store = new InMemoryStore();
    const rt = manager.createSiddhiAppRuntime(VALUE_APP, { playback: true, store });
    rt.start();
    const h = rt.getInputHandler('S');
    ['A', 'B', 'C', 'D'].forEach((k, i) => h.send([k, i], 1000 + i));
    await rt.persist({ mode: 'full' });
    h.send(['C', 10], 2000);
    await rt.persist({ mode: 'delta' });
    const revisions = await store.list(rt.name);
    const delta = decodeCheckpoint((await store.load(rt.name, revisions[revisions.length - 1]!))!);
    expect(delta.header.mode).toBe('delta');
    expect(keyed(delta.cells.map((c) => c.id)).sort()).toEqual(['q1/0:window.length@C', 'q1/selector@C']);
    const keys = delta.cells.find((c) => c.id === 'partition1:keys')!.state as { m: { set: [string, unknown][]; del: string[] } };
    expect(keys.m.set.map(([k]) => k)).toEqual([]);
    rt.shutdown();

    const back = manager.createSiddhiAppRuntime(VALUE_APP, { playback: true, store });
    const rows: unknown[][] = [];
    back.addCallback('O', (events) => rows.push(...events.map((e) => [...e.data])));
    back.start();
    await back.restoreLastRevision();
    ['A', 'B', 'C', 'D', 'E'].forEach((k, i) => back.getInputHandler('S').send([k, 100], 3000 + i));
    expect(rows).toEqual([['A', 100], ['B', 101], ['C', 110], ['D', 103], ['E', 100]]);
    back.shutdown();
  });
});

describe('the key set of version 1 (every key in each capture)', () => {
  it('migrates: the keys come back in their order with their instances', () => {
    const { rt, send } = run(VALUE_APP);
    send('S', ['IBM', 10], 1000);
    send('S', ['WSO2', 1], 1001);
    const decoded = decodeCheckpoint(rt.snapshot());
    const h = decoded.header;
    const cells = decoded.cells.map((c) => (c.id === 'partition1:keys'
      ? { ...c, version: 1, state: { k: ['IBM', 'WSO2'], s: [1000, 1001], p: -1 } }
      : c));
    const v1 = sealCheckpoint(packCheckpoint(
      { revision: h.revision, parent: null, mode: 'full', createdAt: h.createdAt, cells },
      { appName: h.appName, fingerprint: h.fingerprint },
    ));
    const fresh = run(VALUE_APP);
    fresh.rt.restore(v1);
    fresh.send('S', ['WSO2', 2], 1002);
    fresh.send('S', ['IBM', 5], 1003);
    expect(fresh.rows).toEqual([['WSO2', 3], ['IBM', 15]]);
  });
});

describe('@purge', () => {
  const PURGE_APP = `define stream S (symbol string, price int);
@purge(enable='true', interval='1 sec', idle.period='2 sec')
partition with (symbol of S)
begin
  @info(name='q1') from S select symbol, sum(price) as total insert into O;
end;`;

  it('removes idle keys with their state and cells', () => {
    const { rt, rows, send, cellIds } = run(PURGE_APP);
    send('S', ['IBM', 10], 0);
    send('S', ['WSO2', 1], 1500);
    rt.advanceTime(3000); // IBM idle for 3 s > 2 s at the purge of t = 3000; WSO2 for 1.5 s
    expect(keyed(cellIds())).toEqual(['q1/selector@WSO2']);
    send('S', ['IBM', 5], 3100);
    send('S', ['WSO2', 1], 3200);
    expect(rows).toEqual([['IBM', 10], ['WSO2', 1], ['IBM', 5], ['WSO2', 2]]);
  });

  it('a restore brings back purged keys from before the purge, and the purge schedule', () => {
    const { rt, rows, send } = run(PURGE_APP);
    send('S', ['IBM', 10], 0);
    const bytes = rt.snapshot();
    rt.advanceTime(3000);
    rt.restore(bytes);
    send('S', ['IBM', 5], 900);
    expect(rows.at(-1)).toEqual(['IBM', 15]);
    rt.advanceTime(3500); // purged again: idle since 900
    send('S', ['IBM', 1], 3600);
    expect(rows.at(-1)).toEqual(['IBM', 1]);
  });

  it('keys named like Object.prototype members are keys like any other, created, purged and restored', () => {
    const { rt, rows, send, cellIds } = run(PURGE_APP);
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '0', ''];
    names.forEach((k, i) => send('S', [k, i + 1], 0));
    send('S', ['IBM', 10], 1500);
    names.forEach((k, i) => send('S', [k, 10], 1600 + i));
    expect(rows.slice(-names.length)).toEqual(names.map((k, i) => [k, i + 11]));
    const bytes = rt.snapshot();
    rt.advanceTime(4000); // every key idle for over 2 s at the purge of t = 4000
    expect(keyed(cellIds())).toEqual([]);
    send('S', ['constructor', 1], 4100);
    expect(rows.at(-1)).toEqual(['constructor', 1]);
    rt.restore(bytes);
    names.forEach((k) => send('S', [k, 100], 1700));
    expect(rows.slice(-names.length)).toEqual(names.map((k, i) => [k, i + 111]));
  });

  it('rejects an incomplete @purge', () => {
    expect(() => manager.createSiddhiAppRuntime(`define stream S (symbol string);
@purge(enable='true')
partition with (symbol of S) begin from S select symbol insert into O; end;`)).toThrow(/idle.period/);
  });
});

describe('the value router inlined into a generated send()', () => {
  afterEach(() => {
    delete process.env.SIDDHI_KERNELS;
  });

  const PATTERN_APP = `define stream S (symbol string, price double, volume long);
partition with (symbol of S)
begin
  from every e1=S[price > 90] -> e2=S[price < 10] within 1 sec select e1.symbol, e1.price as p1, e2.price as p2 insert into O;
end;`;

  it('reads a key written as source from the row: the input handler inlines the router\'s step', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    process.env.SIDDHI_KERNELS = 'source';
    try {
      const rt = manager.createSiddhiAppRuntime(PATTERN_APP, { playback: true });
      rt.start();
      rt.getInputHandler('S');
      const send = spy.mock.calls.map((c) => String(c[0])).find((s) => s.includes('function send('));
      expect(send).toContain('var v = d[0];');
      expect(send).toContain('partition.instance(');
      // A key's own step is called from here (this partition's call site), not from KeyInstance.deliverRow (every partition's).
      expect(send).toContain('(s = i.stepFor(stream))');
      expect(send).toContain('    s(ts, d);');
      rt.shutdown();
    } finally {
      spy.mockRestore();
    }
  });

  it('runs each key\'s pattern through the pattern\'s generated step, with the rows of the event path', () => {
    const sends: Sends = [
      [['a', 95, 1], 1000], [['b', 91, 2], 1001], [['a', 97, 1], 1200], [['a', 5, 1], 1500], [['b', 2, 2], 2500], [['a', 3, 1], 2600],
    ];
    const interpreted = vi.spyOn(PatternRuntime.prototype as unknown as { acceptRow: () => void }, 'acceptRow');
    const delivered = vi.spyOn(KeyInstance.prototype, 'deliverRow');
    try {
      const rows = rowsOf(PATTERN_APP, sends);
      expect(interpreted).not.toHaveBeenCalled();
      // The router's generated step hands each key its rows itself.
      expect(delivered).not.toHaveBeenCalled();
      expect(rows).toEqual([[1500, 'a', 95, 5], [1500, 'a', 97, 5]]);
      expect(rows).toEqual(rowsOf(PATTERN_APP, sends, 'off'));
    } finally {
      interpreted.mockRestore();
      delivered.mockRestore();
    }
  });

  it('writes a pattern input\'s step source once for every key, and none with SIDDHI_KERNELS=off', () => {
    const sends: Sends = [
      [['a', 95, 1], 1000], [['b', 91, 2], 1001], [['c', 93, 3], 1002], [['a', 5, 1], 1500], [['b', 2, 2], 1600], [['c', 1, 3], 1700],
    ];
    const writes = vi.spyOn(PatternStepText.prototype, 'write');
    try {
      expect(rowsOf(PATTERN_APP, sends)).toHaveLength(3);
      expect(writes).toHaveBeenCalledTimes(1);
      writes.mockClear();
      expect(rowsOf(PATTERN_APP, sends, 'off')).toHaveLength(3);
      expect(writes).not.toHaveBeenCalled();
    } finally {
      writes.mockRestore();
    }
  });

  it('prints a key\'s pattern step with SIDDHI_KERNELS=source, as other generated steps are', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      process.env.SIDDHI_KERNELS = 'source';
      const rt = manager.createSiddhiAppRuntime(PATTERN_APP, { playback: true });
      rt.start();
      rt.getInputHandler('S').send(['a', 95, 1], 1000);
      rt.shutdown();
      const steps = spy.mock.calls.map((c) => String(c[0])).filter((s) => !s.includes('function send(') && s.includes('return function step(ts, d) {'));
      expect(steps.some((s) => s.includes('processAndReturn'))).toBe(true);
    } finally {
      delete process.env.SIDDHI_KERNELS;
      spy.mockRestore();
    }
  });

  it('gives what the event path gives: keys of any type and null, expressions, no timestamp, timers due', () => {
    const sends: Sends = [
      [['a', 95, 1], 1000], [['b', 91, 2], 1001], [[null, 99, null], 1002], [['a', 5, 1], 1500], [[null, 1, null], 1600],
      [['b', 2, 2], 2500], [['b', 93, 2], undefined], [['c', 97, 3], 2600], [['c', 3, 3], 2700], [['b', 4, 2], 2800],
    ];
    const apps = [
      PATTERN_APP,
      PATTERN_APP.replace('symbol of S', 'volume of S'),
      PATTERN_APP.replace('symbol of S', 'volume > 1 of S'),
      `define stream S (symbol string, price double, volume long);
partition with (symbol of S)
begin
  from S#window.time(1 sec) select symbol, sum(volume) as v insert into O;
end;`,
    ];
    for (const app of apps) {
      const fused = rowsOf(app, sends);
      expect(fused, app).toEqual(rowsOf(app, sends, 'off'));
      expect(fused.length, app).toBeGreaterThan(0);
    }
  });
});

describe('a key instance\'s scheduler', () => {
  it('forwards to the app\'s scheduler, which never becomes a prototype (V8 would give it a map of its own per app)', () => {
    const base = new Scheduler(0);
    const changes = new ChangeLog();
    const owner = { alive: true, changedIn: 0, cellIds: () => [] };
    const s = instanceSchedulers(base, changes)(owner);
    expect(Object.prototype.isPrototypeOf.call(base, s)).toBe(false);
    s.setTime(5);
    expect(base.now()).toBe(5);
    expect(s.moveQuietly(7)).toBe(true);
    expect(base.now()).toBe(7);
    const fired: number[] = [];
    s.schedule(10, { onTimer: (t) => fired.push(t) });
    base.schedule(11, { onTimer: (t) => fired.push(t) });
    expect(s.peek()).toBe(10);
    base.advanceTo(10);
    expect(fired).toEqual([10]);
    expect(changes.groups).toEqual([owner]);
    owner.alive = false;
    s.schedule(12, { onTimer: (t) => fired.push(t) });
    s.advanceTo(20);
    expect(fired).toEqual([10, 11]);
    expect(s.now()).toBe(20);
  });
});
