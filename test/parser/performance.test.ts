// Parsing cost of a large app.

import { describe, expect, it } from 'vitest';
import { parseApp } from '../../src/parser/index.js';

function bigApp(queries: number): string {
  const lines = ['define stream S (symbol string, price float, volume long);', 'define table T (symbol string, price float);'];
  for (let i = 0; i < queries; i++) {
    const name = `@info(name = 'q${i}')`;
    const shapes = [
      `${name} from S[price > ${i} and symbol != 'X']#window.length(${i + 1}) select symbol, sum(price) as total group by symbol having total > 10 insert all events into Out${i};`,
      `${name} from every e1=S[price > 20] -> e2=S[price > e1.price] within 5 sec select e1.symbol as a, e2.price as b insert into P${i};`,
      `${name} from S#window.time(1 min 30 sec) as a join T on a.symbol == T.symbol select a.symbol, T.price output last every 2 sec insert into J${i};`,
      `${name} from S[(symbol == T.symbol) in T] update or insert into T set T.price = price on T.symbol == symbol;`,
    ];
    lines.push(shapes[i % shapes.length]!);
  }
  return lines.join('\n');
}

describe('parser performance', () => {
  // Best of several runs after warm-up: the machine running the tests may be busy.
  it('parses a 200-query app in well under 50 ms', () => {
    const text = bigApp(200);
    expect(parseApp(text).elements).toHaveLength(202);
    for (let i = 0; i < 5; i++) parseApp(text);
    let best = Infinity;
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      parseApp(text);
      best = Math.min(best, performance.now() - start);
    }
    expect(best).toBeLessThan(50);
  });
});
