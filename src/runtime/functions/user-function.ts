// A plain JS function as a SiddhiQL function (manager.setFunction, or a
// `define function … [javascript]` body): arity and argument types checked at
// plan time, the result checked against the declared return type, and a throw
// reported with the function's name.

import type { AttributeType } from '../../ast/index.js';
import { SiddhiRuntimeError } from '../../errors.js';
import { acceptorFor, isNumericType, REJECTED } from '../values.js';
import { FunctionUsageError, type FunctionKind } from './function-kind.js';

/**
 * What `manager.setFunction` takes.
 *
 * @example
 * manager.setFunction('custom:plus', { returnType: 'long', parameters: ['long', 'long'], fn: (a, b) => a + b });
 */
export interface UserFunction {
  readonly returnType: AttributeType;
  /**
   * Parameter types; an argument of a numeric type fits any numeric parameter,
   * 'object' takes anything. Absent: the arity is `fn.length` (any when 0), types unchecked.
   */
  readonly parameters?: readonly AttributeType[];
  /** Called with the argument values (null for nulls); its result must fit returnType. */
  readonly fn: (...args: any[]) => unknown;
}

export function userFunctionKind(name: string, spec: UserFunction): FunctionKind {
  const params = spec.parameters;
  const signature = `${name}(${params ? params.join(', ') : `${spec.fn.length || '…'} argument(s)`}) → ${spec.returnType}`;
  const accept = acceptorFor(spec.returnType);
  return {
    name,
    signature,
    pure: false,
    plan(args) {
      const arity = params?.length ?? spec.fn.length;
      if ((params || arity > 0) && args.length !== arity) {
        throw new FunctionUsageError(`${name}() takes ${arity} argument(s), got ${args.length}; usage: ${signature}`);
      }
      params?.forEach((p, i) => {
        const t = args[i]!.type;
        if (p !== 'object' && t !== p && !(isNumericType(p) && isNumericType(t))) {
          throw new FunctionUsageError(`${name}() argument ${i + 1} must be ${p}, got ${t}; usage: ${signature}`);
        }
      });
      const evaluators = args.map((a) => a.evaluate);
      const fn = spec.fn;
      return {
        type: spec.returnType,
        evaluate: (row) => {
          const values = new Array(evaluators.length);
          for (let i = 0; i < evaluators.length; i++) values[i] = evaluators[i]!(row) ?? null;
          let out: unknown;
          try {
            out = fn(...values);
          } catch (e) {
            throw new SiddhiRuntimeError(`function '${name}' failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
          }
          const v = accept(out);
          if (v === REJECTED) throw new SiddhiRuntimeError(`function '${name}' returned ${JSON.stringify(out)}, not a ${spec.returnType}`);
          return v;
        },
      };
    },
  };
}
