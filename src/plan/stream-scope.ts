// The scope of a single-stream query: variables are attributes of one stream,
// optionally qualified by the stream name or its alias.

import type { Variable } from '../ast/index.js';
import type { Row, StreamEvent } from '../runtime/event.js';
import type { StreamSchema } from '../runtime/schema.js';
import { planErrorAt } from './plan-context.js';
import type { ResolvedVariable, Scope } from './scope.js';
import { describeAlternatives } from './suggest.js';

export interface StreamScopeOptions {
  readonly element: string;
  readonly schema: StreamSchema;
  /** Names a variable may be qualified with: the stream name and its alias. */
  readonly names: readonly string[];
}

export function createStreamScope(options: StreamScopeOptions): Scope {
  const { schema, names, element } = options;
  const scope: Scope = {
    element,
    resolveVariable(v: Variable): ResolvedVariable {
      if (v.stream !== undefined && !names.includes(v.stream)) {
        throw planErrorAt(scope.element, `unknown stream reference '${v.stream}' in '${v.stream}.${v.name}'`, v.loc,
          describeAlternatives(v.stream, names));
      }
      if (v.index !== undefined) {
        throw planErrorAt(scope.element, `'${v.stream}[…]' event indexes are only valid in patterns and sequences`, v.loc);
      }
      return attributeOf(schema, v.name) ?? fail(v);
    },
    allAttributes: () => schema.attributes.map((a) => attributeOf(schema, a.name)!),
  };
  const fail = (v: Variable): never => {
    throw planErrorAt(scope.element, `stream '${schema.name}' has no attribute '${v.name}'`, v.loc,
      describeAlternatives(v.name, schema.attributes.map((a) => a.name)));
  };
  return scope;
}

export function attributeOf(schema: StreamSchema, name: string): ResolvedVariable | undefined {
  const index = schema.indexOf(name);
  if (index < 0) return undefined;
  return {
    type: schema.attributes[index]!.type,
    get: (row: Row) => (row as StreamEvent).data[index],
    attribute: { name, index },
  };
}
