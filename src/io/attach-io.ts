// Plans the @source and @sink annotations of an app's streams (types and
// mappers looked up once, options checked before the first event) and wires
// them to the runtime: sources start with it and stop on shutdown, sinks
// subscribe as stream callbacks. Called by buildApp through BuildOptions.wire, once the runtime exists.

import type { Annotation, AnnotationElement, App, StreamDefinition } from '../ast/index.js';
import { SiddhiRuntimeError, messageOf } from '../errors.js';
import { planErrorAt } from '../plan/plan-context.js';
import { describeAlternatives } from '../plan/suggest.js';
import type { SiddhiAppRuntime } from '../runtime/app-runtime.js';
import type { CellRegistry } from '../state/cell.js';
import type { MapperContext, Sink, Source, SourceState } from './contract.js';
import { DISTRIBUTION_STRATEGIES, distributedSink, type Distribution, type DistributionStrategy } from './distributed-sink.js';
import { IoOptions } from './io-options.js';
import type { IoNamespace, IoRegistry } from './io-registry.js';
import { createSourceMapping } from './source-mapping.js';
import { createDeliver } from './source-runner.js';
import { SINK_ON_ERROR, SinkRunner, type SinkOnError } from './sink-runner.js';

interface PlannedSource {
  readonly stream: string;
  readonly type: string;
  readonly source: Source;
}

interface PlannedSink {
  readonly stream: string;
  readonly runner: SinkRunner;
  readonly start?: () => void | Promise<void>;
  readonly stop?: () => void | Promise<void>;
}

export interface IoWiring {
  readonly app: App;
  readonly runtime: SiddhiAppRuntime;
  readonly cells: CellRegistry;
  readonly registry: IoRegistry;
}

/** Plans every @source/@sink of `app`; throws SiddhiPlanError naming the stream and the annotation. */
export function attachIo(w: IoWiring): void {
  const sources: PlannedSource[] = [];
  const sinks: PlannedSink[] = [];
  const seen = new Set<string>();
  for (const def of w.app.elements) {
    // A stream defined again exactly alike is one stream (planning refuses a differing repeat): one set of sources and sinks.
    if (def.kind !== 'stream' || seen.has(def.name)) continue;
    seen.add(def.name);
    let n = 0;
    for (const a of def.annotations) {
      const name = a.name.toLowerCase();
      if (name === 'source') sources.push(planSource(def, a, ++n, w));
      else if (name === 'sink') sinks.push(planSink(def, a, w));
    }
  }
  if (sources.length === 0 && sinks.length === 0) return;
  let pending: Promise<unknown>[] = [];
  // Sources that could not start (a port in use …): ready() refuses, so `siddhi run` does not wait on nothing.
  let unstarted: string[] = [];
  const guard = (where: string, f: () => void | Promise<void>, failed?: string[]): void => {
    const fail = (e: unknown): void => {
      w.runtime.report(e, where);
      failed?.push(`${where}: ${messageOf(e)}`);
    };
    try {
      const r = f();
      if (r) pending.push(r.catch(fail));
    } catch (e) {
      fail(e);
    }
  };
  let sinksStarted = false;
  const startSinks = (): void => {
    if (sinksStarted) return;
    sinksStarted = true;
    for (const s of sinks) {
      s.runner.start();
      w.runtime.addCallback(s.stream, s.runner.receive);
      if (s.start) guard(`sink of stream '${s.stream}'`, s.start);
    }
  };
  w.runtime.attach({
    startSinks: () => {
      pending = [];
      startSinks();
    },
    start: () => {
      if (!sinksStarted) pending = [];
      unstarted = [];
      startSinks();
      for (const s of sources) guard(`source '${s.type}' of stream '${s.stream}'`, () => s.source.start(), unstarted);
    },
    stop: () => {
      for (const s of sources) guard(`source '${s.type}' of stream '${s.stream}'`, () => s.source.stop());
      sinksStarted = false;
      for (const s of sinks) {
        s.runner.stop();
        if (s.stop) guard(`sink of stream '${s.stream}'`, s.stop);
      }
    },
    ready: async () => {
      await Promise.all(pending);
      if (unstarted.length > 0) throw new SiddhiRuntimeError(`could not start ${unstarted.join('; ')}`);
    },
    sources: () => sources.map((s) => ({ stream: s.stream, type: s.type, address: s.source.address?.() })),
  });
}

