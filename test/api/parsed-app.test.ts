// parseSiddhiApp: an app parsed once, from which createSiddhiAppRuntime and
// validateSiddhiApp plan without parsing the text again (the conformance
// runner plans every run of a case from one parse).

import { describe, expect, it, vi } from 'vitest';
import { AstBuilder } from '../../src/parser/visitor.js';
import { InMemoryStore, SiddhiError, SiddhiManager, SiddhiParseError, SiddhiPlanError, parseApp, parseSiddhiApp } from '../../src/index.js';
import type { Event, ParsedSiddhiApp, SiddhiAppRuntime } from '../../src/index.js';

const APP = `@app:name('Parsed')
define stream S (symbol string, price double);
@info(name = 'q') from S#window.length(2) select symbol, sum(price) as total insert into Out;
`;

function collect(rt: SiddhiAppRuntime): unknown[][] {
  const out: unknown[][] = [];
  rt.addCallback('Out', (events: Event[]) => out.push(...events.map((e) => [...e.data])));
  rt.start();
  return out;
}

function isFrozenDeep(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isFrozenDeep);
}

describe('parseSiddhiApp', () => {
  it('plans runtimes from one parse, each with its own state', () => {
    const manager = new SiddhiManager();
    const parsed = parseSiddhiApp(APP);
    const a = manager.createSiddhiAppRuntime(parsed, { playback: true });
    const b = manager.createSiddhiAppRuntime(parsed, { playback: true });
    const outA = collect(a);
    const outB = collect(b);
    a.getInputHandler('S').send(['x', 1], 1);
    a.getInputHandler('S').send(['x', 2], 2);
    b.getInputHandler('S').send(['y', 10], 1);
    expect(outA).toEqual([['x', 1], ['x', 3]]);
    expect(outB).toEqual([['y', 10]]);
    a.shutdown();
    b.shutdown();
  });

  it('never parses the text again', () => {
    const parsed = parseSiddhiApp(APP);
    // Every parse of an app builds its AST through appOf (or app, for the whole-app fallback).
    const builds = [vi.spyOn(AstBuilder.prototype, 'appOf'), vi.spyOn(AstBuilder.prototype, 'app')];
    const count = () => builds.reduce((n, spy) => n + spy.mock.calls.length, 0);
    let rt: SiddhiAppRuntime;
    try {
      rt = new SiddhiManager().createSiddhiAppRuntime(parsed, { playback: true });
      new SiddhiManager().validateSiddhiApp(parsed);
      expect(count()).toBe(0);
      new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true }).shutdown();
      expect(count()).toBe(1);
    } finally {
      for (const spy of builds) spy.mockRestore();
    }
    const out = collect(rt);
    rt.getInputHandler('S').send(['x', 4], 1);
    expect(out).toEqual([['x', 4]]);
    rt.shutdown();
  });

  it('takes only apps parseSiddhiApp made: a hand-made { text, app } could plan one app and fingerprint another', () => {
    const forged: ParsedSiddhiApp = Object.freeze({ text: 'not SiddhiQL', app: parseApp(APP) });
    expect(() => new SiddhiManager().createSiddhiAppRuntime(forged)).toThrow(/an app parseSiddhiApp made/);
    expect(() => new SiddhiManager().validateSiddhiApp(forged)).toThrow(SiddhiError);
  });

  it('is frozen all through, so a runtime cannot change what the next one is planned from', () => {
    const parsed = parseSiddhiApp(APP);
    expect(isFrozenDeep(parsed)).toBe(true);
    expect(parsed.text).toBe(APP);
    expect(parsed.app).toEqual(parseApp(APP));
  });

  it('fingerprints checkpoints with the text: a snapshot moves between text- and parse-made runtimes as within one app', async () => {
    const manager = new SiddhiManager({ store: new InMemoryStore() });
    const fromText = manager.createSiddhiAppRuntime(APP, { playback: true });
    fromText.start();
    fromText.getInputHandler('S').send(['x', 1], 1);
    await fromText.persist();
    fromText.shutdown();
    const fromParse = manager.createSiddhiAppRuntime(parseSiddhiApp(APP), { playback: true });
    const out = collect(fromParse);
    await fromParse.restoreLastRevision();
    expect(fromParse.lastRestoreReport?.fingerprintChanged).toBe(false);
    fromParse.getInputHandler('S').send(['x', 2], 2);
    expect(out).toEqual([['x', 3]]);
    fromParse.shutdown();
  });

  it('throws the errors of the text: SiddhiParseError from parseSiddhiApp, SiddhiPlanError from create and validate', () => {
    const bad = 'define stream S (a int);\nfrom S selec a insert into O;';
    let fromText: unknown;
    try {
      new SiddhiManager().createSiddhiAppRuntime(bad);
    } catch (err) {
      fromText = err;
    }
    expect(fromText).toBeInstanceOf(SiddhiParseError);
    expect(() => parseSiddhiApp(bad)).toThrow(expect.objectContaining({ message: (fromText as Error).message, line: 2 }));
    const unplannable = parseSiddhiApp('define stream S (a int);\nfrom S#window.lenght(2) select a insert into O;');
    expect(() => new SiddhiManager().createSiddhiAppRuntime(unplannable)).toThrow(SiddhiPlanError);
    expect(() => new SiddhiManager().validateSiddhiApp(unplannable)).toThrow(/unknown window 'lenght'/);
  });
});
