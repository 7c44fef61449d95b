// cast, convert and the instanceOf family: type inspection and conversion.

import type { AttributeType } from '../../ast/index.js';
import { ATTRIBUTE_TYPES } from '../../ast/index.js';
import { formatValue, parseAs } from '../values.js';
import type { FunctionKind } from './function-kind.js';
import { expectArity, expectConstantString, FunctionUsageError } from './function-kind.js';

function expectTypeName(kind: FunctionKind, name: string): AttributeType {
  const t = name.toLowerCase() === 'boolean' ? 'bool' : (name.toLowerCase() as AttributeType);
  if (!ATTRIBUTE_TYPES.includes(t)) {
    throw new FunctionUsageError(`${kind.name}() cannot target type '${name}'; types: ${ATTRIBUTE_TYPES.join(', ')}`);
  }
  return t;
}

export const cast: FunctionKind = {
  name: 'cast',
  signature: "cast(value, 'type') → type",
  pure: true,
  plan(args) {
    expectArity(this, args, 2);
    const type = expectTypeName(this, expectConstantString(this, args[1]!, 'the target type'));
    // Only the declared type changes, as in the reference.
    return { type, evaluate: args[0]!.evaluate };
  },
};

function clampInt(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(x)));
}

/** Converts one value known to be of `from` into `to`, Java-style. */
export function convertValue(v: unknown, from: AttributeType, to: AttributeType): unknown {
  if (v === null || v === undefined) return null;
  if (to === 'string') return formatValue(v, from);
  if (to === 'object') return v;
  if (typeof v === 'string') return parseAs(v, to);
  if (typeof v === 'boolean') {
    if (to === 'bool') return v;
    return v ? 1 : 0;
  }
  if (typeof v === 'number') {
    switch (to) {
      case 'bool':
        return v === 1;
      case 'int':
        return clampInt(v);
      case 'long':
        return Number.isNaN(v) ? 0 : Math.trunc(v);
      case 'float':
        return Math.fround(v);
      case 'double':
        return v;
    }
  }
  return null;
}

export const convert: FunctionKind = {
  name: 'convert',
  signature: "convert(value, 'string'|'int'|'long'|'float'|'double'|'bool') → that type",
  pure: true,
  plan(args) {
    expectArity(this, args, 2);
    const to = expectTypeName(this, expectConstantString(this, args[1]!, 'the target type'));
    const from = args[0]!.type;
    if (from === 'object' && to !== 'string' && to !== 'object') {
      throw new FunctionUsageError(`convert() turns an object only into a string, not ${to}; usage: ${this.signature}`);
    }
    const ev = args[0]!.evaluate;
    return { type: to, evaluate: (row) => convertValue(ev(row), from, to) };
  },
};

function instanceOf(name: string, test: (v: unknown, declared: AttributeType) => boolean): FunctionKind {
  return {
    name,
    signature: `${name}(value) → bool`,
    pure: true,
    plan(args) {
      expectArity(this, args, 1);
      const declared = args[0]!.type;
      const ev = args[0]!.evaluate;
      return {
        type: 'bool',
        evaluate: (row) => {
          const v = ev(row);
          return v !== null && v !== undefined && test(v, declared);
        },
      };
    },
  };
}

const isWhole = (v: unknown) => typeof v === 'number' && Number.isInteger(v);

// With an `object` attribute the JS value is all there is; integral numbers count as Integer/Long.
export const instanceOfFunctions: FunctionKind[] = [
  instanceOf('instanceOfBoolean', (v, t) => (t === 'object' ? typeof v === 'boolean' : t === 'bool')),
  instanceOf('instanceOfString', (v, t) => (t === 'object' ? typeof v === 'string' : t === 'string')),
  instanceOf('instanceOfInteger', (v, t) => (t === 'object' ? isWhole(v) : t === 'int')),
  instanceOf('instanceOfLong', (v, t) => (t === 'object' ? isWhole(v) : t === 'long')),
  instanceOf('instanceOfFloat', (v, t) => (t === 'object' ? typeof v === 'number' && !isWhole(v) : t === 'float')),
  instanceOf('instanceOfDouble', (v, t) => (t === 'object' ? typeof v === 'number' && !isWhole(v) : t === 'double')),
];
