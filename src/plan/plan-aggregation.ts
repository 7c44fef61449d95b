// Plans `define aggregation A from S[filter] select … group by … aggregate [by t]
// every …`: compiles the select clause into a bucket layout (aggregate calls
// as base values, other outputs as the latest event's values), the event-time
// accessor and the @purge policy into a blueprint; building it in an instance
// makes the Aggregation, subscribes it to S and starts its purge there.
// Called by plan-app.ts after every stream is defined.

import type { AggregationDefinition, AttributeType, Expression, FunctionCall } from '../ast/index.js';
import { SiddhiRuntimeError } from '../errors.js';
import type { Row, StreamEvent } from '../runtime/event.js';
import { AGGREGATOR_KINDS } from '../runtime/aggregators/index.js';
import { Aggregation } from '../runtime/operators/aggregation/aggregation.js';
import { AggregationPurge } from '../runtime/operators/aggregation/aggregation-purge.js';
import { BucketLayout, type BucketCall, type BucketOutput } from '../runtime/operators/aggregation/bucket.js';
import { parseTimeString, TIME_FORMATS } from '../runtime/operators/aggregation/bucket-time.js';
import { INCREMENTAL_AGGREGATORS } from '../runtime/operators/aggregation/incremental-aggregators.js';
import type { AttributeSchema } from '../runtime/schema.js';
import { formatValue } from '../runtime/values.js';
import { compileExpression } from './compile-expression.js';
import type { AggregationSpec } from './catalog.js';
import { evaluatorIn, type CompiledExpression, type ExpressionEnv } from '../runtime/expression.js';
import type { PlanContext } from './plan-context.js';
import { planErrorAt } from './plan-context.js';
import { planSingleInput } from './plan-input.js';
import { declareIn, type InstanceScope, type Reporter } from '../runtime/instance.js';
import { planPurge } from './plan-purge.js';
import { groupKeyOf } from './plan-selector.js';
import type { Scope } from './scope.js';
import { createStreamScope } from './stream-scope.js';
import { lookUpIgnoringCase } from './suggest.js';

/**
 * An aggregation planned once: what readers (joins, on-demand queries) plan
 * against, and `build`, which makes its running Aggregation in an instance
 * (registering its cells, subscribing it to its stream, queuing its purge).
 */
export interface AggregationBlueprint extends AggregationSpec {
  readonly name: string;
  build(inst: InstanceScope): Aggregation;
}

export const AGG_TIMESTAMP = 'AGG_TIMESTAMP';

const INCREMENTAL_NAMES = Object.keys(INCREMENTAL_AGGREGATORS).join(', ');

