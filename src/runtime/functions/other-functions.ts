// maximum/minimum across arguments, sets, and clock/identity functions.

import { randomUUID } from 'node:crypto';
import { isNumericType } from '../values.js';
import type { FunctionKind } from './function-kind.js';
import { expectArity, expectSameTypes, FunctionUsageError } from './function-kind.js';

function extremum(name: string, better: (a: number, b: number) => boolean): FunctionKind {
  return {
    name,
    signature: `${name}(a T, b T, …) → T (numeric)`,
    pure: true,
    plan(args) {
      expectArity(this, args, 1, Infinity);
      const type = expectSameTypes(this, args);
      if (!isNumericType(type)) throw new FunctionUsageError(`${name}() needs numeric arguments, got ${type}`);
      const evs = args.map((a) => a.evaluate);
      return {
        type,
        evaluate: (row) => {
          let best: number | null = null;
          for (let i = 0; i < evs.length; i++) {
            const v = evs[i]!(row) as number | null;
            if (v === null || v === undefined) continue;
            if (best === null || better(v, best)) best = v;
          }
          return best;
        },
      };
    },
  };
}

export const maximum = extremum('maximum', (a, b) => a > b);
export const minimum = extremum('minimum', (a, b) => a < b);

export const createSet: FunctionKind = {
  name: 'createSet',
  signature: 'createSet(value) → object (a Set)',
  pure: false,
  plan(args) {
    expectArity(this, args, 1);
    // The reference only collects primitive values into a set.
    if (args[0]!.type === 'object') throw new FunctionUsageError(`createSet() needs a primitive argument, got object; usage: ${this.signature}`);
    const ev = args[0]!.evaluate;
    return { type: 'object', evaluate: (row) => new Set([ev(row)]) };
  },
};

export const sizeOfSet: FunctionKind = {
  name: 'sizeOfSet',
  signature: 'sizeOfSet(set object) → int',
  pure: true,
  plan(args) {
    expectArity(this, args, 1);
    if (args[0]!.type !== 'object') throw new FunctionUsageError(`sizeOfSet() needs a set (object), got ${args[0]!.type}; usage: ${this.signature}`);
    const ev = args[0]!.evaluate;
    return {
      type: 'int',
      evaluate: (row) => {
        const s = ev(row);
        return s instanceof Set ? s.size : 0;
      },
    };
  },
};

export const uuid: FunctionKind = {
  name: 'UUID',
  signature: 'UUID() → string',
  pure: false,
  plan(args) {
    expectArity(this, args, 0);
    return { type: 'string', evaluate: () => randomUUID() };
  },
};

export const currentTimeMillis: FunctionKind = {
  name: 'currentTimeMillis',
  signature: 'currentTimeMillis() → long',
  pure: false,
  readsClock: true,
  plan(args, ctx) {
    expectArity(this, args, 0);
    return { type: 'long', evaluate: () => ctx.now() };
  },
};

export const eventTimestamp: FunctionKind = {
  name: 'eventTimestamp',
  signature: 'eventTimestamp([event object]) → long',
  pure: false,
  plan(args) {
    expectArity(this, args, 0, 1);
    if (args.length === 0) return { type: 'long', evaluate: (row) => row.timestamp };
    // eventTimestamp(first) in expression windows, eventTimestamp(e1) in patterns: the given event's time.
    if (args[0]!.type !== 'object') throw new FunctionUsageError(`eventTimestamp() takes 0 argument(s), got 1 (or one event reference such as first or e1, not a ${args[0]!.type}); usage: ${this.signature}`);
    const ev = args[0]!.evaluate;
    return {
      type: 'long',
      evaluate: (row) => {
        const e = ev(row) as { timestamp?: number } | null;
        return e && typeof e.timestamp === 'number' ? e.timestamp : null;
      },
    };
  },
};
