// The `str:` namespace (siddhi-execution-string): string functions with the
// reference's argument types, result types and null rules (where the
// reference throws on a null argument, so does this, as a runtime error).

import type { AttributeType } from '../../../ast/index.js';
import { formatValue } from '../../values.js';
import type { FunctionKind } from '../function-kind.js';
import { FunctionUsageError, isNullConstant } from '../function-kind.js';
import { ANY, INT, OBJECT, PRIMITIVE, STRING, constantOf, defineFunction, failFunction } from './define-function.js';
import { compileJavaRegex, javaReplacement, javaSplit } from './java-regex.js';

const ORDINAL = ['First', 'Second', 'Third', 'Fourth'];

/** The reference refuses null for these arguments: "Invalid input given to str:x() function. First argument cannot be null". */
function notNull(name: string, values: unknown[], count = values.length): void {
  for (let i = 0; i < count; i++) {
    if (values[i] === null) failFunction(name, `${ORDINAL[i] ?? `Argument ${i + 1}`} argument cannot be null`);
  }
}

/** A regex argument: compiled once when constant, per call otherwise. */
function regexAt(name: string, arg: { constant?: { value: unknown } } | undefined, anchor: 'find' | 'matches', global = false): (v: string) => RegExp {
  const c = constantOf(arg as never);
  const compile = (p: string): RegExp => {
    try {
      return compileJavaRegex(p, anchor, global);
    } catch (e) {
      throw new FunctionUsageError(`${name}(): invalid regular expression '${p}': ${(e as Error).message}`);
    }
  };
  if (typeof c === 'string') {
    const re = compile(c);
    return () => re;
  }
  return (p) => compile(p);
}

function unary(name: string, fn: (s: string) => unknown, returns: AttributeType = 'string'): FunctionKind {
  return defineFunction({
    name,
    params: [['input.string', STRING]],
    returns,
    nulls: 'pass',
    compute: ([s]) => {
      if (s === null) failFunction(name, 'The argument cannot be null');
      return fn(s as string);
    },
  });
}

const javaHash = (s: string): string => {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16);
  return out;
};