export function planAggregation(def: AggregationDefinition, ctx: PlanContext, element: string): AggregationBlueprint {
  const store = def.annotations.find((a) => a.name.toLowerCase() === 'store');
  if (store) {
    throw planErrorAt(element, '@store is not supported: aggregations are kept in memory and carried by checkpoints', store.loc,
      'remove @store; persist the app with checkpoints instead');
  }
  // The reference partitions by shard only with a 'shardId' from its config
  // manager, which an app cannot supply: it refuses the annotation unless enable='false'.
  const byId = def.annotations.find((a) => a.name.toLowerCase() === 'partitionbyid');
  const enable = byId?.elements.find((e) => e.key?.toLowerCase() === 'enable');
  if (byId && (enable === undefined || enable.value.toLowerCase() === 'true')) {
    throw planErrorAt(element, "@PartitionById needs a 'shardId' configuration, which siddhi-ts does not have", byId.loc,
      "remove @PartitionById (or set enable='false')");
  }
  const handler = def.input.handlers.find((h) => h.kind !== 'filter');
  if (handler) throw planErrorAt(element, 'an aggregation reads its stream through filters only, without windows or stream functions', handler.loc);
  const input = planSingleInput(def.input, ctx, { element, id: `${def.name}/input` });
  const scope = noAggregates(createStreamScope({ element, schema: input.schema, names: input.names }));
  const sel = def.selector;
  const extra = sel.having ?? sel.orderBy[0] ?? sel.limit ?? sel.offset;
  if (extra) throw planErrorAt(element, "an aggregation's select takes no having, order by, limit or offset", extra.loc);
  if (sel.star) throw planErrorAt(element, "an aggregation needs its outputs listed ('select *' is not supported)", sel.loc);
  const last: ((row: Row) => unknown)[] = [];
  const calls: BucketCall[] = [];
  // What each `last` value and call argument evaluates, for an instance to link when one reads the clock.
  const reads: { readonly last: CompiledExpression[]; readonly args: (CompiledExpression | undefined)[] } = { last: [], args: [] };
  const outputs: BucketOutput[] = [];
  const attributes: AttributeSchema[] = [{ name: AGG_TIMESTAMP, type: 'long' }];
  for (const a of sel.attributes) {
    const name = a.rename ?? (a.expression.kind === 'variable' ? a.expression.name : undefined);
    if (name === undefined) throw planErrorAt(element, 'this output expression needs a name', a.loc, "add 'as <name>'");
    if (attributes.some((x) => x.name === name)) throw planErrorAt(element, `output attribute '${name}' is selected twice (or clashes with ${AGG_TIMESTAMP})`, a.loc);
    const call = aggregateCall(a.expression, element);
    if (call) {
      const planned = planCall(call, scope, element);
      outputs.push({ kind: 'aggregate', call: calls.length });
      calls.push(planned.call);
      reads.args.push(planned.arg);
      attributes.push({ name, type: planned.type });
    } else {
      const c = compileExpression(a.expression, scope);
      outputs.push({ kind: 'last', index: last.length });
      last.push(c.evaluate);
      reads.last.push(c);
      attributes.push({ name, type: c.type });
    }
  }
  const compiledKeys = sel.groupBy.map((v) => compileExpression(v, scope));
  const keys = compiledKeys.map((c) => c.evaluate);
  const layout = new BucketLayout(last, calls, outputs);
  const timeOf = timeAccessor(def, scope, element);
  const groupKey = keys.length > 0 ? groupKeyOf(keys) : () => '';
  const linked = [...reads.last, ...compiledKeys, ...reads.args].some((c) => c?.link !== undefined);
  // Expressions reading the clock: the layout and key are made again in each instance, with its clock.
  const linkIn = (env: ExpressionEnv) => {
    const own = compiledKeys.map((c) => evaluatorIn(c, env));
    return {
      layout: new BucketLayout(reads.last.map((c) => evaluatorIn(c, env)), calls.map((c, i) => {
        const arg = reads.args[i];
        return arg === undefined ? c : { ...c, arg: evaluatorIn(arg, env) };
      }), outputs),
      groupKey: own.length > 0 ? groupKeyOf(own) : () => '',
    };
  };
  const javaKeyOf = def.by ? javaGroupKey(compiledKeys.map((c) => c.type)) : undefined;
  const purge = planPurge(def, element);
  return {
    name: def.name,
    attributes,
    durations: def.durations,
    build(inst) {
      const declare = declareIn(inst.cells, def.name);
      const own = linked ? linkIn(inst.scheduler) : { layout, groupKey };
      const aggregation = new Aggregation({
        name: def.name,
        durations: def.durations,
        layout: own.layout,
        timeOf: timeOf(inst.report),
        groupKeyOf: own.groupKey,
        ...(javaKeyOf ? { javaKeyOf } : {}),
        declare,
      });
      input.build(inst).connect(aggregation);
      if (purge) {
        const purger = new AggregationPurge(aggregation, purge, inst.scheduler, declare);
        inst.onStart.push(() => purger.start());
      }
      return aggregation;
    },
  };
}

/** The call when `e` is an aggregate function call (the whole output expression), else undefined. */
function aggregateCall(e: Expression, element: string): FunctionCall | undefined {
  if (e.kind !== 'call' || e.namespace !== undefined) {
    if (e.kind === 'call' && lookUpIgnoringCase(AGGREGATOR_KINDS, `${e.namespace}:${e.name}`)) {
      throw planErrorAt(element, `'${e.namespace}:${e.name}' is not an incremental aggregator`, e.loc, `use ${INCREMENTAL_NAMES}`);
    }
    return undefined;
  }
  if (lookUpIgnoringCase(INCREMENTAL_AGGREGATORS, e.name)) return e;
  if (lookUpIgnoringCase(AGGREGATOR_KINDS, e.name)) {
    throw planErrorAt(element, `'${e.name}' is not an incremental aggregator`, e.loc, `use ${INCREMENTAL_NAMES}`);
  }
  return undefined;
}

