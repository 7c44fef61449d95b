import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';

describe('manager.setFunction', () => {
  it('calls a JS function from select, filter and having expressions', () => {
    const manager = new SiddhiManager();
    manager.setFunction('custom:plus', { returnType: 'long', parameters: ['long', 'long'], fn: (a: number, b: number) => a + b });
    manager.setFunction('shout', { returnType: 'string', fn: (s: string) => `${s.toUpperCase()}!` });
    const runtime = manager.createSiddhiAppRuntime(`@app:playback
      define stream S (sym string, a int, b long);
      from S[custom:plus(a, b) > 2] select shout(sym) as s, custom:plus(a, 10) as t insert into Out;`);
    const out: unknown[][] = [];
    runtime.addCallback('Out', (es) => out.push(...es.map((e) => [...e.data])));
    runtime.start();
    runtime.getInputHandler('S').send(['ibm', 1, 1], 1);
    runtime.getInputHandler('S').send(['wso2', 2, 5], 2);
    expect(out).toEqual([['WSO2!', 12]]);
    expect(runtime.getStreamAttributes('Out')).toEqual([{ name: 's', type: 'string' }, { name: 't', type: 'long' }]);
  });

  it('checks arity and argument types when the app is planned', () => {
    const manager = new SiddhiManager();
    manager.setFunction('custom:plus', { returnType: 'long', parameters: ['long', 'long'], fn: (a: number, b: number) => a + b });
    manager.setFunction('two', { returnType: 'int', fn: (a: number, b: number) => a + b });
    const plan = (q: string) => () => manager.createSiddhiAppRuntime(`define stream S (sym string, a int); ${q}`);
    expect(plan('from S select custom:plus(a) as x insert into O;')).toThrow(/custom:plus\(\) takes 2 argument\(s\), got 1/);
    expect(plan('from S select custom:plus(sym, a) as x insert into O;')).toThrow(/argument 1 must be long, got string/);
    expect(plan('from S select two(a, a, a) as x insert into O;')).toThrow(/two\(\) takes 2 argument/);
    expect(plan('from S select custom:plsu(a, a) as x insert into O;')).toThrow(/unknown function 'custom:plsu'/);
    expect(() => manager.setFunction('bad name', { returnType: 'int', fn: () => 1 })).toThrow(/must be 'name' or 'namespace:name'/);
  });

  it('reports a throw or a wrong result with the function name', () => {
    const manager = new SiddhiManager();
    manager.setFunction('boom', { returnType: 'int', fn: (a: number) => { if (a > 1) throw new Error('too big'); return a; } });
    manager.setFunction('liar', { returnType: 'int', fn: () => 'nope' });
    const runtime = manager.createSiddhiAppRuntime(`@app:playback
      define stream S (a int); define stream T (a int);
      from S select boom(a) as x insert into Out;
      from T select liar() as x insert into Out;`);
    const errors: string[] = [];
    const out: unknown[] = [];
    runtime.onError((e) => errors.push(e.message));
    runtime.addCallback('Out', (es) => out.push(...es.map((e) => e.data[0])));
    runtime.start();
    runtime.getInputHandler('S').send([1], 1);
    runtime.getInputHandler('S').send([2], 2);
    runtime.getInputHandler('T').send([2], 3);
    expect(errors).toEqual([
      "stream 'S': function 'boom' failed: too big; event dropped",
      "stream 'T': function 'liar' returned \"nope\", not a int; event dropped",
    ]);
    expect(out).toEqual([1]);
  });
});