export const STR_FUNCTIONS: readonly FunctionKind[] = [
  defineFunction({
    name: 'str:concat',
    params: [['arg', PRIMITIVE]],
    repeat: { min: 2 },
    returns: 'string',
    nulls: 'pass',
    make: (args) => {
      const types = args.map((a) => a.type);
      return (vs) => vs.map((v, i) => (v === null ? '' : formatValue(v, types[i]!))).join('');
    },
  }),
  defineFunction({
    name: 'str:contains',
    params: [['input.string', STRING], ['search.string', STRING]],
    returns: 'bool',
    nulls: 'pass',
    compute: ([s, q]) => {
      if (s === null) return false;
      if (q === null) failFunction('str:contains', 'Second argument cannot be null');
      return (s as string).includes(q as string);
    },
  }),
  defineFunction({
    name: 'str:equalsIgnoreCase',
    params: [['arg1', STRING], ['arg2', STRING]],
    returns: 'bool',
    nulls: 'pass',
    compute: ([a, b]) => {
      if (a === null) failFunction('str:equalsIgnoreCase', 'First argument cannot be null');
      return b !== null && (a as string).toUpperCase().toLowerCase() === (b as string).toUpperCase().toLowerCase();
    },
  }),
  unary('str:length', (s) => s.length, 'int'),
  unary('str:lower', (s) => s.toLowerCase()),
  unary('str:upper', (s) => s.toUpperCase()),
  unary('str:trim', (s) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '')),
  unary('str:reverse', (s) => Array.from(s).reverse().join('')),
  unary('str:hex', javaHash),
  unary('str:unhex', (s) => {
    let out = '';
    for (let i = 0; i < s.length; i += 2) {
      const pair = s.slice(i, i + 2);
      const code = Number.parseInt(pair, 16);
      if (pair.length < 2 || !/^[0-9a-fA-F]{2}$/.test(pair)) failFunction('str:unhex', `'${s}' is not a hexadecimal string`);
      out += String.fromCodePoint(code);
    }
    return out;
  }),
  defineFunction({
    name: 'str:replaceAll',
    params: [['input.string', STRING], ['regex', STRING], ['replacement.string', STRING]],
    returns: 'string',
    nulls: 'pass',
    make: (args) => {
      const re = regexAt('str:replaceAll', args[1], 'find', true);
      return (vs) => {
        notNull('str:replaceAll', vs);
        return (vs[0] as string).replace(re(vs[1] as string), javaReplacement(vs[2] as string));
      };
    },
  }),
  defineFunction({
    name: 'str:replaceFirst',
    params: [['input.string', STRING], ['regex', STRING], ['replacement.string', STRING]],
    returns: 'string',
    nulls: 'pass',
    make: (args) => {
      const re = regexAt('str:replaceFirst', args[1], 'find');
      return (vs) => {
        notNull('str:replaceFirst', vs);
        return (vs[0] as string).replace(re(vs[1] as string), javaReplacement(vs[2] as string));
      };
    },
  }),
  defineFunction({
    name: 'str:regexp',
    params: [['input.string', STRING], ['regex', STRING]],
    returns: 'bool',
    nulls: 'pass',
    make: (args) => {
      const re = regexAt('str:regexp', args[1], 'matches');
      return (vs) => {
        notNull('str:regexp', vs);
        return re(vs[1] as string).test(vs[0] as string);
      };
    },
  }),
  defineFunction({
    name: 'str:split',
    params: [['input.string', STRING], ['split.string', STRING], ['group.number', INT]],
    returns: 'string',
    nulls: 'pass',
    compute: (vs) => {
      notNull('str:split', vs);
      const parts = javaSplit(vs[0] as string, vs[1] as string);
      const i = vs[2] as number;
      if (i < 0 || i >= parts.length) {
        failFunction('str:split', `Index argument ${i} is negative or not less than the length of the given string ${String(vs[0])}`);
      }
      return parts[i];
    },
  }),
  defineFunction({
    name: 'str:substr',
    params: [['input.string', STRING], ['begin.index|regex', ['int', 'string']], ['length|group.number', INT]],
    optional: 1,
    returns: 'string',
    nulls: 'pass',
    signature: 'str:substr(input.string string, begin.index int [, length int]) | str:substr(input.string string, regex string [, group.number int]) → string',
    make: (args) => {
      if (args[1]!.type === 'string') {
        const re = regexAt('str:substr', args[1], 'find');
        return (vs) => {
          notNull('str:substr', vs);
          const m = re(vs[1] as string).exec(vs[0] as string);
          return m ? (m[vs.length > 2 ? (vs[2] as number) : 0] ?? null) : '';
        };
      }
      return (vs) => {
        notNull('str:substr', vs);
        const s = vs[0] as string;
        const begin = vs[1] as number;
        const end = vs.length > 2 ? begin + (vs[2] as number) : s.length;
        if (begin < 0 || end > s.length || begin > end) failFunction('str:substr', `begin ${begin}, end ${end}, length ${s.length}`);
        return s.slice(begin, end);
      };
    },
  }),
  defineFunction({
    name: 'str:strcmp',
    params: [['arg1', STRING], ['arg2', STRING]],
    returns: 'int',
    nulls: 'pass',
    compute: (vs) => {
      notNull('str:strcmp', vs);
      return javaCompareTo(vs[0] as string, vs[1] as string);
    },
  }),
  defineFunction({
    name: 'str:repeat',
    params: [['input.string', STRING], ['times', INT]],
    returns: 'string',
    nulls: 'pass',
    compute: (vs) => {
      notNull('str:repeat', vs);
      return (vs[0] as string).repeat(Math.max(0, vs[1] as number));
    },
  }),
  defineFunction({
    name: 'str:coalesce',
    params: [['arg', ANY]],
    repeat: { min: 1 },
    returns: (types, args) => {
      // A null literal fits any type: str:coalesce(null, "BBB", "CCC") is a string.
      const typed = types.filter((_, i) => !isNullConstant(args[i]!));
      if (typed.some((t) => t !== typed[0])) {
        throw new FunctionUsageError(`str:coalesce() needs arguments of one type, got ${types.join(', ')}`);
      }
      return typed[0] ?? types[0]!;
    },
    nulls: 'pass',
    compute: (vs) => vs.find((v) => v !== null) ?? null,
  }),
  defineFunction({
    name: 'str:charAt',
    params: [['input.value', STRING], ['index', INT]],
    returns: 'string',
    nulls: 'pass',
    compute: (vs) => {
      notNull('str:charAt', vs);
      const s = vs[0] as string, i = vs[1] as number;
      if (i < 0 || i >= s.length) failFunction('str:charAt', `Index argument ${i} is negative or not less than the length of the given string ${s}`);
      return s[i];
    },
  }),
  defineFunction({
    name: 'str:charFrequency',
    params: [['input.string', STRING], ['char', STRING]],
    returns: 'long',
    nulls: 'pass',
    compute: (vs) => {
      notNull('str:charFrequency', vs);
      const c = vs[1] as string;
      if (c.length !== 1) failFunction('str:charFrequency', `\`char\` parameter is expected to be a character, found '${c}'.`);
      let n = 0;
      for (const ch of vs[0] as string) if (ch === c) n++;
      return n;
    },
  }),
  defineFunction({
    name: 'str:locate',
    params: [['string.to.search.for', STRING], ['string.to.search.in', STRING], ['searching.start.position', INT]],
    optional: 1,
    returns: 'int',
    nulls: 'pass',
    compute: (vs) => {
      notNull('str:locate', vs, 2);
      const start = vs.length > 2 ? ((vs[2] as number | null) ?? 0) : 0;
      const hay = vs[1] as string;
      if (start < 0 || start > hay.length) failFunction('str:locate', `start position ${start} is outside the string`);
      // The reference's tests expect -1 when not found, also with a start position.
      const at = hay.slice(start).indexOf(vs[0] as string);
      return at < 0 ? -1 : at + start;
    },
  }),
  defineFunction({
    name: 'str:fillTemplate',
    params: [['template', STRING], ['replacement', [...PRIMITIVE, ...OBJECT]]],
    repeat: { min: 2 },
    returns: 'string',
    nulls: 'pass',
    make: (args) => {
      if (args[1]!.type === 'object' && args.length > 2) {
        throw new FunctionUsageError('str:fillTemplate() takes (template string, map object) or (template string, value, …)');
      }
      const types = args.map((a) => a.type);
      return (vs) => fillTemplate(vs, types);
    },
  }),
];

/** Java's String.compareTo: the difference of the first differing UTF-16 units, else of the lengths. */
function javaCompareTo(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function fillTemplate(vs: unknown[], types: readonly AttributeType[]): string | null {
  const template = vs[0];
  if (template === null) return null;
  const parts = javaSplit(template as string, '\\{\\{|}}');
  const map = vs[1];
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!.trim();
    if (types[1] === 'object') {
      const v = map instanceof Map ? map.get(key) : map !== null && typeof map === 'object' ? (map as Record<string, unknown>)[key] : undefined;
      if (v !== null && v !== undefined) parts[i] = String(v);
    } else {
      const index = Number.parseInt(key, 10);
      if (!Number.isInteger(index) || String(index) !== key) failFunction('str:fillTemplate', `'{{${key}}}' is not a number`);
      const v = vs[index];
      if (index >= vs.length) failFunction('str:fillTemplate', `no argument for {{${index}}}`);
      if (v !== null && v !== undefined) parts[i] = formatValue(v, types[index]!);
    }
  }
  return parts.join('');
}
