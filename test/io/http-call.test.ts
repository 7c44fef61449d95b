// http-call sink + http-call-response source against a real node:http server
// on 127.0.0.1 (ephemeral port); tests await the response events.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';
import { startApp as start } from './start-app.js';

const running: SiddhiAppRuntime[] = [];
const startApp = (text: string, manager?: SiddhiManager) => start(running, text, manager);
const servers: Server[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) r.shutdown();
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => { s.closeAllConnections(); s.close(done); })));
});

interface Seen { method: string; path: string; headers: IncomingMessage['headers']; body: string }

/** A server that records each request and answers with `reply(request)`: [status, body]. */
async function server(reply: (r: Seen) => [number, string] = (r) => [200, r.body]): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const r = { method: req.method!, path: req.url!, headers: req.headers, body };
      seen.push(r);
      const [status, text] = reply(r);
      res.writeHead(status, { 'x-answer': 'yes' }).end(text);
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen };
}


/** Resolves with the data of the first `n` events of `stream`; rejects on an error reported before. */
function collect(runtime: SiddhiAppRuntime, stream: string, n: number): Promise<unknown[][]> {
  const out: unknown[][] = [];
  return new Promise((resolve, reject) => {
    runtime.onError((e) => reject(e));
    runtime.addCallback(stream, (es) => {
      out.push(...es.map((e) => [...e.data]));
      if (out.length >= n) resolve(out);
    });
  });
}

/** Resolves on the first error reported. */
const nextError = (runtime: SiddhiAppRuntime) => new Promise<string>((resolve) => runtime.onError((e) => resolve(e.message)));

// The reference's sample "Service Integration/HttpCallResponse.siddhi" (port 8080 → the test server's).
const sample = (base: string) => `@App:name("HttpCallResponse")
@App:description("Publish http calls, receive their responses and process them")

define stream SweetProductionStream (name string, amount double);

@sink(type='http-call', sink.id='production-request', publisher.url='${base}/abc',
@map(type='json'))
define stream CallStream (name string, amount double);

@sink(type='log')
@source(type='http-call-response' , sink.id='production-request', http.status.code='200',
@map(type='json', @attributes(name='trp:name', amount='trp:amount')))
define stream ResponseStream(name string, amount double);

@info(name='PassThrough')
from SweetProductionStream
select *
insert into CallStream;`;

