// Syntax errors (collected, located, hinted) and the shared error types of src/errors.ts.

import { describe, expect, it } from 'vitest';
import {
  formatSourceExcerpt,
  SiddhiError,
  SiddhiEventError,
  SiddhiParseError,
  SiddhiPlanError,
  SiddhiRuntimeError,
  SiddhiStateError,
} from '../../src/errors.js';
import { parseApp, parseExpression } from '../../src/parser/index.js';

function parseError(text: string): SiddhiParseError {
  try {
    parseApp(text);
  } catch (error) {
    if (error instanceof SiddhiParseError) return error;
    throw error;
  }
  throw new Error('expected a SiddhiParseError');
}

describe('syntax errors', () => {
  it('asks for events or a time unit after a bare count in output rates', () => {
    const error = parseError('define stream S (a int);\nfrom S select a output last every 100 insert into O;');
    expect(error.problems[0]!.message).toBe("expected 'events' or a time unit after '100'");
    expect(error.problems[0]!.hint).toContain("'every 100 events'");
  });

  it('reports every broken element at once, each with line, column and a caret excerpt', () => {
    const error = parseError(
      ['define stream A (a int);', 'from A[a > ] select a insert into B;', 'from A select a insert into C;', 'define stream Q (x strin);'].join('\n'),
    );
    expect(error.code).toBe('PARSE');
    expect(error.problems.map((p) => [p.line, p.column, p.offendingText])).toEqual([
      [2, 12, ']'],
      [4, 20, 'strin'],
    ]);
    expect(error.problems[0]!.expected).toBe('an expression');
    expect(error.line).toBe(2);
    expect(error.column).toBe(12);
    expect(error.message).toContain('2 syntax errors');
    expect(error.message).toContain('  2 | from A[a > ] select a insert into B;\n    |            ^');
    expect(error.message).toContain("did you mean 'string'?");
  });

  it('hints at a missing semicolon between elements', () => {
    const error = parseError('define stream A (a int)\ndefine stream B (b int);\nfrom A select a insert into B;');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: 2, column: 1, offendingText: 'define', expected: "';'" });
    expect(error.problems[0]!.hint).toMatch(/missing ';'/);
  });

  it('hints at a missing semicolon between queries of a partition', () => {
    const error = parseError('partition with (a of A) begin from A insert into B from A insert into C end');
    expect(error.problems[0]).toMatchObject({ offendingText: 'from', expected: "'end'" });
    expect(error.problems[0]!.hint).toMatch(/missing ';'/);
  });

  it('suggests the keyword a misspelt word was meant to be', () => {
    expect(parseError('define stream A (a int);\nform A select a insert into B').problems[0]!.hint).toMatch(/did you mean 'from'/);
    expect(parseError('from A selct a insert into B').problems[0]!.hint).toMatch(/did you mean 'select'/);
    expect(parseError('from A select a insert intoo B').problems[0]!.hint).toMatch(/did you mean 'into'/);
  });

  it('points out a keyword that was read as a name', () => {
    const error = parseError('from e1=S -> select a insert into T');
    expect(error.problems[0]!.hint).toMatch(/'select' was read as a name/);
  });

  it('explains that absent elements take no reference', () => {
    const error = parseError('from e1=A -> not e2=B[x > 1] for 1 sec select * insert into O');
    expect(error.problems[0]).toMatchObject({ offendingText: '=' });
    expect(error.problems[0]!.hint).toMatch(/absent element/);
  });

  it('reports the end of input', () => {
    const error = parseError('from A select a insert into');
    expect(error.problems[0]).toMatchObject({ line: 1, column: 28, offendingText: '', expected: 'a name' });
    expect(error.message).toContain('found end of input');
  });

  it('reports lexer errors', () => {
    const error = parseError("define stream A (a int);\nfrom A select a $ insert into B;\nfrom A select 'abc insert into C;");
    expect(error.problems.map((p) => [p.line, p.column, p.offendingText])).toEqual([
      [2, 17, '$'],
      [3, 15, "'"],
    ]);
    expect(error.problems[1]!.hint).toMatch(/unterminated string/);
  });

  it('reports problems the grammar cannot express', () => {
    expect(parseError('from e1=A -> e2=B, e3=C select * insert into O').problems[0]!.message).toMatch(/mixes '->'/);
    expect(parseError('from A unidirectional join B unidirectional select * insert into O').problems[0]!.message).toMatch(
      /only one side/,
    );
    expect(parseError('from A unidirectional select * insert into O').problems[0]!.message).toMatch(/only allowed in a join/);
    expect(parseError('from e1=A+ -> e2=B select * insert into O').problems[0]!.message).toMatch(/sequence operator/);
    expect(parseError('from e1=A<5:2> -> e2=B select * insert into O').problems[0]!.message).toMatch(/below the minimum/);
    expect(parseError('from A select 3000000000 as x insert into O').problems[0]!.hint).toMatch(/3000000000L/);
  });

  it('takes -2147483648 as an int but refuses 2147483648 without the minus (it would wrap), where it stands', () => {
    expect(parseApp('define stream A (a int); from A select -2147483648 as x, a - -2147483648 as y insert into O;').elements).toHaveLength(2);
    for (const [expr, column] of [['2147483648', 15], ['a - 2147483648', 19], ['-(2147483648)', 17], ['2 * 2147483648 + 1', 19]] as const) {
      const [problem] = parseError(`from A select ${expr} as x insert into O`).problems;
      expect(problem).toMatchObject({ message: 'integer literal 2147483648 does not fit an int', line: 1, column });
      expect(problem!.hint).toMatch(/2147483648L/);
    }
  });

  it('rejects trailing input after an expression', () => {
    expect(() => parseExpression('a b')).toThrow(SiddhiParseError);
  });
});

describe('error types', () => {
  it('carry a code per layer and optional location and hint', () => {
    const plan = new SiddhiPlanError("unknown window 'lenght'", { element: "query 'q1'", line: 3, column: 18, hint: 'length' });
    expect(plan).toBeInstanceOf(SiddhiError);
    expect([plan.code, plan.element, plan.line, plan.column, plan.hint, plan.name]).toEqual([
      'PLAN',
      "query 'q1'",
      3,
      18,
      'length',
      'SiddhiPlanError',
    ]);
    expect(new SiddhiRuntimeError('x').code).toBe('RUNTIME');
    const event = new SiddhiEventError('bad', { stream: 'S', attribute: 'a' });
    expect([event.code, event.stream, event.attribute]).toEqual(['EVENT', 'S', 'a']);
    expect(new SiddhiStateError('corrupt', { cell: 'q/1:length' }).code).toBe('STATE');
    expect(new SiddhiParseError('x').problems).toEqual([]);
  });

  it('formats a source excerpt with a caret under the column', () => {
    expect(formatSourceExcerpt('a\nfrom S select x\nc', 2, 6)).toBe('  2 | from S select x\n    |      ^');
    expect(formatSourceExcerpt('\tfrom S', 1, 2)).toBe('  1 | \tfrom S\n    | \t^');
    expect(formatSourceExcerpt('abc', 5, 1)).toBe('  5 | \n    | ^');
  });
});
