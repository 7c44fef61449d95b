// Planning resolves names against the catalog (src/plan/catalog.ts): a planning
// context has no live junctions, windows or tables, and plans queries over the
// catalog's streams, named windows and tables.

import { describe, expect, it } from 'vitest';
import type { Query } from '../../src/ast/index.js';
import { parseApp } from '../../src/parser/parse-app.js';
import { StreamSchema } from '../../src/runtime/schema.js';
import { createCatalog } from '../../src/plan/catalog.js';
import { readableNames, type PlanContext } from '../../src/plan/plan-context.js';
import { planQuery } from '../../src/plan/plan-query.js';

const S = new StreamSchema('S', [{ name: 'symbol', type: 'string' }, { name: 'price', type: 'double' }]);
const W = new StreamSchema('W', [{ name: 'symbol', type: 'string' }, { name: 'price', type: 'double' }]);

function context(withCatalog: boolean): PlanContext {
  const catalog = createCatalog();
  if (withCatalog) {
    catalog.streams.set('S', S);
    catalog.windows.set('W', W);
    catalog.tables.set('T', { name: 'T', attributes: [{ name: 'symbol', type: 'string' }], primaryKey: [], indexes: [] });
  }
  return { catalog, inputStreams: new Set() };
}

const queriesOf = (text: string): Query[] => parseApp(text).elements.filter((e): e is Query => e.kind === 'query');

const APP = `
from S[price > 10]#window.length(3) select symbol, sum(price) as total group by symbol insert into Out;
from W join S#window.length(2) on W.symbol == S.symbol select S.symbol, W.price insert into Joined;
from every e1=S -> e2=S[price > e1.price] select e1.symbol, e2.price insert into Rises;
from S select symbol, price insert into Out2;
`;

describe('the plan catalog', () => {
  it('is what planning reads: every query plans over it', () => {
    const ctx = context(true);
    const names = queriesOf(APP).map((q, i) => planQuery(q, `q${i}`, ctx).name);
    expect(names).toEqual(['q0', 'q1', 'q2', 'q3']);
    // Output streams are defined in the catalog only: the runtime builder makes their junctions.
    expect([...ctx.catalog.streams.keys()]).toEqual(['S', 'Out', 'Joined', 'Rises', 'Out2']);
    expect(Object.keys(ctx).sort()).toEqual(['catalog', 'inputStreams']);
    expect(readableNames(ctx)).toEqual(['S', 'Out', 'Joined', 'Rises', 'Out2', 'W', 'T']);
  });

  it('a stream not in the catalog is not defined for planning', () => {
    const ctx = context(false);
    expect(() => planQuery(queriesOf(APP)[3]!, 'q', ctx)).toThrow(/stream 'S' is not defined/);
  });

  it('reads named windows and tables from the catalog', () => {
    const ctx = context(true);
    expect(() => planQuery(queriesOf('from W#window.length(2) select * insert into X;')[0]!, 'q', ctx)).toThrow(/'W' is a named window; it takes no further window/);
    expect(() => planQuery(queriesOf('from T select * insert into X;')[0]!, 'q', ctx)).toThrow(/table 'T' cannot be read as a stream/);
  });
});
