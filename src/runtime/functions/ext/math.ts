// The `math:` namespace (siddhi-execution-math): java.lang.Math wrappers,
// base conversions and parsing. A null argument gives null, as in the reference;
// most results are double whatever the numeric argument type.

import type { AttributeType } from '../../../ast/index.js';
import { parseAs } from '../../values.js';
import type { FunctionKind } from '../function-kind.js';
import { FunctionUsageError } from '../function-kind.js';
import { DECIMAL, INT, INTEGRAL, NUMBER, STRING, defineFunction, failFunction } from './define-function.js';
import { createJavaRandom } from './java-random.js';

function double1(name: string, fn: (x: number) => number, types = NUMBER): FunctionKind {
  return defineFunction({ name, params: [['p1', types]], returns: 'double', compute: ([x]) => fn(x as number) });
}

function double2(name: string, fn: (a: number, b: number) => number, names: [string, string] = ['p1', 'p2']): FunctionKind {
  return defineFunction({
    name,
    params: [[names[0], NUMBER], [names[1], NUMBER]],
    returns: 'double',
    compute: ([a, b]) => fn(a as number, b as number),
  });
}

/** Java's Integer/Long.toXxxString: unsigned two's complement for negatives. */
function unsignedString(v: number, type: AttributeType, radix: number): string {
  if (v >= 0) return v.toString(radix);
  const bits = type === 'int' ? 32n : 64n;
  return ((1n << bits) + BigInt(v)).toString(radix);
}

function parser(name: string, type: AttributeType, what: string): FunctionKind {
  return defineFunction({
    name,
    params: [['p1', STRING]],
    returns: type,
    compute: ([s]) => {
      const v = parseAs(type === 'int' || type === 'long' ? (s as string) : (s as string).trim(), type);
      if (v === null || (type !== 'float' && type !== 'double' && (s as string) !== (s as string).trim())) {
        failFunction(name, `For input string: "${String(s)}" (not ${what})`);
      }
      return v;
    },
  });
}

