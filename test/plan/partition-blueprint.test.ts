// A partition is planned once into a blueprint (plan-partition.ts) against the
// catalog; runtime/operators/partition/build-partition.ts builds it in an app
// instance. Built in two apps, each keeps its own keys, cells and outputs.

import { describe, expect, it } from 'vitest';
import { parseApp } from '../../src/parser/index.js';
import type { Partition } from '../../src/ast/index.js';
import { createCatalog } from '../../src/plan/catalog.js';
import { defineStream, type PlanContext } from '../../src/plan/plan-context.js';
import { planPartition } from '../../src/plan/plan-partition.js';
import { Scheduler } from '../../src/runtime/clock.js';
import { CURRENT, StreamEvent } from '../../src/runtime/event.js';
import { appStreams, type CellRegistry } from '../../src/runtime/instance.js';
import { StreamJunction } from '../../src/runtime/junction.js';
import { CONSOLE_LOGGER } from '../../src/runtime/logger.js';
import type { NamedWindow } from '../../src/runtime/operators/named-window.js';
import { buildPartition, type PartitionHost } from '../../src/runtime/operators/partition/build-partition.js';
import { buildJunctions } from '../../src/runtime/build-definitions.js';

const APP = `
define stream S (symbol string, price double);
define stream T (price double);
partition with (symbol of S) begin
  @info(name='sums') from S#window.length(2) select symbol, sum(price) as total insert into O;
  @info(name='seen') from T select price insert into U;
end;
`;

interface App {
  readonly host: PartitionHost & { readonly junctions: Map<string, StreamJunction> };
  readonly ids: string[];
  readonly out: unknown[][];
}

/** A planning context with streams S and T. */
function planning(): PlanContext {
  const ctx: PlanContext = { catalog: createCatalog(), inputStreams: new Set() };
  defineStream(ctx, 'S', [{ name: 'symbol', type: 'string' }, { name: 'price', type: 'double' }]);
  defineStream(ctx, 'T', [{ name: 'price', type: 'double' }]);
  return ctx;
}

/** An app instance with the junctions of `ctx`'s streams and a registry that records cell ids. */
function app(ctx: PlanContext): App {
  const ids: string[] = [];
  const cells: CellRegistry = {
    register: (id) => { ids.push(id); },
    unregister: () => {},
  };
  const junctions = new Map<string, StreamJunction>();
  const windows = new Map<string, NamedWindow>();
  const host = {
    scheduler: new Scheduler(0), cells, junctions, windows, ...appStreams(junctions, windows),
    tables: new Map(), aggregations: new Map(), onStart: [], queries: new Map(),
    report: (e: unknown) => { throw e; }, logger: CONSOLE_LOGGER, appName: 'A',
  };
  buildJunctions([...ctx.catalog.streams.values()], host);
  return { host, ids, out: [] };
}

function send(a: App, stream: string, data: unknown[]): void {
  a.host.junctions.get(stream)!.process([new StreamEvent(1, data, CURRENT)]);
}

describe('a partition blueprint', () => {
  const partition = parseApp(APP).elements.find((el): el is Partition => el.kind === 'partition')!;

  it('plans against the catalog only: it defines the queries\' output streams, and only that', () => {
    const ctx = planning();
    planPartition(partition, ctx, { position: 1, nameQuery: (q) => q.annotations[0]!.elements[0]!.value });
    expect([...ctx.catalog.streams.keys()]).toEqual(['S', 'T', 'O', 'U']);
    expect(ctx.catalog.inner).toBeUndefined();
  });

  it('built in two apps, keeps each app\'s keys, cells and outputs apart', () => {
    const ctx = planning();
    const blueprint = planPartition(partition, ctx, { position: 1, nameQuery: (q) => q.annotations[0]!.elements[0]!.value });
    const [a, b] = [app(ctx), app(ctx)];
    for (const x of [a, b]) expect(x.ids).toEqual([]);
    buildPartition(blueprint, a.host);
    buildPartition(blueprint, b.host);
    for (const x of [a, b]) x.host.junctions.get('O')!.subscribe({ process: (chunk) => { for (const e of chunk) x.out.push(e.data); } });

    // The broadcast stream T first, then the router of S: both apps the same.
    for (const x of [a, b]) expect(x.host.junctions.get('T')!.subscribers).toHaveLength(1);
    for (const x of [a, b]) expect(x.host.junctions.get('S')!.subscribers).toHaveLength(1);
    send(a, 'S', ['IBM', 1]);
    send(b, 'S', ['IBM', 10]);
    send(a, 'S', ['IBM', 2]);
    send(b, 'S', ['WSO2', 20]);
    send(a, 'S', ['WSO2', 3]);
    expect(a.out).toEqual([['IBM', 1], ['IBM', 3], ['WSO2', 3]]);
    expect(b.out).toEqual([['IBM', 10], ['WSO2', 20]]);
    // Each app's registry has its own keys cell and its own keys' cells (both saw IBM, then WSO2).
    const ids = ['partition1:keys', 'sums/selector@IBM', 'sums/0:window.length@IBM', 'sums/selector@WSO2', 'sums/0:window.length@WSO2'];
    expect(a.ids).toEqual(ids);
    expect(b.ids).toEqual(ids);
    expect(a.host.queries.get('sums')).not.toBe(b.host.queries.get('sums'));
  });
});
