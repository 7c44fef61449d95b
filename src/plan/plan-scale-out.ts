// The partition-safety check of scale-out (src/cluster): which apps may run as
// P > 1 partitions on several workers, and how the router keys each input
// stream. Keyed scale-out needs every stateful query inside a partition block
// (or stateless) and every partitioned stream fed directly by the router under
// one declared key; anything else is a PLAN error naming the query. A range
// key routes an event to the partition of each label it matches, and each
// partition's runtime runs only its labels (RuntimeOptions.rangeLabels).
// P = 1 (failover only) takes any app.

import type { App, AppElement, Expression, Partition, PartitionKey, Query, QueryInput, StateElement } from '../ast/index.js';
import { AGGREGATOR_KINDS } from '../runtime/aggregators/index.js';
import { StreamEvent, CURRENT } from '../runtime/event.js';
import { keyString } from '../runtime/operators/partition/routers.js';
import { StreamSchema } from '../runtime/schema.js';
import { compileExpression } from './compile-expression.js';
import { evaluatorIn, type ExpressionEnv } from '../runtime/expression.js';
import { planErrorAt } from './plan-context.js';
import { queryName } from './plan-query.js';
import { createStreamScope } from './stream-scope.js';

/** How the router picks a partition for one input stream's events. */
export interface StreamRoute {
  readonly stream: string;
  /** The partition key of `data` (the partition block's own key string); undefined: stateless-only, spread by the whole row. */
  readonly keyOf: ((data: readonly unknown[]) => string) | undefined;
  /** A range key instead: the labels of the ranges `data` matches (none: no partition processes it). */
  readonly labelsOf?: (data: readonly unknown[]) => string[];
}

export interface ScaleOutPlan {
  readonly partitions: number;
  /** Every input stream (defined, never inserted into), in definition order. */
  readonly routes: ReadonlyMap<string, StreamRoute>;
}

/**
 * Checks `app` for `partitions` fixed partitions and returns the router's keys.
 * @throws SiddhiPlanError naming the first query (or definition) that is not partition-safe.
 */
export function planScaleOut(app: App, partitions: number): ScaleOutPlan {
  if (!Number.isInteger(partitions) || partitions < 1) throw planErrorAt('app', `partitions must be a positive integer, got ${partitions}`, undefined);
  const inputs = inputStreams(app);
  const keys = new Map<string, { key: PartitionKey; text: string }>();
  if (partitions > 1) {
    const hint = 'keyed scale-out (P > 1) runs an app whose stateful queries are all inside partition blocks; use --partitions 1 for failover only';
    let position = 0;
    const outer: [Query, string][] = [];
    for (const el of app.elements) {
      if (el.kind === 'query') outer.push([el, queryName(el, ++position)]);
      else if (el.kind === 'partition') position = checkPartition(el, position, inputs, keys, hint);
      else checkDefinition(el, hint);
    }
    for (const [q, name] of outer) checkOuterQuery(q, name, keys, hint);
  }
  const routes = new Map<string, StreamRoute>();
  for (const [name, def] of inputs) {
    const key = keys.get(name)?.key;
    const schema = new StreamSchema(name, def.attributes.map((a) => ({ name: a.name, type: a.type })));
    if (key?.kind === 'range') routes.set(name, { stream: name, keyOf: undefined, labelsOf: compileLabels(key, schema) });
    else routes.set(name, { stream: name, keyOf: key && compileKey(key.expression, schema) });
  }
  return { partitions, routes };
}

type StreamDef = Extract<AppElement, { kind: 'stream' }>;

/** Streams the app defines and no query inserts into: what the router feeds. */
function inputStreams(app: App): Map<string, StreamDef> {
  const targets = new Set<string>();
  const queries = app.elements.flatMap((el) => (el.kind === 'query' ? [el] : el.kind === 'partition' ? el.queries : []));
  for (const q of queries) if (q.output.kind === 'insert' && !q.output.inner) targets.add(q.output.target);
  const inputs = new Map<string, StreamDef>();
  for (const el of app.elements) if (el.kind === 'stream' && !targets.has(el.name)) inputs.set(el.name, el);
  return inputs;
}

function checkDefinition(el: Exclude<AppElement, Query | Partition>, hint: string): void {
  // Tables, named windows, aggregations and triggers are state (or timers) of the whole app, which no single partition owns.
  if (el.kind === 'stream' || el.kind === 'function') return;
  throw planErrorAt(`${el.kind} '${el.name}'`, `is app-wide state and cannot be split across partitions`, el.loc, hint);
}

function checkOuterQuery(q: Query, name: string, keys: ReadonlyMap<string, { key: PartitionKey }>, hint: string): void {
  const why = statefulReason(q);
  if (why !== undefined) throw planErrorAt(`query '${name}'`, `is stateful (${why}) and outside any partition block`, q.loc, hint);
  const ranged = readStreams(q.input).find((s) => keys.get(s.stream)?.key.kind === 'range');
  if (ranged) {
    throw planErrorAt(`query '${name}'`, `reads '${ranged.stream}', which a range partition sends to the partition of every label it matches: outside the partition block it would see such an event once per partition`,
      q.loc, `read '${ranged.stream}' inside the partition block, or insert it into another stream there and read that`);
  }
}

