// Scale-out of partitioned apps across worker processes (issue 17): the broker
// contract and its Redis Streams adapter, the router, the worker. Used by the
// `siddhi route` / `siddhi worker` commands and the cluster bench.

export type { Broker, ClusterMeta, CommitRequest, InputEntry, Lease } from './broker.js';
export { RedisBroker } from './redis-broker.js';
export { Router, type RouterLine, type RouteResult } from './router.js';
export { StopTimeoutError, Worker, type WorkerOptions } from './worker.js';
export type { RuntimeFactory } from './partition-runner.js';
export type { WorkerReport } from './worker-metrics.js';
export { fingerprintOf, parseRecord, type CheckpointRecord } from './checkpoint-record.js';
export { formatWorkerPrometheus } from './worker-prometheus.js';
export { sourceApp, sourcedStreams, withoutSources } from './app-sources.js';
