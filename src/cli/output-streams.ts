// Which streams `siddhi run` prints: every stream a query inserts into (inside
// partitions too), except tables, named windows and partition-inner `#streams`.

import type { Engine } from './io.js';

type App = ReturnType<Engine['parseApp']>;
type Query = Extract<App['elements'][number], { kind: 'query' }>;

/** Insert targets in first-seen order. */
export function insertTargets(app: App): string[] {
  const stores = new Set<string>();
  const queries: Query[] = [];
  for (const el of app.elements) {
    switch (el.kind) {
      case 'table':
      case 'window':
        stores.add(el.name);
        break;
      case 'query':
        queries.push(el);
        break;
      case 'partition':
        queries.push(...el.queries);
        break;
      case 'stream':
      case 'trigger':
      case 'aggregation':
      case 'function':
        break;
      default:
        return el satisfies never;
    }
  }
  const targets = new Set<string>();
  for (const q of queries) {
    if (q.output.kind === 'insert' && !q.output.inner && !stores.has(q.output.target)) targets.add(q.output.target);
  }
  return [...targets];
}
