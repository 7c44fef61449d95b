// The source form of compiled expressions (CompiledExpression.js, inlined by
// the generated kernels) computes what the closure computes, nulls included.

import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/parser/index.js';
import { compileExpression } from '../../src/plan/compile-expression.js';
import { createStreamScope } from '../../src/plan/stream-scope.js';
import { CURRENT, StreamEvent } from '../../src/runtime/event.js';
import { StreamSchema } from '../../src/runtime/schema.js';

const schema = new StreamSchema('S', [
  { name: 'i', type: 'int' }, { name: 'l', type: 'long' }, { name: 'd', type: 'double' },
  { name: 's', type: 'string' }, { name: 'b', type: 'bool' }, { name: 'c', type: 'bool' },
]);
const scope = createStreamScope({ element: 'test', schema, names: ['S'] });

const EXPRESSIONS = [
  'i', 's', 'i > 5', 'i >= d', 'l < 3', 'd <= 2.5', '5 < i', 'i == l', 'i != 4', 's == "x"', 's != "x"', 's == s',
  'b == c', 'b != true', 'b and c', 'b or i > 2', 'not b', 'not (i > 2 and s == "y")', 'd > -1.5',
  '"d[1]" == s', 'true', `'a"b'`, '2.5', '-3',
];

const VALUES: readonly (readonly unknown[])[] = [
  [null, 0, 5, 7], [null, 2, 3], [null, 2.5, 0, -1.5], [null, 'x', 'y', 'd[1]'], [null, true, false], [null, true, false],
];

/** Every combination of a few values per attribute (nulls included), in a fixed order. */
function* rows(): Generator<unknown[]> {
  const at = VALUES.map(() => 0);
  for (;;) {
    yield at.map((k, i) => VALUES[i]![k]);
    let i = 0;
    while (i < at.length && ++at[i]! === VALUES[i]!.length) at[i++] = 0;
    if (i === at.length) return;
  }
}

describe('compiled expression source', () => {
  it('has a source for attributes, literals, comparisons and logic, equal to the closure on every row', () => {
    for (const text of EXPRESSIONS) {
      const compiled = compileExpression(parseExpression(text), scope);
      expect(compiled.js, text).toBeDefined();
      const fromSource = new Function('d', `return ${compiled.js};`) as (d: unknown[]) => unknown;
      // Compared as toBe does (Object.is), one expect() over the 1,728 rows instead of one a row.
      const differ: string[] = [];
      for (const data of rows()) {
        const [source, closure] = [fromSource(data), compiled.evaluate(new StreamEvent(0, data, CURRENT))];
        if (!Object.is(source, closure)) differ.push(`${text} on ${JSON.stringify(data)}: source ${String(source)}, closure ${String(closure)}`);
      }
      expect(differ).toEqual([]);
    }
  });

  it('leaves arithmetic and function calls to the closures', () => {
    for (const text of ['i + 1', 'd * 2 > 3', 'str:length(s) > 1', 'ifThenElse(b, 1, 2)']) {
      expect(compileExpression(parseExpression(text), scope).js, text).toBeUndefined();
    }
  });
});
