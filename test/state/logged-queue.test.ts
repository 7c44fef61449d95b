import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IDENTITY_CODEC, LoggedQueue, type QueueCapture } from '../../src/state/index.js';
import { throughEnvelope } from './helpers.js';
import { expectEqual } from '../expect-equal.js';

const value = fc.oneof(
  fc.integer(),
  fc.double().map((d) => (Object.is(d, -0) ? 0 : d)), // msgpack stores -0 as the integer 0
  fc.string({ maxLength: 6 }),
  fc.constant(null),
  fc.boolean(),
);
const row = fc.array(value, { maxLength: 4 });

type Op =
  | { op: 'push'; item: unknown[] }
  | { op: 'shift' }
  | { op: 'drain' }
  | { op: 'removeAt'; at: number }
  | { op: 'insertAt'; at: number; item: unknown[] }
  | { op: 'capture'; mode: 'full' | 'delta' }
  | { op: 'failover' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: row.map((item) => ({ op: 'push' as const, item })) },
  { weight: 5, arbitrary: fc.constant({ op: 'shift' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'drain' as const }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ op: 'removeAt' as const, at })) },
  { weight: 1, arbitrary: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), row).map(([at, item]) => ({ op: 'insertAt' as const, at, item })) },
  { weight: 3, arbitrary: fc.constantFrom('full' as const, 'delta' as const).map((mode) => ({ op: 'capture' as const, mode })) },
  { weight: 1, arbitrary: fc.constant({ op: 'failover' as const }) },
);

function replay(chain: readonly QueueCapture[]): LoggedQueue<unknown[]> {
  const q = new LoggedQueue<unknown[]>(IDENTITY_CODEC);
  for (const c of chain) q.restore(c);
  return q;
}

describe('LoggedQueue', () => {
  it('restoring the last full capture plus later deltas equals the live queue', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        let live = new LoggedQueue<unknown[]>(IDENTITY_CODEC);
        const model: unknown[][] = [];
        let chain: QueueCapture[] = [];
        const replica = new LoggedQueue<unknown[]>(IDENTITY_CODEC);
        const capture = (mode: 'full' | 'delta') => {
          const c = throughEnvelope(live.capture(mode));
          if ('f' in c) chain = [c];
          else chain.push(c);
          expect('f' in chain[0]!).toBe(true);
          replica.restore(c);
          expectEqual(replica.toArray(), model);
          expectEqual(replay(chain).toArray(), model);
        };
        for (const o of ops) {
          switch (o.op) {
            case 'push':
              live.push(o.item);
              model.push(o.item);
              break;
            case 'shift':
              expect(live.shift()).toEqual(model.shift());
              break;
            case 'drain':
              expect(live.drain()).toEqual(model.splice(0));
              break;
            case 'removeAt': {
              if (model.length === 0) break;
              const i = Math.min(model.length - 1, Math.floor(o.at * model.length));
              expect(live.removeAt(i)).toEqual(model.splice(i, 1)[0]);
              break;
            }
            case 'insertAt': {
              const i = Math.floor(o.at * model.length);
              live.insertAt(i, o.item);
              model.splice(i, 0, o.item);
              break;
            }
            case 'capture':
              capture(o.mode);
              break;
            case 'failover':
              // The restored copy takes over and must keep the chain going.
              capture('delta');
              live = replay(chain);
              break;
          }
          expect(live.length).toBe(model.length);
        }
        expectEqual(live.toArray(), model);
        expectEqual([...live], model);
      }),
      { numRuns: 300 },
    );
  });

  it('ships only the change in a delta', () => {
    const q = new LoggedQueue<number>(IDENTITY_CODEC);
    for (let i = 0; i < 100; i++) q.push(i);
    expect(q.capture('delta')).toEqual({ f: Array.from({ length: 100 }, (_, i) => i) });
    q.shift();
    q.shift();
    q.push(100);
    expect(q.capture('delta')).toEqual({ drop: 2, add: [100] });
    expect(q.capture('delta')).toEqual({ drop: 0, add: [] });
  });

  it('falls back to a full capture after a change a delta cannot express', () => {
    const q = new LoggedQueue<number>(IDENTITY_CODEC);
    for (let i = 0; i < 5; i++) q.push(i);
    q.capture('full');
    q.removeAt(2);
    expect(q.capture('delta')).toEqual({ f: [0, 1, 3, 4] });
  });

  it('keeps shift amortised by compacting the dead prefix', () => {
    const q = new LoggedQueue<number>(IDENTITY_CODEC);
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 4000; i++) q.shift();
    expect(q.length).toBe(1000);
    expect(q.peek()).toBe(4000);
    expect(q.at(999)).toBe(4999);
    expect(q.last()).toBe(4999);
  });

  it('applies long delta chains by advancing the head', () => {
    const q = new LoggedQueue<number>(IDENTITY_CODEC);
    for (let i = 0; i < 5000; i++) q.push(i);
    const r = new LoggedQueue<number>(IDENTITY_CODEC);
    r.restore(q.capture('full'));
    let next = 5000;
    for (let round = 0; round < 300; round++) {
      for (let i = 0; i < 25; i++) {
        q.shift();
        q.push(next++);
      }
      r.restore(q.capture('delta'));
    }
    expect(r.length).toBe(5000);
    expect(r.toArray()).toEqual(q.toArray());
    expect(r.peek()).toBe(next - 5000);
    // The dead prefix is compacted away as it grows.
    expect((r as unknown as { head: number }).head).toBeLessThanOrEqual(5000);
  });

  it('calls a class-based codec with its this', () => {
    class Codec {
      offset = 10;
      encode(x: number) {
        return x + this.offset;
      }
      decode(x: unknown) {
        return (x as number) - this.offset;
      }
    }
    const q = new LoggedQueue<number>(new Codec());
    q.push(1);
    const r = new LoggedQueue<number>(new Codec());
    r.restore(q.capture('full'));
    expect(r.toArray()).toEqual([1]);
  });
});