function planSource(def: StreamDefinition, a: Annotation, n: number, w: IoWiring): PlannedSource {
  const { type, element } = typeOf(def, a, 'source');
  const kind = lookUp(w.registry, 'source', type, element, a);
  const where = `source '${type}' of stream '${def.name}'`;
  const map = mapperOf(def, a, kind.defaultMapper ?? 'json', 'sourceMapper', w, element);
  const cellId = `${def.name}:source.${type}${n > 1 ? `#${n}` : ''}`;
  const deliver = createDeliver({
    where,
    stream: def.name,
    map: map.plan(() => createSourceMapping(map.kind, map.ctx)),
    input: () => w.runtime.getInputHandler(def.name),
    report: (e, at) => w.runtime.report(e, at),
    // No event came out of the payload: its attributes are null in !S, `_error` says why.
    ...(streamsFaults(def) ? {
      unmapped: (e: Error) => w.runtime.getInputHandler(`!${def.name}`).send([...def.attributes.map(() => null), e.message]),
    } : {}),
  });
  const source = wrapPlanError(element, a, () => kind.create({
    appName: w.runtime.name,
    streamName: def.name,
    attributes: def.attributes,
    options: new IoOptions(element, a.elements.filter((e) => e.key !== 'type')),
    deliver,
    report: (e) => w.runtime.report(e, where),
    keepState: (state) => registerSourceState(w.cells, cellId, state, `source.${type}`),
  }));
  return { stream: def.name, type, source };
}

/** A source's position as the checkpointed cell `id`. */
function registerSourceState(cells: CellRegistry, id: string, state: SourceState<unknown>, kind: string): void {
  cells.register(id, { kind: state.kind ?? kind, version: 1, capture: () => state.capture(), restore: (v) => state.restore(v) });
}

/**
 * The runtime option `sourceState`: positions of readers outside the app as
 * cells '@source:<key>'. A checkpoint may lack one, or hold one this runtime
 * does not read (`siddhi query` over a `siddhi run --input` checkpoint): the
 * scope makes a restore take neither as a mismatch; the reader checks its own.
 */
export function keepExternalSourceState(cells: CellRegistry, states: Readonly<Record<string, SourceState<unknown>>>): void {
  cells.declareScope?.('@source:');
  for (const [key, state] of Object.entries(states)) registerSourceState(cells, `@source:${key}`, state, 'source.external');
}

/** `@OnError(action='STREAM')` on the stream (plan-fault-stream.ts defines `!S` then). */
function streamsFaults(def: StreamDefinition): boolean {
  return def.annotations.some((a) => a.name.toLowerCase() === 'onerror'
    && a.elements.some((e) => (e.key === undefined || e.key.toLowerCase() === 'action') && e.value.toUpperCase() === 'STREAM'));
}

function planSink(def: StreamDefinition, a: Annotation, w: IoWiring): PlannedSink {
  const { type, element } = typeOf(def, a, 'sink');
  const kind = lookUp(w.registry, 'sink', type, element, a);
  const where = `sink '${type}' of stream '${def.name}'`;
  const map = mapperOf(def, a, kind.defaultMapper ?? 'json', 'sinkMapper', w, element);
  const common = a.elements.filter((e) => e.key !== 'type' && e.key !== 'on.error');
  const onError = wrapPlanError(element, a, () => new IoOptions(element, a.elements).oneOf<SinkOnError>('on.error', SINK_ON_ERROR, 'LOG'));
  const create = (elements: readonly AnnotationElement[], at: Annotation) => wrapPlanError(element, at, () => kind.create({
    appName: w.runtime.name,
    streamName: def.name,
    attributes: def.attributes,
    options: new IoOptions(element, elements),
    mapper: map.type,
    nullText: map.type === 'json' && map.ctx.options.get('enable.null.attribute.value', 'false').toLowerCase() !== 'true' ? 'undefined' : 'null',
    report: (e) => w.runtime.report(e, where),
  }));
  const distribution = a.annotations.find((x) => x.name.toLowerCase() === 'distribution');
  const sink = distribution ? planDistribution(def, element, distribution, common, create) : create(common, a);
  const runner = new SinkRunner({
    where, sink, map: map.plan(() => map.kind.create(map.ctx)), onError,
    ...(kind.perEvent ? { perEvent: true } : {}),
    ...(sink.groupBy ? { groupBy: sink.groupBy } : {}),
    report: (e, at) => w.runtime.report(e, at),
    toFaultStream: (events, error) => {
      const fault = w.runtime.getInputHandler(`!${def.name}`);
      for (const e of events) fault.send([...e.data, error.message], e.timestamp);
    },
  });
  return {
    stream: def.name,
    runner,
    ...(sink.start ? { start: () => sink.start!() } : {}),
    ...(sink.stop ? { stop: () => sink.stop!() } : {}),
  };
}

