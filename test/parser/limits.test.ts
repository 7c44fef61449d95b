// Issue 13, parser/planner input: nesting and size limits reported with a
// location, Object.prototype names, window calls without arguments, bounded
// suggestions, names that have no UTF-8 form.

import { describe, expect, it } from 'vitest';
import { SiddhiError, SiddhiManager, SiddhiParseError, SiddhiPlanError } from '../../src/index.js';
import { formatSourceExcerpt } from '../../src/errors.js';
import { parseDuration } from '../../src/plan/duration.js';

const S = 'define stream S (a int);\n';

function refusal(app: string): SiddhiError {
  try {
    new SiddhiManager().createSiddhiAppRuntime(app, { playback: true }).shutdown();
  } catch (e) {
    if (e instanceof SiddhiError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('nesting and size limits', () => {
  const cases: [string, string, RegExp][] = [
    ['500-deep parentheses', `${S}from S select ${'('.repeat(500)}a${')'.repeat(500)} as b insert into O;`, /nested more than 64/],
    ['300-deep calls', `${S}from S select ${'coalesce('.repeat(300)}a${')'.repeat(300)} as b insert into O;`, /nested more than 64/],
    ['nested annotations', `${'@a('.repeat(300)}x='1'${')'.repeat(300)}\n${S}`, /nested more than 64/],
    ['a 5000-term sum', `${S}from S select ${Array(5000).fill('a').join(' + ')} as b insert into O;`, /more than 2000 operands/],
    ['a 5000-term conjunction', `${S}from S[${Array(5000).fill('a > 1').join(' and ')}] select a insert into O;`, /more than 2000 operands/],
    ['800 prefixes', `${S}from S[${'not '.repeat(800)}a > 1] select a insert into O;`, /nested more than 400 levels/],
    ['a 2000-character name', `${S}from S select ${'x'.repeat(2000)} insert into O;`, /name longer than 1000/],
  ];
  it.each(cases)('%s is a SiddhiParseError with line and column', (_, app, message) => {
    const e = refusal(app);
    expect(e).toBeInstanceOf(SiddhiParseError);
    expect(e.message).toMatch(message);
    expect(e.line).toBeGreaterThan(0);
    expect(e.column).toBeGreaterThan(0);
  });

  it('accepts what is within the limits, and it runs', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(
      `${S}from S select ${'('.repeat(60)}a${')'.repeat(60)} + ${Array(300).fill('a').join(' + ')} as b insert into O;`,
      { playback: true },
    );
    const out: unknown[] = [];
    rt.addCallback('O', (events) => out.push(...events.map((e) => e.data[0])));
    rt.start();
    rt.getInputHandler('S').send([2], 1);
    expect(out).toEqual([602]);
  });

  it('shows a long line as a window around the column, and caps the problems listed', () => {
    const line = `${'x'.repeat(5000)}HERE${'y'.repeat(5000)}`;
    const excerpt = formatSourceExcerpt(line, 1, 5001);
    expect(excerpt.length).toBeLessThan(300);
    const [source, caret] = excerpt.split('\n') as [string, string];
    expect(source.slice(caret.indexOf('^'), caret.indexOf('^') + 4)).toBe('HERE');
    const e = refusal(`${S}${'$ '.repeat(50_000)}`);
    expect((e as SiddhiParseError).problems.length).toBeLessThanOrEqual(20);
    expect(e.message.length).toBeLessThan(10_000);
  });
});

describe('names of Object.prototype', () => {
  const names = ['toString', 'valueOf', 'constructor', '__proto__', 'hasOwnProperty'];
  it.each(names)('%s as a function is an unknown function', (name) => {
    const e = refusal(`${S}from S select ${name}(a) as b insert into O;`);
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e.message).toMatch(`unknown function '${name}'`);
    expect(e.line).toBe(2);
  });
  it.each(names)('%s as a window is an unknown window', (name) => {
    const e = refusal(`${S}from S#window.${name}(1) select a insert into O;`);
    expect(e.message).toMatch(`unknown window '${name}'`);
  });
  it.each(names)('%s as an aggregator without arguments is an unknown function', (name) => {
    expect(refusal(`${S}from S select ${name}() as b insert into O;`).message).toMatch(`unknown function '${name}'`);
  });
  // Every other registry: each an unknown name with a SiddhiError, never a TypeError from Object.prototype.
  const registries: [string, (n: string) => string, (n: string) => string][] = [
    ['stream function', (n) => `${S}from S#${n}(a) select a insert into O;`, (n) => `unknown stream function '${n}'`],
    ['namespaced function', (n) => `${S}from S select str:${n}(a) as b insert into O;`, (n) => `unknown function 'str:${n}'`],
    ['function namespace', (n) => `${S}from S select ${n}:concat(a) as b insert into O;`, (n) => `unknown function '${n}:concat'`],
    ['window namespace', (n) => `${S}from S#window.${n}:length(1) select a insert into O;`, (n) => `unknown window '${n}:length'`],
    ['stream function namespace', (n) => `${S}from S#${n}:f(a) select a insert into O;`, (n) => `unknown stream function '${n}:f'`],
    ['source', (n) => `@source(type='${n}') define stream S (a int);\nfrom S select a insert into O;`, (n) => `unknown source type '${n}'`],
    ['sink', (n) => `${S}@sink(type='${n}') define stream O (a int);\nfrom S select a insert into O;`, (n) => `unknown sink type '${n}'`],
    ['source mapper', (n) => `@source(type='inMemory', topic='t', @map(type='${n}')) define stream S (a int);\nfrom S select a insert into O;`,
      (n) => `unknown sourceMapper type '${n}'`],
    ['sink mapper', (n) => `${S}@sink(type='inMemory', topic='t', @map(type='${n}')) define stream O (a int);\nfrom S select a insert into O;`,
      (n) => `unknown sinkMapper type '${n}'`],
    ['script language', (n) => `define function f[${n}] return int { return 1; };\n${S}from S select f(a) as b insert into O;`,
      (n) => `unsupported script language '${n}'`],
    ['aggregation function', (n) => `${S}define aggregation A from S select ${n}(a) as x aggregate every sec ... min;`, (n) => `unknown function '${n}'`],
    ['partition key function', (n) => `${S}partition with (${n}(a) of S) begin from S select a insert into O; end;`, (n) => `unknown function '${n}'`],
  ];
  for (const [registry, app, message] of registries) {
    it.each(names)(`%s as a ${registry} is unknown`, (name) => {
      const e = refusal(app(name));
      expect(e).toBeInstanceOf(SiddhiPlanError);
      expect(e.message).toContain(message(name));
    });
  }
  it.each(names)('%s registered as a function or a sink is found and used', (name) => {
    const manager = new SiddhiManager();
    manager.setFunction(name, { returnType: 'int', parameters: ['int'], fn: (a) => (a as number) * 2 });
    const published: unknown[] = [];
    manager.setExtension(`sink:${name}`, { create: () => ({ publish: (p: unknown) => void published.push(p) }) });
    const rt = manager.createSiddhiAppRuntime(`${S}@sink(type='${name}') define stream O (b int);\nfrom S select ${name}(a) as b insert into O;`, { playback: true });
    rt.start();
    rt.getInputHandler('S').send([21]);
    rt.shutdown();
    expect(JSON.stringify(published)).toContain('42');
  });
  it('as a duration unit is not a unit', () => {
    expect(parseDuration('1 constructor')).toBeUndefined();
    expect(parseDuration('2 tostring')).toBeUndefined();
  });
});

it('#window.length() keeps the line and column of the call', () => {
  const e = refusal(`${S}from S#window.length() select a insert into O;`);
  expect(e.message).toMatch(/takes 1 argument but got 0/);
  expect([e.line, e.column]).toEqual([2, 15]);
});

describe('long misspelt names', () => {
  // Not timed: a name far longer than every candidate is never compared (the length difference already exceeds the limit).
  it('a long misspelt window name or keyword is refused without a suggestion', () => {
    const message = refusal(`${S}from S#window.${'lenght'.repeat(150)}(5) select a insert into O;`).message;
    expect(message).toMatch(/unknown window/);
    expect(message).not.toMatch(/did you mean/i);
    expect(refusal(`${S}from S ${'selectt'.repeat(140)} a insert into O;`)).toBeInstanceOf(SiddhiParseError);
  });
});

describe('names without a UTF-8 form', () => {
  it('a query name with a lone surrogate is refused at plan time', () => {
    const e = refusal(`${S}@info(name='q\uD800') from S#window.length(2) select a insert into O;`);
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e.message).toMatch(/unpaired UTF-16 surrogate/);
    expect(e.line).toBe(2);
  });
  it('an app name with a lone surrogate is refused at plan time (its checkpoints carry the name in UTF-8)', () => {
    const e = refusal(`@app:name('A\uD800')\n${S}from S select a insert into O;`);
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e.message).toMatch(/the app name has an unpaired UTF-16 surrogate/);
    expect(e.line).toBe(1);
  });
  it('a quoted stream name with a lone surrogate is a parse error', () => {
    expect(refusal('define stream `S\uDC00` (a int);')).toBeInstanceOf(SiddhiParseError);
  });
  it('a name with a surrogate pair is fine', () => {
    expect(() => new SiddhiManager().validateSiddhiApp(`${S}@info(name='q😀') from S#window.length(2) select a insert into O;`)).not.toThrow();
  });
});
