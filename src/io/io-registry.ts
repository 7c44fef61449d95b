// The four registries of src/io, one per SiddhiManager: source and sink types,
// source and sink mappers. Built-ins go in through the same `set` as user
// extensions (`manager.setExtension('source:myType', …)`).

import type { SinkKind, SinkMapperKind, SourceKind, SourceMapperKind } from './contract.js';
import { InMemoryBroker } from './in-memory-broker.js';
import { jsonSinkMapper } from './mappers/json-sink-mapper.js';
import { jsonSourceMapper } from './mappers/json-source-mapper.js';
import { passThroughSinkMapper, passThroughSourceMapper } from './mappers/pass-through.js';
import { textSinkMapper, textSourceMapper } from './mappers/text-mappers.js';
import { csvSinkMapper, csvSourceMapper } from './mappers/csv-mappers.js';
import { xmlSinkMapper } from './mappers/xml-sink-mapper.js';
import { xmlSourceMapper } from './mappers/xml-source-mapper.js';
import { keyvalueSinkMapper, keyvalueSourceMapper } from './mappers/keyvalue-mappers.js';
import { inMemorySink } from './sinks/in-memory-sink.js';
import { logSink, type IoLogger } from './sinks/log-sink.js';
import { inMemorySource } from './sources/in-memory-source.js';
import { httpSource } from './sources/http-source.js';
import { httpSink } from './sinks/http-sink.js';
import { fileSource } from './sources/file-source.js';
import { fileSink } from './sinks/file-sink.js';
import { redisStreamSource } from './sources/redis-stream-source.js';
import { redisStreamSink } from './sinks/redis-stream-sink.js';
import { HttpServerPool } from './sources/http-server-pool.js';
import { HttpServiceRequests } from './http-service-requests.js';
import { HttpCallResponses } from './http-call-responses.js';
import { httpServiceSource } from './sources/http-service-source.js';
import { httpServiceResponseSink } from './sinks/http-service-response-sink.js';
import { httpCallSink } from './sinks/http-call-sink.js';
import { httpCallResponseSource } from './sources/http-call-response-source.js';

export interface IoExtensions {
  source: SourceKind;
  sink: SinkKind;
  sourceMapper: SourceMapperKind;
  sinkMapper: SinkMapperKind;
}

export type IoNamespace = keyof IoExtensions;

const NAMESPACES: readonly IoNamespace[] = ['source', 'sink', 'sourceMapper', 'sinkMapper'];

export class IoRegistry {
  private readonly kinds: { [N in IoNamespace]: Map<string, IoExtensions[N]> } = {
    source: new Map(),
    sink: new Map(),
    sourceMapper: new Map(),
    sinkMapper: new Map(),
  };

  constructor(readonly broker: InMemoryBroker = new InMemoryBroker(), logger: IoLogger = console) {
    this.set('source', 'inMemory', inMemorySource(broker));
    this.set('sink', 'inMemory', inMemorySink(broker));
    this.set('sink', 'log', logSink(logger));
    const pool = new HttpServerPool();
    this.set('source', 'http', httpSource(pool));
    this.set('sink', 'http', httpSink());
    const requests = new HttpServiceRequests();
    const calls = new HttpCallResponses();
    // http-request/http-response: the reference's older names of the same four, kept as aliases.
    for (const [service, serviceResponse, call, callResponse] of [
      ['http-service', 'http-service-response', 'http-call', 'http-call-response'],
      ['http-request', 'http-response', 'http-request', 'http-response'],
    ] as const) {
      this.set('source', service, httpServiceSource(requests, pool));
      this.set('sink', serviceResponse, httpServiceResponseSink(requests));
      this.set('sink', call, httpCallSink(calls));
      this.set('source', callResponse, httpCallResponseSource(calls));
    }
    this.set('source', 'file', fileSource());
    this.set('sink', 'file', fileSink());
    this.set('source', 'redis-stream', redisStreamSource());
    this.set('sink', 'redis-stream', redisStreamSink());
    this.set('sourceMapper', 'json', jsonSourceMapper);
    this.set('sinkMapper', 'json', jsonSinkMapper);
    this.set('sourceMapper', 'passThrough', passThroughSourceMapper);
    this.set('sinkMapper', 'passThrough', passThroughSinkMapper);
    this.set('sourceMapper', 'text', textSourceMapper);
    this.set('sinkMapper', 'text', textSinkMapper);
    this.set('sourceMapper', 'csv', csvSourceMapper);
    this.set('sinkMapper', 'csv', csvSinkMapper);
    this.set('sourceMapper', 'xml', xmlSourceMapper);
    this.set('sinkMapper', 'xml', xmlSinkMapper);
    this.set('sourceMapper', 'keyvalue', keyvalueSourceMapper);
    this.set('sinkMapper', 'keyvalue', keyvalueSinkMapper);
  }

  set<N extends IoNamespace>(namespace: N, name: string, kind: IoExtensions[N]): void {
    if (!NAMESPACES.includes(namespace)) throw new Error(`unknown extension namespace '${namespace}'; namespaces: ${NAMESPACES.join(', ')}`);
    if (typeof kind?.create !== 'function') throw new Error(`${namespace}:${name} needs a create(ctx) function`);
    this.kinds[namespace].set(name, kind);
  }

  /** Looks a type up as spelled, then ignoring case (the reference accepts 'inmemory'). */
  get<N extends IoNamespace>(namespace: N, name: string): IoExtensions[N] | undefined {
    const map = this.kinds[namespace];
    const exact = map.get(name);
    if (exact) return exact;
    for (const [k, v] of map) if (k.toLowerCase() === name.toLowerCase()) return v;
    return undefined;
  }

  names(namespace: IoNamespace): string[] {
    return [...this.kinds[namespace].keys()];
  }

  /** `'source:http'` → ['source', 'http']; undefined when the namespace is not an io one. */
  static splitKey(key: string): [IoNamespace, string] | undefined {
    const at = key.indexOf(':');
    const ns = key.slice(0, at) as IoNamespace;
    return at > 0 && NAMESPACES.includes(ns) ? [ns, key.slice(at + 1)] : undefined;
  }
}