/** `@distribution(strategy=…, @destination(…)…)`: a sink per destination, its options over the @sink's. */
function planDistribution(
  def: StreamDefinition, element: string, d: Annotation, common: readonly AnnotationElement[],
  create: (elements: readonly AnnotationElement[], at: Annotation) => Sink,
): Sink {
  const where = `${element}, @distribution`;
  const options = new IoOptions(where, d.elements);
  const strategy = wrapPlanError(where, d, () => {
    options.required('strategy');
    return options.oneOf<DistributionStrategy>('strategy', DISTRIBUTION_STRATEGIES, 'roundRobin');
  });
  let partitionKey: Distribution['partitionKey'];
  if (strategy === 'partitioned') {
    const key = wrapPlanError(where, d, () => options.required('partitionKey'));
    const index = def.attributes.findIndex((x) => x.name === key);
    if (index < 0) throw planErrorAt(where, `partitionKey '${key}' is not an attribute of stream '${def.name}'`, d.loc, describeAlternatives(key, def.attributes.map((x) => x.name)));
    partitionKey = { ...def.attributes[index]!, index };
  }
  const destinations = d.annotations.filter((x) => x.name.toLowerCase() === 'destination');
  if (destinations.length === 0) throw planErrorAt(where, 'needs at least one @destination(…)', d.loc);
  const sinks = destinations.map((dest) => {
    const own = new Set(dest.elements.map((e) => e.key));
    return create([...common.filter((e) => !own.has(e.key)), ...dest.elements], dest);
  });
  return distributedSink(sinks, { strategy, ...(partitionKey ? { partitionKey } : {}) });
}

function typeOf(def: StreamDefinition, a: Annotation, what: string): { type: string; element: string } {
  const element = `@${what} of stream '${def.name}'`;
  const type = a.elements.find((e) => e.key === 'type')?.value;
  if (!type) throw planErrorAt(element, `needs type='…'`, a.loc);
  return { type, element };
}

function lookUp<N extends IoNamespace>(registry: IoRegistry, ns: N, type: string, element: string, a: Annotation) {
  const kind = registry.get(ns, type);
  if (!kind) throw planErrorAt(element, `unknown ${ns} type '${type}'`, a.loc, describeAlternatives(type, registry.names(ns)));
  return kind;
}

function mapperOf<N extends 'sourceMapper' | 'sinkMapper'>(def: StreamDefinition, a: Annotation, fallback: string, ns: N, w: IoWiring, element: string) {
  const m = a.annotations.find((x) => x.name.toLowerCase() === 'map');
  const type = m?.elements.find((e) => e.key === 'type')?.value ?? fallback;
  const kind = lookUp(w.registry, ns, type, `${element}, @map`, m ?? a);
  const attrs = m?.annotations.find((x) => x.name.toLowerCase() === 'attributes');
  const payload = m?.annotations.find((x) => x.name.toLowerCase() === 'payload');
  const ctx: MapperContext = {
    streamName: def.name,
    attributes: def.attributes,
    options: new IoOptions(`${element}, @map(type='${type}')`, (m?.elements ?? []).filter((e) => e.key !== 'type')),
    ...(attrs ? { attributeMappings: attrs.elements } : {}),
    ...(payload?.elements[0] ? { payloadTemplate: payload.elements[0].value, payloadMappings: payload.elements } : {}),
    report: (e) => w.runtime.report(e, `${element}, @map(type='${type}')`),
  };
  return {
    kind,
    ctx,
    type,
    plan: <T>(f: () => T): T => wrapPlanError(`${element}, @map`, m ?? a, f),
  };
}

/** Options and mapping errors thrown by create() become plan errors at the annotation. */
function wrapPlanError<T>(element: string, a: Annotation, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw planErrorAt(element, (e as Error).message, a.loc);
  }
}