/** Checks a partition block; returns the position of its last query (query names count across the app). */
function checkPartition(p: Partition, position: number, inputs: ReadonlyMap<string, StreamDef>, keys: Map<string, { key: PartitionKey; text: string }>, hint: string): number {
  const keyed = new Set<string>();
  for (const key of p.keys) {
    const element = `partition key of '${key.stream}'`;
    if (!inputs.has(key.stream)) throw planErrorAt(element, `'${key.stream}' is produced by a query, not fed by the router, so its events cannot be routed by this key`, key.loc, hint);
    const text = JSON.stringify(key.kind === 'range' ? key.ranges : key.expression, (k, v: unknown) => (k === 'loc' ? undefined : v));
    const other = keys.get(key.stream);
    if (other && other.text !== text) throw planErrorAt(element, `'${key.stream}' is partitioned by two different keys`, key.loc, hint);
    keys.set(key.stream, { key, text });
    keyed.add(key.stream);
  }
  for (const q of p.queries) {
    const name = queryName(q, ++position);
    const outer = readStreams(q.input).find((s) => !s.inner && !keyed.has(s.stream));
    if (outer) throw planErrorAt(`query '${name}'`, `reads '${outer.stream}', which this partition block does not partition (it would see only one partition's share)`, q.loc, hint);
    const table = tableUse(q);
    if (table) throw planErrorAt(`query '${name}'`, `uses table '${table}', app-wide state no partition owns`, q.loc, hint);
  }
  return position;
}

/** Why a query outside partitions keeps state, or undefined when it is stateless. */
function statefulReason(q: Query): string | undefined {
  const input = q.input;
  if (input.kind === 'join') return 'a join';
  if (input.kind === 'state') return `a ${input.type}`;
  if (input.handlers.some((h) => h.kind === 'window')) return 'a window';
  if (q.outputRate) return 'an output rate limit';
  if (q.selector.groupBy.length > 0) return 'group by';
  const calls = [...q.selector.attributes.map((a) => a.expression), ...(q.selector.having ? [q.selector.having] : [])];
  const aggregator = calls.map(findAggregator).find((n) => n !== undefined);
  if (aggregator) return `the aggregator ${aggregator}()`;
  const table = tableUse(q);
  return table ? `table '${table}'` : undefined;
}

function findAggregator(e: Expression): string | undefined {
  switch (e.kind) {
    case 'constant':
    case 'time':
    case 'variable':
      return undefined;
    case 'binary':
      return findAggregator(e.left) ?? findAggregator(e.right);
    case 'unary':
    case 'isNull':
      return findAggregator(e.operand);
    case 'in':
      return findAggregator(e.condition);
    case 'call': {
      const name = e.namespace ? `${e.namespace}:${e.name}` : e.name;
      if (name in AGGREGATOR_KINDS) return name;
      return e.args.map(findAggregator).find((n) => n !== undefined);
    }
    default:
      return e satisfies never;
  }
}

/** A table (or named window) the query writes, or reads through `in`. */
function tableUse(q: Query): string | undefined {
  if (q.output.kind !== 'insert' && q.output.kind !== 'return') return q.output.table;
  const found: string[] = [];
  const walk = (e: Expression | undefined): void => {
    if (!e) return;
    if (e.kind === 'in') found.push(e.table);
    if (e.kind === 'binary') (walk(e.left), walk(e.right));
    if (e.kind === 'unary' || e.kind === 'isNull') walk(e.operand);
    if (e.kind === 'call') e.args.forEach(walk);
  };
  for (const s of readStreams(q.input)) for (const h of s.handlers) if (h.kind === 'filter') walk(h.condition);
  q.selector.attributes.forEach((a) => walk(a.expression));
  walk(q.selector.having);
  return found[0];
}

type SingleRead = Extract<QueryInput, { kind: 'single' }>;

function readStreams(input: QueryInput): SingleRead[] {
  switch (input.kind) {
    case 'single':
      return [input];
    case 'join':
      return [input.left, input.right];
    case 'state':
      return stateStreams(input.element);
    default:
      return input satisfies never;
  }
}

function stateStreams(e: StateElement): SingleRead[] {
  switch (e.kind) {
    case 'stream':
    case 'absent':
      return [e.input];
    case 'count':
      return [e.stream.input];
    case 'logical':
      return [...stateStreams(e.left), ...stateStreams(e.right)];
    case 'next':
      return [...stateStreams(e.first), ...stateStreams(e.next)];
    case 'every':
      return stateStreams(e.element);
    default:
      return e satisfies never;
  }
}

/** Routing a raw row runs outside any runtime: a key reading the clock reads 0. */
const NO_CLOCK: ExpressionEnv = { now: () => 0 };

/** The labels of the ranges a raw row matches, in declaration order: the conditions the running RangeRouter tests. */
function compileLabels(key: Extract<PartitionKey, { kind: 'range' }>, schema: StreamSchema): (data: readonly unknown[]) => string[] {
  const scope = createStreamScope({ element: `partition key of '${schema.name}'`, schema, names: [schema.name] });
  const ranges = key.ranges.map((r) => ({ label: r.label, test: evaluatorIn(compileExpression(r.condition, scope), NO_CLOCK) as (e: StreamEvent) => unknown }));
  return (data) => {
    const e = new StreamEvent(0, data as unknown[], CURRENT);
    return ranges.filter((r) => r.test(e) === true).map((r) => r.label);
  };
}

/** The partition block's key of a raw row: the same expression and key string the running Partition uses. */
function compileKey(expression: Expression, schema: StreamSchema): (data: readonly unknown[]) => string {
  const scope = createStreamScope({ element: `partition key of '${schema.name}'`, schema, names: [schema.name] });
  const evaluate = evaluatorIn(compileExpression(expression, scope), NO_CLOCK) as (e: StreamEvent) => unknown;
  return (data) => keyString(evaluate(new StreamEvent(0, data as unknown[], CURRENT)));
}
