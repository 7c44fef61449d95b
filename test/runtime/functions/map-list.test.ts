// The map: and list: namespaces through the public API: run-time errors that
// name the function and leave the engine running, in-place changes that never
// reach a caller's objects, Java-style printing, and maps/lists in checkpoints.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiRuntimeError } from '../../../src/index.js';
import { invokeCli } from '../../cli/run-cli.js';
import type { Logger, SiddhiAppRuntime } from '../../../src/index.js';

function open(app: string, logger?: Logger): { rt: SiddhiAppRuntime; out: unknown[][]; errors: Error[] } {
  const manager = logger ? new SiddhiManager({ logger }) : new SiddhiManager();
  const rt = manager.createSiddhiAppRuntime(app, { playback: true, ...(logger ? { logger } : {}) });
  const out: unknown[][] = [];
  const errors: Error[] = [];
  rt.addCallback('Out', (events) => events.forEach((e) => out.push([...e.data])));
  rt.onError((e) => errors.push(e));
  rt.start();
  return { rt, out, errors };
}

describe('run-time errors', () => {
  it('a value that is not a map fails the event, naming the function; later events go on', () => {
    const { rt, out, errors } = open("define stream S (o object);\nfrom S select map:put(o, 'k', 1) as m insert into Out;");
    rt.getInputHandler('S').send(['text'], 1);
    rt.getInputHandler('S').send([{ a: 2 }], 2);
    rt.shutdown();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SiddhiRuntimeError);
    expect(errors[0]!.message).toMatch(/map:put\(\): First attribute value must be of type java.util.Map, but found 'java.lang.String'/);
    expect(out).toEqual([[new Map<unknown, unknown>([['a', 2], ['k', 1]])]]);
  });

  it('list:get out of range gives null; list:setValue out of range fails naming the function', () => {
    const { rt, out, errors } = open('define stream S (i int);\nfrom S select list:get(list:create(1, 2), i) as g, list:setValue(list:create(1, 2), i, 9) as s insert into Out;');
    rt.getInputHandler('S').send([5], 1);
    rt.getInputHandler('S').send([1], 2);
    rt.shutdown();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/list:setValue\(\): Index: 5, Size: 2/)]);
    expect(out).toEqual([[2, [1, 9]]]);
  });

  it('map:merge over a value that is not a map reports it and keeps aggregating', () => {
    const { rt, out, errors } = open('define stream S (o object);\nfrom S#window.length(3) select map:merge(o) as m insert into Out;');
    rt.getInputHandler('S').send([{ a: 1 }], 1);
    rt.getInputHandler('S').send([[1, 2]], 2);
    rt.getInputHandler('S').send([{ b: 2 }], 3);
    rt.shutdown();
    expect(errors[0]?.message).toMatch(/map:merge\(\): First attribute value must be of type java.util.Map, but found 'java.util.LinkedList'/);
    expect(out.at(-1)).toEqual([new Map([['a', 1], ['b', 2]])]);
  });

  it('#list:tokenize of a value that is not a list names the processor', () => {
    const { rt, out, errors } = open('define stream S (o object);\nfrom S#list:tokenize(o) select index, value insert into Out;');
    rt.getInputHandler('S').send(['abc'], 1);
    rt.getInputHandler('S').send([['x']], 2);
    rt.shutdown();
    expect(errors[0]?.message).toMatch(/list:tokenize\(\): Attribute number, '1' must be of type java.util.List/);
    expect(out).toEqual([[0, 'x']]);
  });
});

describe('in-place changes', () => {
  it('change the maps and lists the engine made, never the ones a caller sent', () => {
    const { rt, out } = open("define stream S (l object, m object);\nfrom S select list:add(l, 'x') as l2, map:put(m, 'k', 1) as m2, list:add(list:create(), 'y') as l3 insert into Out;");
    const sentList = ['a'];
    const sentMap = new Map([['j', 0]]);
    rt.getInputHandler('S').send([sentList, sentMap], 1);
    rt.shutdown();
    expect(sentList).toEqual(['a']);
    expect([...sentMap]).toEqual([['j', 0]]);
    expect(out).toEqual([[['a', 'x'], new Map<unknown, unknown>([['j', 0], ['k', 1]]), ['y']]]);
  });

  it('a constant map:create is a new map per event', () => {
    const { rt, out } = open("define stream S (s string);\nfrom S select map:put(map:create(), s, 1) as m insert into Out;");
    rt.getInputHandler('S').send(['a'], 1);
    rt.getInputHandler('S').send(['b'], 2);
    rt.shutdown();
    expect(out).toEqual([[new Map([['a', 1]])], [new Map([['b', 1]])]]);
  });
});

