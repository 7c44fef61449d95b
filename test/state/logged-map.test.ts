import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LoggedMap, type ItemCodec, type MapCapture } from '../../src/state/index.js';
import { throughEnvelope } from './helpers.js';
import { expectEqual } from '../expect-equal.js';

type Value = { n: number; tags: unknown[]; logged: number };
const codec: ItemCodec<Value> = {
  encode: (v) => [v.n, v.tags.slice()],
  decode: (raw) => {
    const [n, tags] = raw as [number, unknown[]];
    return { n, tags, logged: -1 };
  },
};
const key = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom('a', 'b', 'IBM', 'WSO2', ''));
const tag = fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null), fc.boolean());

type Op =
  | { op: 'set'; key: unknown; n: number }
  | { op: 'mutate'; key: unknown; t: unknown; stamped: boolean }
  | { op: 'delete'; key: unknown }
  | { op: 'clear' }
  | { op: 'capture'; mode: 'full' | 'delta' }
  | { op: 'failover' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(key, fc.integer()).map(([k, n]) => ({ op: 'set' as const, key: k, n })) },
  { weight: 6, arbitrary: fc.tuple(key, tag, fc.boolean()).map(([k, t, stamped]) => ({ op: 'mutate' as const, key: k, t, stamped })) },
  { weight: 3, arbitrary: key.map((k) => ({ op: 'delete' as const, key: k })) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  { weight: 3, arbitrary: fc.constantFrom('full' as const, 'delta' as const).map((mode) => ({ op: 'capture' as const, mode })) },
  { weight: 1, arbitrary: fc.constant({ op: 'failover' as const }) },
);

function replay(chain: readonly MapCapture[]): LoggedMap<unknown, Value> {
  const m = new LoggedMap<unknown, Value>(codec);
  for (const c of chain) m.restore(c);
  return m;
}

const contents = (m: LoggedMap<unknown, Value>) => new Map([...m.entries()].map(([k, v]) => [k, { n: v.n, tags: v.tags.slice() }]));
const modelContents = (m: Map<unknown, Value>) => new Map([...m.entries()].map(([k, v]) => [k, { n: v.n, tags: v.tags.slice() }]));

describe('LoggedMap', () => {
  it('restoring the last full capture plus later deltas equals the live map', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        let live = new LoggedMap<unknown, Value>(codec);
        const model = new Map<unknown, Value>();
        let chain: MapCapture[] = [];
        const replica = new LoggedMap<unknown, Value>(codec);
        const capture = (mode: 'full' | 'delta') => {
          const c = throughEnvelope(live.capture(mode));
          if ('f' in c) chain = [c];
          else chain.push(c);
          expect('f' in chain[0]!).toBe(true);
          replica.restore(c);
          expectEqual(contents(replica), modelContents(model));
          expectEqual(contents(replay(chain)), modelContents(model));
        };
        for (const o of ops) {
          switch (o.op) {
            case 'set':
              live.set(o.key, { n: o.n, tags: [], logged: -1 });
              model.set(o.key, { n: o.n, tags: [], logged: -1 });
              break;
            case 'mutate': {
              // In-place mutation, announced with touch or touchStamped.
              const v = live.get(o.key);
              if (!v) break;
              v.tags.push(o.t);
              v.n++;
              if (o.stamped) live.touchStamped(o.key, v);
              else live.touch(o.key);
              const m = model.get(o.key)!;
              model.set(o.key, { n: m.n + 1, tags: [...m.tags, o.t], logged: -1 });
              break;
            }
            case 'delete':
              expect(live.delete(o.key)).toBe(model.delete(o.key));
              break;
            case 'clear':
              live.clear();
              model.clear();
              break;
            case 'capture':
              capture(o.mode);
              break;
            case 'failover':
              capture('delta');
              live = replay(chain);
              break;
          }
          expect(live.size).toBe(model.size);
        }
        expectEqual(contents(live), modelContents(model));
      }),
      { numRuns: 300 },
    );
  });

  it('ships only changed keys in a delta', () => {
    const m = new LoggedMap<string, Value>(codec);
    for (const k of ['a', 'b', 'c', 'd']) m.set(k, { n: 1, tags: [], logged: -1 });
    expect('f' in m.capture('delta')).toBe(true);
    m.set('a', { n: 2, tags: ['x'], logged: -1 });
    m.delete('b');
    expect(m.capture('delta')).toEqual({ set: [['a', [2, ['x']]]], del: ['b'] });
    expect(m.capture('delta')).toEqual({ set: [], del: [] });
  });

  it('captures fully after clear', () => {
    const m = new LoggedMap<string, Value>(codec);
    for (const k of ['a', 'b', 'c']) m.set(k, { n: 1, tags: [], logged: -1 });
    m.capture('full');
    m.clear();
    m.set('z', { n: 9, tags: [], logged: -1 });
    expect(m.capture('delta')).toEqual({ f: [['z', [9, []]]] });
  });

  it('touchStamped records a key once per capture, and again after the next one', () => {
    const m = new LoggedMap<string, Value>(codec);
    for (const k of ['a', 'b', 'c']) m.set(k, { n: 1, tags: [], logged: -1 });
    m.capture('full');
    const a = m.get('a')!;
    for (let i = 0; i < 3; i++) {
      a.n++;
      m.touchStamped('a', a);
    }
    expect(m.capture('delta')).toEqual({ set: [['a', [4, []]]], del: [] });
    a.n++;
    m.touchStamped('a', a);
    expect(m.capture('delta')).toEqual({ set: [['a', [5, []]]], del: [] });
    m.restore({ set: [], del: [] });
    a.n++;
    m.touchStamped('a', a);
    expect(m.capture('delta')).toEqual({ set: [['a', [6, []]]], del: [] });
  });
});