describe('http-call sink and http-call-response source', () => {
  it('runs the HttpCallResponse sample: the echoed call comes back with the request event as trp: attributes', async () => {
    const target = await server();
    const { runtime, errors } = await startApp(sample(target.base));
    const responses = collect(runtime, 'ResponseStream', 2);
    runtime.getInputHandler('SweetProductionStream').send(['toffees', 75.6]);
    runtime.getInputHandler('SweetProductionStream').send(['gingerbread', 12]);
    expect((await responses).sort()).toEqual([['gingerbread', 12], ['toffees', 75.6]]);
    expect(target.seen.map((s) => [s.method, s.path, s.headers['content-type'], s.body]).sort()).toEqual([
      ['POST', '/abc', 'application/json', '{"event":{"name":"gingerbread","amount":12.0}}'],
      ['POST', '/abc', 'application/json', '{"event":{"name":"toffees","amount":75.6}}'],
    ]);
    expect(errors).toEqual([]);
  });

  it('routes each response by its status to the source whose http.status.code matches', async () => {
    const target = await server((r) => (r.path === '/registry/ann' ? [200, '{"town":"NY","age":24}'] : [404, `no ${r.path}`]));
    const { runtime } = await startApp(`
      define stream Req (name string, id int);
      @sink(type='http-call', sink.id='employee-info', publisher.url='${target.base}/registry/{{name}}', method='GET',
        headers="'X-Id:{{id}}'", basic.auth.username='u', basic.auth.password='p', @map(type='json'))
      define stream Call (name string, id int);
      @source(type='http-call-response', sink.id='employee-info', http.status.code='2\\d+',
        @map(type='json', @attributes(name='trp:name', id='trp:id', location='$.town', age='$.age', served='trp:X-Answer')))
      define stream Found (name string, id int, location string, age int, served string);
      -- 4\\\\d+ as in the reference's docs: a doubled backslash counts as one.
      @source(type='http-call-response', sink.id='employee-info', http.status.code='4\\\\d+',
        @map(type='text', regex.A='((.|\\n)*)', @attributes(status='trp:http.status.code', name='trp:name', error='A[1]')))
      define stream Missing (status int, name string, error string);
      from Req select * insert into Call;`);
    const found = collect(runtime, 'Found', 1);
    runtime.getInputHandler('Req').send(['ann', 1423]);
    expect(await found).toEqual([['ann', 1423, 'NY', 24, 'yes']]);
    expect(target.seen[0]).toMatchObject({ method: 'GET', body: '', headers: { 'x-id': '1423', authorization: `Basic ${Buffer.from('u:p').toString('base64')}` } });
    const missing = collect(runtime, 'Missing', 1);
    runtime.getInputHandler('Req').send(['bob', 7]);
    expect(await missing).toEqual([[404, 'bob', 'no /registry/bob']]);
  });

  it("fills a null in publisher.url and headers as the json mapper leaves it: 'undefined', or 'null' with enable.null.attribute.value", async () => {
    const seen: string[] = [];
    let bothSeen!: () => void;
    const both = new Promise<void>((resolve) => (bothSeen = resolve));
    const target = await server((r) => {
      seen.push(`${r.path} ${String(r.headers['x-id'])}`);
      if (seen.length === 2) bothSeen();
      return [200, '{}'];
    });
    // Two streams: the reference hands one Event to every sink of a stream in turn and its json mapper writes
    // 'undefined' into that Event in place, so a second sink on the same stream would see 'undefined' too.
    const { runtime } = await startApp(`
      @sink(type='http-call', sink.id='a', publisher.url='${target.base}/a/{{name}}', method='GET', headers="'X-Id:{{name}}'", @map(type='json'))
      define stream Call (name string, id int);
      @sink(type='http-call', sink.id='b', publisher.url='${target.base}/b/{{name}}', method='GET', headers="'X-Id:{{name}}'",
        @map(type='json', enable.null.attribute.value='true'))
      define stream CallKeepingNull (name string, id int);`);
    runtime.getInputHandler('Call').send([null, 1]);
    runtime.getInputHandler('CallKeepingNull').send([null, 1]);
    await both;
    expect(seen.sort()).toEqual(['/a/undefined undefined', '/b/null null']);
  });

  it('reports a response no source takes, and a call that cannot connect (on.error LOG), and goes on', async () => {
    const target = await server((r) => (r.body.includes('"a":2') ? [500, 'boom'] : [200, '{"event":{"a":1}}']));
    const { runtime } = await startApp(`
      define stream Req (a int);
      @sink(type='http-call', sink.id='s', publisher.url='${target.base}/p')
      define stream Call (a int);
      @source(type='http-call-response', sink.id='s') define stream Ok (a int);
      @sink(type='http-call', sink.id='dead', publisher.url='http://127.0.0.1:1/nowhere')
      define stream Dead (a int);
      from Req[a != 3] select * insert into Call;
      from Req[a == 3] select * insert into Dead;`);
    let error = nextError(runtime);
    runtime.getInputHandler('Req').send([2]);
    expect(await error).toBe("sink 'http-call' of stream 'Call': no http-call-response source with sink.id 's' takes status 500 (http.status.code '200')");
    error = nextError(runtime);
    runtime.getInputHandler('Req').send([3]);
    expect(await error).toMatch(/^sink 'http-call' of stream 'Dead': .*ECONNREFUSED/);
    const ok = collect(runtime, 'Ok', 1);
    runtime.getInputHandler('Req').send([1]);
    expect(await ok).toEqual([[1]]);
  });

  it('blocking.io sends the next request only after the previous response', async () => {
    let open = 0;
    let most = 0;
    const target = await server((r) => [200, r.body]);
    const s = servers[0]!;
    s.on('request', () => { open++; most = Math.max(most, open); });
    s.on('request', (_req, res) => res.on('finish', () => open--));
    const { runtime } = await startApp(`
      define stream Req (a int);
      @sink(type='http-call', sink.id='b', blocking.io='true', publisher.url='${target.base}/b') define stream Call (a int);
      @source(type='http-call-response', sink.id='b') define stream Back (a int);
      from Req select * insert into Call;`);
    const back = collect(runtime, 'Back', 5);
    for (let i = 1; i <= 5; i++) runtime.getInputHandler('Req').send([i]);
    expect(await back).toEqual([[1], [2], [3], [4], [5]]);
    expect(most).toBe(1);
  });

  it('refuses bad options at plan time, naming the stream and the option', () => {
    const plan = (text: string) => () => new SiddhiManager().createSiddhiAppRuntime(text);
    expect(plan(`@sink(type='http-call', publisher.url='http://127.0.0.1:1/') define stream Out (a int);`))
      .toThrow(/@sink of stream 'Out'.*needs sink.id='…'/);
    expect(plan(`@sink(type='http-call', sink.id='x', publisher.url='localhost:8080/abc') define stream Out (a int);`))
      .toThrow(/@sink of stream 'Out'.*publisher.url 'localhost:8080\/abc'/);
    expect(plan(`@sink(type='http-call', sink.id='x', publisher.url='http://h/{{nme}}') define stream Out (name string);`))
      .toThrow(/@sink of stream 'Out'.*names 'nme', which is not an attribute/);
    expect(plan(`@sink(type='http-call', sink.id='x', publisher.url='http://h/', basic.auth.username='u') define stream Out (a int);`))
      .toThrow(/@sink of stream 'Out'.*basic.auth.username and basic.auth.password go together/);
    expect(plan(`@source(type='http-call-response') define stream In (a int);`))
      .toThrow(/@source of stream 'In'.*needs sink.id='…'/);
    expect(plan(`@source(type='http-call-response', sink.id='x', http.status.code='2(') define stream In (a int);`))
      .toThrow(/@source of stream 'In'.*http.status.code '2\(' is not a regular expression/);
  });
});