describe('printing', () => {
  it('the log sink and #log print maps and lists as Java does', () => {
    const lines: string[] = [];
    const logger: Logger = { info: (m) => lines.push(m), warn: () => {}, error: () => {}, debug: () => {} };
    const app = "define stream S (s string);\n@sink(type='log', prefix='L') define stream Out (m object, l object);\n"
      + "from S#log('seen') select map:create('a', 1, 'b', list:create(s, 2)) as m, list:create(s, map:create()) as l insert into Out;";
    const { rt } = open(app, logger);
    rt.getInputHandler('S').send(['x'], 1);
    rt.shutdown();
    expect(lines).toContain('L : Event{timestamp=1, data=[{a=1, b=[x, 2]}, [x, {}]], isExpired=false}');
    expect(lines).toContain('SiddhiApp: seen, StreamEvent{ timestamp=1, data=[x], type=CURRENT}');
  });

  it('convert(object, string) gives the Java form', () => {
    const { rt, out } = open("define stream S (s string);\nfrom S select convert(map:create(s, list:create(1, 2)), 'string') as t insert into Out;");
    rt.getInputHandler('S').send(['k'], 1);
    rt.shutdown();
    expect(out).toEqual([['{k=[1, 2]}']]);
  });
});

describe('maps as JSON', () => {
  it('the json sink mapper writes a map as an object and a list as an array', () => {
    const manager = new SiddhiManager();
    const rt = manager.createSiddhiAppRuntime("define stream S (s string);\n@sink(type='inMemory', topic='out', @map(type='json')) define stream Out (m object);\nfrom S select map:create(s, list:create(1, 2)) as m insert into Out;");
    const got: unknown[] = [];
    manager.broker.subscribe('out', (m) => got.push(m));
    rt.start();
    rt.getInputHandler('S').send(['k']);
    rt.shutdown();
    expect(got).toEqual(['{"event":{"m":{"k":[1,2]}}}']);
  });

  it('siddhi run prints a map in its JSON lines as an object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siddhi-map-'));
    const app = join(dir, 'app.siddhi');
    const input = join(dir, 'events.jsonl');
    writeFileSync(app, 'define stream S (k string, v int);\nfrom S select map:create(k, v) as m insert into Out;\n');
    writeFileSync(input, '{"stream":"S","data":["a",1],"time":1000}\n');
    const r = await invokeCli('run', app, '--input', input);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"data":[{"a":1}]');
  });
});

describe('checkpoints', () => {
  it('windows holding maps and the collect aggregators restore from a snapshot', () => {
    const app = 'define stream S (k string, v int);\n'
      + 'from S select map:create(k, v) as m, list:create(k) as l insert into T;\n'
      + 'from T#window.length(2) select map:merge(m) as mm, list:merge(l, true) as ll insert into Out;';
    const rows: [string, number][] = [['a', 1], ['b', 2], ['a', 3], ['c', 4]];
    const straight = open(app);
    rows.forEach((r, i) => straight.rt.getInputHandler('S').send(r, i + 1));
    straight.rt.shutdown();
    const first = open(app);
    rows.slice(0, 2).forEach((r, i) => first.rt.getInputHandler('S').send(r, i + 1));
    const bytes = first.rt.snapshot();
    first.rt.shutdown();
    const second = open(app);
    second.rt.restore(bytes);
    rows.slice(2).forEach((r, i) => second.rt.getInputHandler('S').send(r, i + 3));
    second.rt.shutdown();
    expect([...first.out, ...second.out]).toEqual(straight.out);
    expect(straight.out.at(-1)).toEqual([new Map([['a', 3], ['c', 4]]), ['a', 'c']]);
  });
});
