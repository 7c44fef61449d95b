// ifThenElse, coalesce and default: choose among values of one type.

import type { FunctionKind } from './function-kind.js';
import { expectArity, expectSameTypes, FunctionUsageError } from './function-kind.js';

export const ifThenElse: FunctionKind = {
  name: 'ifThenElse',
  signature: 'ifThenElse(condition bool, then T, else T) → T',
  pure: true,
  plan(args) {
    expectArity(this, args, 3);
    const [cond, a, b] = args as [typeof args[0], typeof args[0], typeof args[0]];
    if (cond.type !== 'bool') throw new FunctionUsageError(`ifThenElse() needs a bool condition, got ${cond.type}`);
    const type = expectSameTypes(this, [a, b]);
    const c = cond.evaluate, x = a.evaluate, y = b.evaluate;
    return { type, evaluate: (row) => (c(row) === true ? x(row) : y(row)) };
  },
};

export const coalesce: FunctionKind = {
  name: 'coalesce',
  signature: 'coalesce(a T, b T, …) → T',
  pure: true,
  plan(args) {
    expectArity(this, args, 1, Infinity);
    const type = expectSameTypes(this, args);
    const evs = args.map((a) => a.evaluate);
    return {
      type,
      evaluate: (row) => {
        for (let i = 0; i < evs.length; i++) {
          const v = evs[i]!(row);
          if (v !== null && v !== undefined) return v;
        }
        return null;
      },
    };
  },
};

export const defaultFn: FunctionKind = {
  name: 'default',
  signature: 'default(value T, fallback T) → T',
  pure: true,
  plan(args) {
    expectArity(this, args, 2);
    const type = expectSameTypes(this, args);
    const v = args[0]!.evaluate, d = args[1]!.evaluate;
    return {
      type,
      evaluate: (row) => {
        const x = v(row);
        return x === null || x === undefined ? d(row) : x;
      },
    };
  },
};
