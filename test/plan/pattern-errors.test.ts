// Compile errors of patterns and sequences: each names the right cause and
// location (the pattern-error-* conformance cases only say "compile").

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import { SiddhiParseError, SiddhiPlanError } from '../../src/errors.js';

const S = 'define stream S (symbol string, price float, volume int);\ndefine stream T (symbol string, price float, volume int);\n';

function compileError(app: string): Error {
  try {
    new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a compile error');
}

describe('pattern compile errors', () => {
  const caseApp = (id: string): string =>
    (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'conformance', 'cases', `${id}.json`), 'utf8')) as { app: string }).app;

  it('pattern-error-01: a trailing absent state without for', () => {
    const e = compileError(caseApp('pattern-error-01'));
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e.message).toContain("absent state outside 'and'/'or' needs a waiting time");
  });

  it('pattern-error-02: an absent state bound to a reference', () => {
    const e = compileError(caseApp('pattern-error-02'));
    expect(e).toBeInstanceOf(SiddhiParseError);
    expect((e as SiddhiParseError).hint ?? e.message).toContain('cannot be bound to a reference');
  });

  it('an unknown state reference lists the known ones', () => {
    const e = compileError(`${S}from e1=S -> e2=T[price > e3.price] select e1.symbol insert into O;`) as SiddhiPlanError;
    expect(e.message).toContain("unknown state reference 'e3'");
    expect(e.line).toBe(3);
  });

  it('a count whose minimum is above its maximum', () => {
    const e = compileError(`${S}from e1=S<5:2> -> e2=T select e2.symbol insert into O;`);
    expect(e).toBeInstanceOf(SiddhiParseError);
    expect(e.message).toContain('the maximum is below the minimum');
  });

  it('an ambiguous unqualified attribute in the selector', () => {
    const e = compileError(`${S}from e1=S -> e2=T select symbol insert into O;`) as SiddhiPlanError;
    expect(e.message).toContain("'symbol' is ambiguous");
  });

  it.each([
    ['every (e1=S -> every e2=T)', "'every' cannot be nested inside another 'every' group"],
    ['not S or e2=T', "an absent state in 'or' needs a waiting time"],
    ['not S for 1 sec -> not T for 1 sec', 'an absent state cannot directly follow another absent state'],
    ['e1=S, every e2=T', "in a sequence 'every' can only start the sequence"],
  ])('refuses %s', (input, message) => {
    const e = compileError(`${S}from ${input} select * insert into O;`);
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e.message).toContain(message);
  });

  it.each(['not S and e2=T', 'every (not S for 1 sec -> every e2=T)', 'every e1=S, e2=T', 'every e1=S<2>'])('accepts %s', (input) => {
    expect(() => new SiddhiManager().createSiddhiAppRuntime(`${S}from ${input} select * insert into O;`, { playback: true })).not.toThrow();
  });
  it('an undefined inner stream in a pattern is named with its #, inside and outside partitions', () => {
    const inside = compileError(`${S}partition with (symbol of S) begin from e1=S -> not #I[price > 10] for 1 sec select e1.symbol insert into O; end;`) as SiddhiPlanError;
    expect(inside.message).toContain("inner stream '#I' is not defined");
    expect(inside.hint).toContain('inserts into it before it is read');
    expect([inside.line, inside.column]).toEqual([3, 53]);
    const outside = compileError(`${S}from e1=#I -> e2=S select e1.symbol insert into O;`) as SiddhiPlanError;
    expect(outside.message).toContain("inner stream '#I' is only valid inside a partition");
  });
});
