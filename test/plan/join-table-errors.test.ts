// Compile errors of joins and tables: each names the right cause and location
// (the join-error-* and table-error-* conformance cases only say "compile").

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import { SiddhiParseError, SiddhiPlanError } from '../../src/errors.js';

const caseApp = (id: string): string =>
  (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'conformance', 'cases', `${id}.json`), 'utf8')) as { app: string }).app;

function compileError(app: string): Error & { line?: number; column?: number } {
  try {
    new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a compile error');
}

const S = 'define stream S (symbol string, price float, volume long);\ndefine stream C (symbol string, volume long);\n';

describe('join compile errors', () => {
  it('join-error-01: an unqualified attribute both sides have is ambiguous', () => {
    const e = compileError(caseApp('join-error-01'));
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e.message).toContain("attribute 'symbol' is ambiguous");
    expect(e.line).toBe(3);
  });

  it('an attribute both sides have stays ambiguous even when it is also a side alias', () => {
    const e = compileError(`define stream S (a int);
define stream U (a int, b int);
from S#window.length(1) as a join U#window.length(1) as b on b.b == 1 select a insert into O;`);
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e.message).toContain("attribute 'a' is ambiguous");
    expect(e.line).toBe(3);
  });

  it("join-error-03: select * over sides that share a name", () => {
    const e = compileError(caseApp('join-error-03'));
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e.message).toContain("'select *' over this join would select 'symbol' twice");
  });

  it('join-error-04: a bare outer join is a syntax error', () => {
    const e = compileError(caseApp('join-error-04'));
    expect(e).toBeInstanceOf(SiddhiParseError);
    expect(e.message).toMatch(/found 'outer'/);
  });

  it('a join of two tables, within without an aggregation, unknown qualifiers', () => {
    const T = 'define table T (symbol string, volume long);\ndefine table U (symbol string, volume long);\n';
    expect(compileError(`${T}from T join U on T.symbol == U.symbol select T.symbol insert into O;`).message)
      .toContain('are tables; one must be a stream or window');
    expect(compileError(`${S}from S#window.length(2) join C#window.length(2) on S.symbol == C.symbol within 1 sec select S.symbol insert into O;`).message)
      .toContain("'within' and 'per' in a join need an aggregation");
    expect(compileError(`${S}from S#window.length(2) join C#window.length(2) on X.symbol == C.symbol select S.symbol insert into O;`).message)
      .toContain("unknown stream reference 'X'");
  });

  it("an unknown qualifier is hinted with the sides' names, an unknown attribute with the attributes (once each)", () => {
    const side = compileError(`${S}from S#window.length(1) as a join C#window.length(1) as b on a.symbol == c.symbol select a.symbol insert into O;`) as SiddhiPlanError;
    expect(side.message).toContain("unknown stream reference 'c' in 'c.symbol'");
    expect(side.hint).toBe("did you mean 'a'? available: a, b");
    const attribute = compileError(`${S}from S#window.length(1) as a join C#window.length(1) as b on a.symbol == b.symbl select a.symbol insert into O;`) as SiddhiPlanError;
    expect(attribute.hint).toBe("did you mean 'symbol'? available: price, symbol, volume");
  });
});

describe('table compile errors', () => {
  it('table-error-01: a table cannot be read as a stream', () => {
    const e = compileError(caseApp('table-error-01'));
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e.message).toContain("table 'OutputStream' cannot be read as a stream");
  });

  it('table-error-03: nothing may follow the window of a join side, a syntax error as in the reference grammar', () => {
    const e = compileError(caseApp('table-error-03'));
    expect(e).toBeInstanceOf(SiddhiParseError);
    expect(e.message).toContain("a join side ends at its window (then 'as <alias>'), but a filter follows it");
    expect(e.line).toBe(5);
    expect(e.column).toBe(62);
    const fn = compileError(`${S}define table T (symbol string);\nfrom S join C#window.length(2)#log('x') on S.symbol == C.symbol select S.symbol insert into O;`);
    expect(fn).toBeInstanceOf(SiddhiParseError);
    expect(fn.message).toContain('but a stream function follows it');
  });

  it('primary keys, inserts and set clauses are checked', () => {
    expect(compileError(`@PrimaryKey('sym')\ndefine table T (symbol string, volume long);`).message)
      .toContain("@PrimaryKey names 'sym', which is not an attribute");
    expect(compileError(`${S}define table T (symbol string, volume long);\nfrom S insert into T;`).message)
      .toContain("'insert into T' needs rows of (symbol string, volume long)");
    expect(compileError(`${S}define table T (symbol string, volume long);\nfrom C update T set T.volume = 'x' on T.symbol == symbol;`).message)
      .toContain('cannot set T.volume (long) to a string value');
    expect(compileError(`${S}define table T (symbol string, volume long);\nfrom C delete T on T.price > 1;`).message)
      .toContain("table 'T' has no attribute 'price'");
    expect(compileError(`${S}from C[symbol == T.symbol in T] insert into O;`).message)
      .toContain("table 'T' is not defined");
  });
});