export const MATH_FUNCTIONS: readonly FunctionKind[] = [
  double1('math:abs', Math.abs),
  double1('math:acos', Math.acos, DECIMAL),
  double1('math:asin', Math.asin, DECIMAL),
  defineFunction({
    name: 'math:atan',
    params: [['p1', NUMBER], ['p2', NUMBER]],
    optional: 1,
    returns: 'double',
    compute: (vs) => (vs.length === 2 ? Math.atan2(vs[0] as number, vs[1] as number) : Math.atan(vs[0] as number)),
  }),
  defineFunction({
    name: 'math:bin',
    params: [['p1', INTEGRAL]],
    returns: 'string',
    make: (args) => (vs) => unsignedString(vs[0] as number, args[0]!.type, 2),
  }),
  double1('math:cbrt', Math.cbrt),
  double1('math:ceil', Math.ceil, DECIMAL),
  defineFunction({
    name: 'math:conv',
    params: [['a', STRING], ['from.base', INT], ['to.base', INT]],
    returns: 'string',
    compute: ([a, from, to]) => {
      const text = a as string;
      const n = Number.parseInt(text, from as number);
      if (Number.isNaN(n) || !isDigits(text, from as number) || n > 2147483647 || n < -2147483648) {
        failFunction('math:conv', `For input string: "${text}" under radix ${String(from)}`);
      }
      return n.toString(to as number);
    },
  }),
  double2('math:copySign', (m, s) => (Object.is(Math.sign(s), -0) || s < 0 ? -Math.abs(m) : Math.abs(m)), ['magnitude', 'sign']),
  double1('math:cos', Math.cos),
  double1('math:cosh', Math.cosh),
  defineFunction({ name: 'math:e', params: [], returns: 'double', compute: () => Math.E }),
  double1('math:exp', Math.exp),
  double1('math:floor', Math.floor),
  defineFunction({ name: 'math:getExponent', params: [['p1', NUMBER]], returns: 'int', compute: ([x]) => getExponent(x as number) }),
  defineFunction({
    name: 'math:hex',
    params: [['p1', NUMBER]],
    returns: 'string',
    make: (args) => {
      const t = args[0]!.type;
      if (t === 'int' || t === 'long') return (vs) => unsignedString(vs[0] as number, t, 16);
      return (vs) => javaDoubleHex(vs[0] as number);
    },
  }),
  // A null argument gives false here, not null.
  defineFunction({ name: 'math:isInfinite', params: [['p1', DECIMAL]], returns: 'bool', nulls: 'pass', compute: ([x]) => x === Infinity || x === -Infinity }),
  defineFunction({ name: 'math:isNan', params: [['p1', DECIMAL]], returns: 'bool', nulls: 'pass', compute: ([x]) => Number.isNaN(x) }),
  double1('math:ln', Math.log),
  defineFunction({
    name: 'math:log',
    params: [['number', NUMBER], ['base', NUMBER]],
    returns: 'double',
    compute: ([n, b]) => {
      if (b === 1) failFunction('math:log', 'the logarithm to the base 1 is undefined');
      return Math.log(n as number) / Math.log(b as number);
    },
  }),
  double1('math:log10', Math.log10),
  double1('math:log2', (x) => Math.log(x) / Math.log(2)),
  double2('math:max', Math.max),
  double2('math:min', Math.min),
  defineFunction({
    name: 'math:oct',
    params: [['p1', INTEGRAL]],
    returns: 'string',
    make: (args) => (vs) => unsignedString(vs[0] as number, args[0]!.type, 8),
  }),
  parser('math:parseDouble', 'double', 'a double'),
  parser('math:parseFloat', 'float', 'a float'),
  parser('math:parseInt', 'int', 'an int'),
  parser('math:parseLong', 'long', 'a long'),
  defineFunction({ name: 'math:pi', params: [], returns: 'double', compute: () => Math.PI }),
  double2('math:power', Math.pow, ['value', 'to.power']),
  defineFunction({
    name: 'math:rand',
    params: [['seed', INTEGRAL]],
    optional: 1,
    returns: 'double',
    pure: false,
    keepsState: true,
    make: (args) => {
      const seed = args[0];
      if (seed && !seed.constant) throw new FunctionUsageError('math:rand() needs a constant seed');
      const random = createJavaRandom(seed ? Number(seed.constant!.value) : undefined);
      return () => random.nextDouble();
    },
  }),
  defineFunction({
    name: 'math:round',
    params: [['p1', DECIMAL]],
    returns: (types) => (types[0] === 'float' ? 'int' : 'long'),
    compute: ([x]) => javaRound(x as number),
  }),
  defineFunction({ name: 'math:signum', params: [['p1', NUMBER]], returns: 'int', compute: ([x]) => Math.sign(x as number) | 0 }),
  double1('math:sin', Math.sin),
  double1('math:sinh', Math.sinh),
  double1('math:sqrt', Math.sqrt),
  double1('math:tan', Math.tan),
  double1('math:tanh', Math.tanh),
  double1('math:toDegrees', (x) => (x * 180) / Math.PI),
  double1('math:toRadians', (x) => (x / 180) * Math.PI),
];

/** Java's Math.round: floor(x + 0.5), NaN → 0. */
function javaRound(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.floor(x + 0.5);
}

function isDigits(text: string, radix: number): boolean {
  const body = text.replace(/^[+-]/, '');
  if (body === '') return false;
  for (const c of body.toLowerCase()) {
    const d = Number.parseInt(c, 36);
    if (Number.isNaN(d) || d >= radix) return false;
  }
  return true;
}

/** Java's Math.getExponent(double): the unbiased binary exponent. */
function getExponent(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return ((view.getUint16(0) >> 4) & 0x7ff) - 1023;
}

/** Java's Double.toHexString, e.g. 1.0 → "0x1.0p0". */
function javaDoubleHex(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0x0.0p0`;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = (bits & 0xfffffffffffffn).toString(16).padStart(13, '0').replace(/0+$/, '');
  if (mant === '') mant = '0';
  return exp === 0 ? `${sign}0x0.${mant}p-1022` : `${sign}0x1.${mant}p${exp - 1023}`;
}
