// The rules every registry (windows, functions, aggregators, stream functions)
// keeps, checked over every entry so a new one cannot break them: it is keyed
// by its SiddhiQL name, its signature starts with that name, and a call with
// too many arguments is refused at plan time with a located SiddhiPlanError
// naming the entry and quoting its signature (unless the signature says the
// entry takes any number, `…`).

import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError } from '../../src/index.js';
import { AGGREGATOR_KINDS } from '../../src/runtime/aggregators/index.js';
import { FUNCTION_KINDS } from '../../src/runtime/functions/index.js';
import { STREAM_FUNCTION_KINDS } from '../../src/runtime/operators/stream-functions.js';
import { WINDOW_KINDS } from '../../src/runtime/operators/windows.js';

const STREAM = 'define stream S (symbol string, price double, volume long, ts long, flag bool);\n';
const MANY = Array(12).fill('price').join(', ');

interface Entry {
  readonly name: string;
  readonly signature: string;
}

const REGISTRIES: readonly [string, Readonly<Record<string, Entry>>, (name: string, args: string) => string][] = [
  ['window', WINDOW_KINDS, (n, a) => `from S#window.${n}(${a}) select * insert into O;`],
  ['function', FUNCTION_KINDS, (n, a) => `from S select ${n}(${a}) as x insert into O;`],
  ['aggregator', AGGREGATOR_KINDS, (n, a) => `from S select ${n}(${a}) as x insert into O;`],
  ['stream function', STREAM_FUNCTION_KINDS, (n, a) => `from S#${n}(${a}) select * insert into O;`],
];

/** The error planning `app` throws, or undefined when it is accepted. */
function planError(app: string): unknown {
  try {
    new SiddhiManager().createSiddhiAppRuntime(app, { playback: true }).shutdown();
    return undefined;
  } catch (e) {
    return e;
  }
}

describe.each(REGISTRIES)('the %s registry', (_what, registry, call) => {
  const entries = Object.entries(registry);

  it('has entries, each keyed by its name, its signature starting with it', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const [key, entry] of entries) {
      expect(entry.name, key).toBe(key);
      expect(entry.signature.startsWith(`${key}(`), `${key}: ${entry.signature}`).toBe(true);
    }
  });

  it.each(entries.map(([key, entry]) => [key, entry] as const))('%s refuses too many arguments with a located error quoting its signature', (key, entry) => {
    const app = STREAM + call(key, MANY);
    const error = planError(app);
    if (error === undefined) {
      expect(entry.signature, `${key} accepts 12 arguments, so its signature must say it takes any number`).toMatch(/…|\.\.\./);
      return;
    }
    expect(error, String(error)).toBeInstanceOf(SiddhiPlanError);
    const e = error as SiddhiPlanError;
    expect(e.line, e.message).toBe(2);
    expect(e.column, e.message).toBeGreaterThan(0);
    expect(e.message).toContain(key);
    expect(e.message).toContain(entry.signature);
  });
});
