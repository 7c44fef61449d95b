// Source mappers through inMemory sources: payload in, events (or the reported reason) out.
import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';

/** Runs `stream` with a `topic` inMemory source and returns what each published payload gave. */
function mapWith(map: string, stream: string) {
  const manager = new SiddhiManager();
  const runtime = manager.createSiddhiAppRuntime(`@source(type='inMemory', topic='t', ${map}) ${stream}; from S select * insert into Out;`);
  const out: unknown[][] = [];
  const errors: string[] = [];
  runtime.addCallback('Out', (es) => out.push(...es.map((e) => [...e.data])));
  runtime.onError((e) => errors.push(e.message));
  runtime.start();
  return {
    publish(payload: unknown) {
      manager.broker.publish('t', payload);
      const result = { out: out.splice(0), errors: errors.splice(0) };
      return result;
    },
    shutdown: () => runtime.shutdown(),
  };
}

describe('text source mapper with regex groups', () => {
  it("reads @attributes(a='A[1]') from the first match of regex.A, typed by the attribute", () => {
    const m = mapWith(`@map(type='text', regex.A='name=(\\w+)', regex.B='n=(\\d+);t=(\\w+)', @attributes(name='A[1]', n='B[1]', tag='B[2]'))`,
      'define stream S (name string, n int, tag string)');
    expect(m.publish('name=ann n=12;t=x')).toEqual({ out: [['ann', 12, 'x']], errors: [] });
    expect(m.publish('name=bob n=big').errors).toEqual([expect.stringMatching(/payload does not map: attribute 'n': no match of .* group 1/)]);
    m.shutdown();
  });

  it("fail.on.missing.attribute='false' gives null for no match; a bad group reference is a plan error", () => {
    const m = mapWith(`@map(type='text', fail.on.missing.attribute='false', regex.A='a=(\\d+)', @attributes(a='A[1]'))`, 'define stream S (a long)');
    expect(m.publish('nothing').out).toEqual([[null]]);
    m.shutdown();
    expect(() => mapWith(`@map(type='text', @attributes(a='A[1]'))`, 'define stream S (a long)')).toThrow(/@source of stream 'S', @map.*no regex.A='…'/);
    expect(() => mapWith(`@map(type='text', regex.A='x', @attributes(a='$.a'))`, 'define stream S (a long)')).toThrow(/'\$\.a' is not a regex group like 'A\[1\]'/);
  });
});

describe('json source mapper custom mapping', () => {
  it("reads a value's text as the attribute's type, as the reference does", () => {
    const m = mapWith(`@map(type='json', @attributes(a='$.a', b='$.b', s='$.s'))`, 'define stream S (a long, b double, s string)');
    expect(m.publish('{"a":"12","b":"1.5","s":7}')).toEqual({ out: [[12, 1.5, '7']], errors: [] });
    expect(m.publish('{"a":"12x","b":1,"s":"k"}').errors).toEqual([expect.stringMatching(/attribute 'a': '12x' is not a long/)]);
    m.shutdown();
  });
});