function planCall(call: FunctionCall, scope: Scope, element: string): { call: BucketCall; type: AttributeType; arg?: CompiledExpression } {
  const kind = lookUpIgnoringCase(INCREMENTAL_AGGREGATORS, call.name)!;
  const args = call.star ? [] : call.args.map((x) => compileExpression(x, scope));
  const expected = kind.name === 'count' ? 0 : 1;
  if (args.length > expected || (expected === 1 && args.length === 0)) {
    throw planErrorAt(element, `${kind.name}() takes ${expected === 0 ? 'no argument' : 'one argument'} in an aggregation`, call.loc);
  }
  const type = kind.resultType(args[0]?.type);
  if (!isType(type)) throw planErrorAt(element, type, call.loc);
  return { call: { kind, ...(args[0] ? { arg: args[0].evaluate } : {}) }, type, ...(args[0] ? { arg: args[0] } : {}) };
}

const TYPES = new Set<string>(['string', 'int', 'long', 'float', 'double', 'bool', 'object']);
function isType(t: string): t is AttributeType {
  return TYPES.has(t);
}

/** A scope where an aggregate call nested in an expression is refused with a hint. */
function noAggregates(scope: Scope): Scope {
  return {
    element: scope.element,
    resolveVariable: (v) => scope.resolveVariable(v),
    aggregate(call) {
      if (!lookUpIgnoringCase(AGGREGATOR_KINDS, call.name)) return undefined;
      throw planErrorAt(scope.element, `in an aggregation, ${call.name}() must be a whole output expression ('${call.name}(x) as name')`, call.loc);
    },
  };
}

/**
 * The reference's group-by key string of a bucket, from its start and our key
 * (groupKeyOf's parts: String(value), '\u0000' for null, joined by '\u001f'):
 * each part as Java prints it, each followed by ':-:'.
 */
function javaGroupKey(types: readonly AttributeType[]): (start: number, key: string) => string {
  const part = (text: string, type: AttributeType): string => {
    if (text === '\u0000') return 'null';
    return type === 'float' || type === 'double' ? formatValue(Number(text), type) : text;
  };
  if (types.length === 0) return (start) => `${start}:-:`;
  if (types.length === 1) return (start, key) => `${start}:-:${part(key, types[0]!)}:-:`;
  return (start, key) => {
    const parts = key.split('\u001f');
    let s = `${start}:-:`;
    for (let i = 0; i < parts.length; i++) s += `${part(parts[i]!, types[i] ?? 'string')}:-:`;
    return s;
  };
}

/**
 * Event time: the `aggregate by` attribute (long ms, or a time string), else
 * the event timestamp; given the instance's reporter, which hears of dropped events.
 */
function timeAccessor(def: AggregationDefinition, scope: Scope, element: string): (report: Reporter) => (e: StreamEvent) => number | undefined {
  if (!def.by) return () => eventTime;
  const v = scope.resolveVariable(def.by);
  const get = v.get;
  const where = `aggregation '${def.name}'`;
  const dropper = (report: Reporter) => (value: unknown): undefined => {
    report(new SiddhiRuntimeError(`${where}: '${String(value)}' is not a time: expected epoch milliseconds or ${TIME_FORMATS}; event dropped`), where);
    return undefined;
  };
  switch (v.type) {
    case 'long':
    case 'int':
      return (report) => {
        const drop = dropper(report);
        return (e) => {
          const t = get(e);
          return typeof t === 'number' ? t : drop(t);
        };
      };
    case 'string':
      return (report) => {
        const drop = dropper(report);
        return (e) => {
          const t = get(e);
          const ms = typeof t === 'string' ? parseTimeString(t) : undefined;
          return ms ?? drop(t);
        };
      };
    default:
      throw planErrorAt(element, `'aggregate by ${def.by.name}': the time attribute must be a long (epoch ms) or a string, not ${v.type}`, def.by.loc);
  }
}

const eventTime = (e: StreamEvent): number => e.timestamp;
