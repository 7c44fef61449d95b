// Extension functions as data: a name, typed parameters, a result type and
// the computation. `defineFunction` turns one spec into a registry FunctionKind
// with the arity, type and null rules checked in one place.

import type { AttributeType } from '../../../ast/index.js';
import { ATTRIBUTE_TYPES } from '../../../ast/index.js';
import { SiddhiRuntimeError } from '../../../errors.js';
import type { CompiledExpression } from '../../expression.js';
import type { FunctionContext, FunctionKind } from '../function-kind.js';
import { FunctionUsageError } from '../function-kind.js';

export const NUMBER: readonly AttributeType[] = ['int', 'long', 'float', 'double'];
export const INTEGRAL: readonly AttributeType[] = ['int', 'long'];
export const DECIMAL: readonly AttributeType[] = ['float', 'double'];
export const STRING: readonly AttributeType[] = ['string'];
export const INT: readonly AttributeType[] = ['int'];
export const LONG: readonly AttributeType[] = ['long'];
export const BOOL: readonly AttributeType[] = ['bool'];
export const OBJECT: readonly AttributeType[] = ['object'];
export const ANY: readonly AttributeType[] = ATTRIBUTE_TYPES;
/** Every type but object: what string-building functions accept. */
export const PRIMITIVE: readonly AttributeType[] = ['string', 'int', 'long', 'float', 'double', 'bool'];

/** One parameter: its documented name and the types it accepts. */
export type Param = readonly [name: string, types: readonly AttributeType[]];

export type Compute = (values: unknown[]) => unknown;

export interface FunctionSpec {
  /** Registry key as written in SiddhiQL, e.g. 'str:concat'. */
  readonly name: string;
  readonly params: readonly Param[];
  /** How many trailing parameters may be left out. */
  readonly optional?: number;
  /** The last parameter repeats (`str:concat(a, b, …)`); `min` is then the least count. */
  readonly repeat?: { readonly min: number };
  readonly returns: AttributeType | ((types: readonly AttributeType[], args: readonly CompiledExpression[]) => AttributeType);
  /** 'null' (default): a null argument gives null without calling compute; 'pass': compute sees nulls. */
  readonly nulls?: 'null' | 'pass';
  /** False for functions whose value changes between calls (random, clock). */
  readonly pure?: boolean;
  /** The computation reads `ctx.now()` (FunctionKind.readsClock). */
  readonly readsClock?: FunctionKind['readsClock'];
  /** `make` returns a closure with state of its own (FunctionKind.keepsState). */
  readonly keepsState?: true;
  /** Extra plan-time checks or precomputation (a constant regex); returns the computation. */
  readonly make?: (args: readonly CompiledExpression[], ctx: FunctionContext) => Compute;
  readonly compute?: Compute;
  /** Overrides the generated usage line. */
  readonly signature?: string;
}

export function defineFunction(spec: FunctionSpec): FunctionKind {
  const min = spec.repeat ? spec.repeat.min : spec.params.length - (spec.optional ?? 0);
  const max = spec.repeat ? Infinity : spec.params.length;
  const signature = spec.signature ?? describeSignature(spec);
  const nullsGiveNull = (spec.nulls ?? 'null') === 'null';
  return {
    name: spec.name,
    signature,
    pure: spec.pure ?? true,
    ...(spec.readsClock !== undefined ? { readsClock: spec.readsClock } : {}),
    ...(spec.keepsState ? { keepsState: true } : {}),
    plan(args, ctx) {
      if (args.length < min || args.length > max) {
        const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        throw new FunctionUsageError(`${spec.name}() takes ${want} argument(s), got ${args.length}; usage: ${signature}`);
      }
      args.forEach((a, i) => {
        const [pname, types] = spec.params[Math.min(i, spec.params.length - 1)]!;
        if (!types.includes(a.type)) {
          throw new FunctionUsageError(
            `${spec.name}() argument ${i + 1} (${pname}) must be ${types.join(' or ')}, got ${a.type}; usage: ${signature}`,
          );
        }
      });
      const types = args.map((a) => a.type);
      const type = typeof spec.returns === 'function' ? spec.returns(types, args) : spec.returns;
      const compute = spec.make ? spec.make(args, ctx) : spec.compute!;
      const evs = args.map((a) => a.evaluate);
      const n = evs.length;
      return {
        type,
        evaluate: (row) => {
          const values = new Array(n);
          for (let i = 0; i < n; i++) {
            const v = evs[i]!(row);
            if (v === null || v === undefined) {
              if (nullsGiveNull) return null;
              values[i] = null;
            } else values[i] = v;
          }
          return compute(values);
        },
      };
    },
  };
}

function describeSignature(spec: FunctionSpec): string {
  const required = spec.params.length - (spec.optional ?? 0);
  const parts = spec.params.map(([n, t], i) => {
    const p = `${n} ${t === ANY ? 'any' : t.join('|')}`;
    return i >= required ? `[${p}]` : p;
  });
  if (spec.repeat) parts.push('…');
  const ret = typeof spec.returns === 'string' ? spec.returns : 'by argument type';
  return `${spec.name}(${parts.join(', ')}) → ${ret}`;
}

/** A runtime failure inside an extension function (the reference throws SiddhiAppRuntimeException). */
export function failFunction(name: string, message: string): never {
  throw new SiddhiRuntimeError(`${name}(): ${message}`);
}

/** The constant value of an argument, or undefined when it varies per event. */
export function constantOf(arg: CompiledExpression | undefined): unknown {
  return arg?.constant ? arg.constant.value : undefined;
}
