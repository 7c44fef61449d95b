// The `regex:` namespace (siddhi-execution-regex): find, group, lookingAt and
// matches on java.util.regex patterns (see java-regex.ts for what JavaScript
// cannot express). The regex comes first; a null regex is an error, a null
// input gives false (group: an error).

import type { FunctionKind } from '../function-kind.js';
import { FunctionUsageError } from '../function-kind.js';
import { INT, STRING, constantOf, defineFunction, failFunction } from './define-function.js';
import { type Anchor, compileJavaRegex } from './java-regex.js';
import type { CompiledExpression } from '../../expression.js';

/** The pattern of argument 0: compiled once when constant (errors at plan time), per call otherwise. */
function patternOf(name: string, arg: CompiledExpression, anchor: Anchor, global = false): (text: string) => RegExp {
  const compile = (p: string, planning: boolean): RegExp => {
    try {
      return compileJavaRegex(p, anchor, global);
    } catch (e) {
      const message = `invalid regular expression '${p}': ${(e as Error).message}`;
      if (planning) throw new FunctionUsageError(`${name}(): ${message}`);
      return failFunction(name, message);
    }
  };
  const c = constantOf(arg);
  if (typeof c === 'string') {
    const re = compile(c, true);
    return () => re;
  }
  return (p) => compile(p, false);
}

function predicate(name: string, anchor: Anchor): FunctionKind {
  return defineFunction({
    name,
    params: [['regex', STRING], ['input.sequence', STRING]],
    returns: 'bool',
    nulls: 'pass',
    make: (args) => {
      const re = patternOf(name, args[0]!, anchor);
      return ([regex, input]) => {
        if (regex === null) failFunction(name, 'First argument cannot be null');
        if (input === null) return false;
        return re(regex as string).test(input as string);
      };
    },
  });
}

export const REGEX_FUNCTIONS: readonly FunctionKind[] = [
  defineFunction({
    name: 'regex:find',
    params: [['regex', STRING], ['input.sequence', STRING], ['starting.index', INT]],
    optional: 1,
    returns: 'bool',
    nulls: 'pass',
    make: (args) => {
      const re = patternOf('regex:find', args[0]!, 'find', true);
      return (vs) => {
        if (vs[0] === null) failFunction('regex:find', 'First argument cannot be null');
        if (vs[1] === null || (vs.length > 2 && vs[2] === null)) return false;
        const input = vs[1] as string;
        const start = vs.length > 2 ? (vs[2] as number) : 0;
        if (start < 0 || start > input.length) failFunction('regex:find', `starting index ${start} is outside the input`);
        const pattern = re(vs[0] as string);
        pattern.lastIndex = start;
        return pattern.exec(input) !== null;
      };
    },
  }),
  defineFunction({
    name: 'regex:group',
    params: [['regex', STRING], ['input.sequence', STRING], ['group.id', INT]],
    returns: 'string',
    nulls: 'pass',
    make: (args) => {
      const re = patternOf('regex:group', args[0]!, 'find');
      return (vs) => {
        const ord = ['First', 'Second', 'Third'];
        vs.forEach((v, i) => {
          if (v === null) failFunction('regex:group', `${ord[i]} argument cannot be null`);
        });
        const m = re(vs[0] as string).exec(vs[1] as string);
        const id = vs[2] as number;
        // No match, or a group the pattern does not have: null rather than an error.
        return m && id >= 0 && id < m.length ? (m[id] ?? null) : null;
      };
    },
  }),
  predicate('regex:lookingAt', 'lookingAt'),
  predicate('regex:matches', 'matches'),
];
