// @sink(…, @distribution(strategy=…, @destination(…)…)), as the query guide's
// "Distributed Sink" section writes it: roundRobin, partitioned (by the
// reference's |hashCode(value) % n|) and broadcast over inMemory topics.

import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError } from '../../src/index.js';
import { planRefusal } from '../plan-refusal.js';

function run(sink: string, events: unknown[][]): Record<string, unknown[]> {
  const manager = new SiddhiManager();
  const runtime = manager.createSiddhiAppRuntime(`define stream In (name string, v int);
    ${sink}
    define stream Out (name string, v int);
    from In insert into Out;`, { playback: true });
  const got: Record<string, unknown[]> = {};
  for (const t of ['t1', 't2', 't3']) manager.broker.subscribe(t, (m) => (got[t] ??= []).push((m as { data: unknown[] }).data ?? m));
  runtime.start();
  events.forEach((e, i) => runtime.getInputHandler('In').send(e, i + 1));
  runtime.shutdown();
  return got;
}

const refusal = (sink: string): SiddhiPlanError => planRefusal(() => run(sink, []));

describe('distributed sinks', () => {
  it('roundRobin publishes each payload to the next destination', () => {
    const got = run(`@sink(type='inMemory', @map(type='passThrough'),
      @distribution(strategy='roundRobin', @destination(topic='t1'), @destination(topic='t2')))`, [['a', 1], ['b', 2], ['c', 3]]);
    expect(got).toEqual({ t1: [['a', 1], ['c', 3]], t2: [['b', 2]] });
  });

  it("partitioned sends a key's events to one destination, |hashCode % n| as the reference ('a' 97 → 1, 'b' 98 → 0)", () => {
    const got = run(`@sink(type='inMemory', @map(type='passThrough'),
      @distribution(strategy='partitioned', partitionKey='name', @destination(topic='t1'), @destination(topic='t2')))`, [['a', 1], ['b', 2], ['a', 3]]);
    expect(got).toEqual({ t1: [['b', 2]], t2: [['a', 1], ['a', 3]] });
  });

  it("broadcast sends to every destination; a destination's option overrides the @sink's", () => {
    const got = run(`@sink(type='inMemory', topic='t3', @map(type='passThrough'),
      @distribution(strategy='broadcast', @destination(topic='t1'), @destination(topic='t2')))`, [['a', 1]]);
    expect(got).toEqual({ t1: [['a', 1]], t2: [['a', 1]] });
  });

  it('refuses a missing or unknown strategy, a partitionKey that is no attribute, and no destination', () => {
    expect(refusal(`@sink(type='inMemory', @distribution(@destination(topic='t1')))`).message).toMatch(/needs strategy='…'/);
    expect(refusal(`@sink(type='inMemory', @distribution(strategy='random', @destination(topic='t1')))`).message)
      .toMatch(/strategy='random' is not one of roundRobin, partitioned, broadcast/);
    expect(refusal(`@sink(type='inMemory', @distribution(strategy='partitioned', partitionKey='nme', @destination(topic='t1')))`).message)
      .toMatch(/partitionKey 'nme' is not an attribute of stream 'Out'/);
    expect(refusal(`@sink(type='inMemory', @distribution(strategy='roundRobin'))`).message).toMatch(/needs at least one @destination/);
  });
});
