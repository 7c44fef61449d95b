// State scenarios for the checkpoint benches: a length window holding N events
// or a group-by holding K keys, filled through the public input handler.

import type { SiddhiAppRuntime } from '../../src/index.js';
import { S_DEF } from './engine.js';
import { BASE_TS, generateEvents } from './events.js';

export interface Scenario {
  readonly name: string;
  readonly app: string;
  /** Events that make up the state (window size or key count). */
  readonly stateEvents: number;
  /** Sends events [from, to) of this scenario's endless input. */
  send(runtime: SiddhiAppRuntime, from: number, to: number): void;
}

export function windowScenario(size: number): Scenario {
  const data = generateEvents(Math.min(size, 100_000), { seed: 11 });
  return {
    name: `length window ${label(size)} events`,
    app: `@app:name('win${size}') ${S_DEF} from S#window.length(${size}) select symbol, price, volume insert into O;`,
    stateEvents: size,
    send(runtime, from, to) {
      const h = runtime.getInputHandler('S');
      const n = data.size;
      for (let i = from; i < to; i++) h.send(data.rows[i % n]!, BASE_TS + i);
    },
  };
}

export function groupScenario(keys: number): Scenario {
  const names = Array.from({ length: keys }, (_, i) => `K${i}`);
  const prices = generateEvents(10_000, { seed: 13 }).events.map((e) => e.price);
  return {
    name: `group by ${label(keys)} keys`,
    app: `@app:name('keys${keys}') ${S_DEF} from S select symbol, sum(price) as s group by symbol insert into O;`,
    stateEvents: keys,
    send(runtime, from, to) {
      const h = runtime.getInputHandler('S');
      // A stride co-prime with the key count, so each 1% slice touches keys all over the map.
      for (let i = from; i < to; i++) h.send([names[(i * 7919) % keys]!, prices[i % prices.length]!, 1], BASE_TS + i);
    },
  };
}

/** `keys` partition instances, each with a length(10) window and a sum; each 1% slice touches 1% of the keys. */
export function partitionScenario(keys: number): Scenario {
  const names = Array.from({ length: keys }, (_, i) => `K${i}`);
  return {
    name: `partition ${label(keys)} keys`,
    app: `@app:name('part${keys}') ${S_DEF} partition with (symbol of S) begin ` +
      'from S#window.length(10) select symbol, sum(price) as s insert into O; end;',
    stateEvents: keys,
    send(runtime, from, to) {
      const h = runtime.getInputHandler('S');
      for (let i = from; i < to; i++) h.send([names[(i * 7919) % keys]!, i % 100, 1], BASE_TS + i);
    },
  };
}

export function label(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
}
