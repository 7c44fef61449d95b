import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../../src/index.js';
import { compileJsonPath, readJsonPath } from '../../../src/runtime/functions/ext/json-path.js';

// The bookstore document of Jayway JsonPath's README, whose filter examples these follow.
const STORE = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99, tags: ['war', 'classic'] },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
};

const read = (path: string): unknown => readJsonPath(STORE, compileJsonPath(path)).value;

describe('JSON path filters', () => {
  it('select array elements by comparison, existence, root reference and logic', () => {
    expect(read('$.store.book[?(@.price < 10)].title')).toEqual(['Sayings of the Century', 'Moby Dick']);
    expect(read('$..book[?(@.isbn)].title')).toEqual(['Moby Dick', 'The Lord of the Rings']);
    expect(read('$..book[?(@.price <= $.expensive)].price')).toEqual([8.95, 8.99]);
    expect(read("$.store.book[?(@.category == 'fiction' && @.price > 20)].author")).toEqual(['J. R. R. Tolkien']);
    expect(read("$.store.book[?(@.category == 'reference' || @.price > 20)].price")).toEqual([8.95, 22.99]);
    expect(read('$.store.book[?(!(@.price < 10))].price')).toEqual([12.99, 22.99]);
    expect(read("$.store.book[?(@['category'] != 'fiction')].author")).toEqual(['Nigel Rees']);
  });

  it('supports =~ (whole-value match), in, nin, contains, size, empty, anyof', () => {
    expect(read('$..book[?(@.author =~ /.*REES/i)].title')).toEqual(['Sayings of the Century']);
    expect(read('$..book[?(@.author =~ /REES/i)].title')).toEqual([]);
    expect(read("$..book[?(@.category in ['reference', 'poetry'])].price")).toEqual([8.95]);
    expect(read("$..book[?(@.category nin ['fiction'])].price")).toEqual([8.95]);
    expect(read("$..book[?(@.tags contains 'war')].price")).toEqual([12.99]);
    expect(read('$..book[?(@.tags size 2)].price')).toEqual([12.99]);
    expect(read('$..book[?(@.tags empty false)].price')).toEqual([12.99]);
    expect(read("$..book[?(@.tags anyof ['classic', 'new'])].price")).toEqual([12.99]);
  });

  it('compares numbers with numeric strings by value, strings as strings, and skips elements lacking the attribute', () => {
    expect(read("$..book[?(@.price == '8.95')].title")).toEqual(['Sayings of the Century']);
    expect(read("$..book[?(@.isbn > '0-4')].title")).toEqual(['Moby Dick']);
    expect(read('$..book[?(@.isbn < 1)].title')).toEqual([]);
  });

  it('tests an object itself', () => {
    expect(read("$.store.bicycle[?(@.color == 'red')].price")).toEqual([19.95]);
    expect(read("$.store.bicycle[?(@.color == 'blue')].price")).toEqual([]);
  });

  it('refuses a malformed filter with the position', () => {
    expect(() => compileJsonPath('$.a[?(@.x > )]')).toThrow("expected a path, a literal or a regular expression at 6 in filter '@.x > '");
    expect(() => compileJsonPath('$.a[?(@.x > 1]')).toThrow("unclosed filter '[?(' at 3");
    expect(() => compileJsonPath("$.a[?(@.x == 'y)]")).toThrow('unclosed string');
    expect(() => compileJsonPath('$.a[?(@.x ~ 1)]')).toThrow("unexpected '~'");
  });

  it('works in json: functions, and a bad constant filter is a plan error', () => {
    const app = `@app:playback define stream S (json string);
      from S select json:getString(json, '$.items[?(@.price > 10)].name') as names,
                    json:isExists(json, "$.items[?(@.name == 'pen')]") as hasPen
      insert into Out;`;
    const runtime = new SiddhiManager().createSiddhiAppRuntime(app);
    const out: unknown[][] = [];
    runtime.addCallback('Out', (es) => out.push(...es.map((e) => [...e.data])));
    runtime.start();
    runtime.getInputHandler('S').send(['{"items":[{"name":"pen","price":2},{"name":"lamp","price":25},{"name":"desk","price":120}]}'], 1);
    runtime.getInputHandler('S').send(['{"items":[{"name":"cup","price":12}]}'], 2);
    runtime.shutdown();
    // getString renders an indefinite path's whole match list, as the reference's gson.toJson(list).
    expect(out).toEqual([['["lamp","desk"]', true], ['["cup"]', false]]);
    expect(() => new SiddhiManager().createSiddhiAppRuntime(`define stream S (json string);
      from S select json:getString(json, '$.items[?(@.price >)]') as n insert into Out;`)).toThrow(/invalid JSON path/);
  });
});

describe('relative paths starting with a bracket', () => {
  it("read '[0]' and \"['name']\" from the root, as Jayway compiles them ('$.' + path, where '$.[0]' is '$[0]')", () => {
    expect(readJsonPath([10, 20], compileJsonPath('[1]')).value).toBe(20);
    expect(read("['expensive']")).toBe(10);
    expect(read("['store']['bicycle'].color")).toBe('red');
    expect(read('$.[\'expensive\']')).toBe(10);
  });
});
