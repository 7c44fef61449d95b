// http-service source + http-service-response sink over real sockets on
// 127.0.0.1 (ephemeral ports); every test awaits real HTTP responses.
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';
import { startApp as start } from './start-app.js';

const running: SiddhiAppRuntime[] = [];
const startApp = (text: string, manager?: SiddhiManager) => start(running, text, manager);
afterEach(() => {
  for (const r of running.splice(0)) r.shutdown();
});


const post = (url: string, body: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', body, headers });

// The reference's sample On-demandProcessing/HTTP-Service.siddhi, on a free port instead of 5005.
const SAMPLE = `@App:name("HTTP-Service")
@App:description('Use siddhi as a HTTP service')

@source(type = 'http-service', receiver.url = 'http://127.0.0.1:0/add',
	source.id = 'adder',
	@map(type = 'json',
		@attributes(messageId = 'trp:messageId', value1 = '$.event.value1', value2 = '$.event.value2')))
define stream AddStream (messageId string, value1 long, value2 long);

@sink(type = 'http-service-response', source.id = 'adder',
	message.id = '{{messageId}}',
	@map(type = 'json'))
define stream ResultStream (messageId string, results long);

@info(name = 'EventPassThrough')
from AddStream
select messageId, value1 + value2 as results
insert into ResultStream;`;

describe('http-service source and http-service-response sink', () => {
  it('runs the HTTP-Service sample: each POST is answered with its own result and message id', async () => {
    const { runtime, errors } = await startApp(SAMPLE);
    const url = runtime.sources()[0]!.address!;
    expect(runtime.sources()[0]!.type).toBe('http-service');
    const [a, b] = await Promise.all([
      // As the sample's curl sends it: value1 as a string (a custom mapping reads its text as a long).
      post(url, '{"event":{"value1":"12","value2":20}}', { 'content-type': 'application/json' }),
      post(url, '{"event":{"value1":1,"value2":2}}'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.headers.get('content-type')).toBe('application/json');
    const ja = await a.json() as { event: { messageId: string; results: number } };
    const jb = await b.json() as { event: { messageId: string; results: number } };
    expect([ja.event.results, jb.event.results]).toEqual([32, 3]);
    expect(ja.event.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(jb.event.messageId).not.toBe(ja.event.messageId);
    expect(errors).toEqual([]);
  });

  it('answers 504 after connection.timeout when no response is sent, then keeps serving', async () => {
    const { runtime } = await startApp(`
      @source(type='http-service', receiver.url='http://127.0.0.1:0/f', source.id='s', connection.timeout='50',
        @map(type='json', @attributes(id='trp:messageId', n='$.n')))
      define stream In (id string, n int);
      @sink(type='http-service-response', source.id='s', message.id='{{id}}', @map(type='text', @payload('n={{n}}')))
      define stream Out (id string, n int);
      from In[n > 0] select * insert into Out;`);
    const url = runtime.sources()[0]!.address!;
    const dropped = await post(url, '{"n":0}');
    expect(dropped.status).toBe(504);
    expect(await dropped.text()).toMatch(/no response within 50 ms/);
    const ok = await post(url, '{"n":7}');
    expect([ok.status, await ok.text(), ok.headers.get('content-type')]).toEqual([200, 'n=7', 'text/plain']);
  });

  it('answers 400 at once for a payload that does not map, reports it and goes on', async () => {
    const { runtime, errors } = await startApp(SAMPLE);
    const url = runtime.sources()[0]!.address!;
    const bad = await post(url, '{"event":{"value1":1');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/payload does not map: not valid JSON/);
    expect((await post(url, '')).status).toBe(400);
    expect(errors).toEqual([expect.stringMatching(/^source 'http-service' of stream 'AddStream': payload does not map/)]);
    const ok = await post(url, '{"event":{"value1":2,"value2":3}}');
    expect(((await ok.json()) as { event: { results: number } }).event.results).toBe(5);
  });

  it('reports a response to a message id with no open request, and to a source.id nobody runs', async () => {
    const { runtime, errors } = await startApp(`
      @source(type='http-service', receiver.url='http://127.0.0.1:0/x', source.id='svc', @map(type='json'))
      define stream In (a int);
      define stream Reply (id string, a int);
      @sink(type='http-service-response', source.id='svc', message.id='{{id}}')
      define stream Out (id string, a int);
      @sink(type='http-service-response', source.id='other', message.id='{{id}}')
      define stream Lost (id string, a int);
      from Reply select * insert into Out;
      from Reply select * insert into Lost;`);
    runtime.getInputHandler('Reply').send(['no-such-id', 1]);
    expect(errors).toEqual([
      "sink 'http-service-response' of stream 'Out': no open request with message id 'no-such-id' at source.id 'svc' (answered already, timed out, or never received)",
      "sink 'http-service-response' of stream 'Lost': no http-service source with source.id 'other' is running (running: svc)",
    ]);
  });

  it('gives the request headers as trp:<header>, and answers only once per message id', async () => {
    const { runtime, errors } = await startApp(`
      @source(type='http-service', receiver.url='http://127.0.0.1:0/h', source.id='h',
        @map(type='json', @attributes(id='trp:messageId', client='trp:X-Client', tries='trp:x-tries', v='$.v')))
      define stream In (id string, client string, tries int, v double);
      @sink(type='http-service-response', source.id='h', message.id='{{id}}', headers="'X-Served-By:siddhi'",
        @map(type='json', @payload('{"client":"{{client}}","tries":{{tries}},"v":{{v}}}')))
      define stream Out (id string, client string, tries int, v double);
      from In select * insert into Out;
      from In select * insert into Out;`);
    const res = await post(runtime.sources()[0]!.address!, '{"v":1.5}', { 'x-client': 'curl', 'X-Tries': '3' });
    expect(res.headers.get('x-served-by')).toBe('siddhi');
    expect(await res.json()).toEqual({ client: 'curl', tries: 3, v: 1.5 });
    // The second query's answer for the same request finds it answered.
    expect(errors).toEqual([expect.stringMatching(/no open request with message id '[0-9a-f-]{36}' at source.id 'h'/)]);
  });

  it("answers the requests still open with 503 at shutdown", async () => {
    const { runtime } = await startApp(`
      @source(type='http-service', receiver.url='http://127.0.0.1:0/p', source.id='p', @map(type='json'))
      define stream In (a int);
      define stream Never (id string);
      @sink(type='http-service-response', source.id='p', message.id='{{id}}')
      define stream Out (id string);
      from Never select * insert into Out;`);
    const got = new Promise<void>((resolve) => runtime.addCallback('In', () => resolve()));
    const pending = post(runtime.sources()[0]!.address!, '{"event":{"a":1}}');
    await got;
    runtime.shutdown();
    const res = await pending;
    expect([res.status, await res.text()]).toEqual([503, "source.id 'p' stopped\n"]);
  });

  it('maps an XML request with XPaths and answers with an xml @payload (the reference test case)', async () => {
    const { runtime } = await startApp(`
      @Source(type = 'http-service', source.id='testsource', basic.auth.enabled='false', receiver.url='http://127.0.0.1:0/TestHTTPRequestResponse/InputStream',
        @map(type='xml', @attributes(messageId='trp:messageId', param1='/event/param1', param2='/event/param2')))
      define stream InputStream (messageId string, param1 string, param2 string);
      @sink(type='http-service-response', source.id='testsource', message.id='{{messageId}}',
        @map(type='xml', @payload('<event><param1>{{param1}}</param1></event>')))
      define stream OutputStream (messageId string, param1 string);
      from InputStream select messageId, param1 insert into OutputStream;`);
    const res = await post(runtime.sources()[0]!.address!, '<event>\n  <param1>param1</param1>\n  <param2>param2</param2>\n</event>', { 'content-type': 'application/xml' });
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([200, 'application/xml', '<event><param1>param1</param1></event>']);
  });

  it('answers with form text for a keyvalue response', async () => {
    const { runtime } = await startApp(`
      @source(type='http-service', receiver.url='http://127.0.0.1:0/kv', source.id='kv', @map(type='keyvalue', @attributes(id='trp:messageId', a='a')))
      define stream In (id string, a int);
      @sink(type='http-service-response', source.id='kv', message.id='{{id}}', @map(type='keyvalue', @payload(doubled='twice', note='\`ok\`')))
      define stream Out (id string, twice int);
      from In select id, a * 2 as twice insert into Out;`);
    const res = await post(runtime.sources()[0]!.address!, 'a=21', { 'content-type': 'application/x-www-form-urlencoded' });
    expect([res.headers.get('content-type'), await res.text()]).toEqual(['application/x-www-form-urlencoded', 'doubled=42&note=ok']);
  });

  it("shares a host:port with an http source, which also reads trp:<header>", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { runtime } = await startApp(`
      @source(type='http', receiver.url='http://127.0.0.1:${port}/plain', @map(type='json', @attributes(who='trp:X-Who', a='$.a')))
      define stream Plain (who string, a int);
      @source(type='http-service', receiver.url='http://127.0.0.1:${port}/svc', source.id='svc', @map(type='json', @attributes(id='trp:messageId', a='$.a')))
      define stream In (id string, a int);
      @sink(type='http-service-response', source.id='svc', message.id='{{id}}', @map(type='text', @payload('{{a}}')))
      define stream Out (id string, a int);
      from In select * insert into Out;`);
    const plain = new Promise<unknown[]>((resolve) => runtime.addCallback('Plain', (es) => resolve([...es[0]!.data])));
    expect((await post(`http://127.0.0.1:${port}/plain`, '{"a":1}', { 'x-who': 'me' })).status).toBe(200);
    expect(await plain).toEqual(['me', 1]);
    expect(await (await post(`http://127.0.0.1:${port}/svc`, '{"a":2}')).text()).toBe('2');
  });

  it('takes the older names http-request / http-response', async () => {
    const { runtime } = await startApp(SAMPLE.replace("type = 'http-service'", "type = 'http-request'").replace("type = 'http-service-response'", "type = 'http-response'"));
    const res = await post(runtime.sources()[0]!.address!, '{"event":{"value1":4,"value2":5}}');
    expect(((await res.json()) as { event: { results: number } }).event.results).toBe(9);
  });

  it('refuses a second source with the same source.id when it starts', async () => {
    const manager = new SiddhiManager();
    const app = (name: string) => `@app:name('${name}')
      @source(type='http-service', receiver.url='http://127.0.0.1:0/${name}', source.id='dup', @map(type='json'))
      define stream In (a int);`;
    await startApp(app('first'), manager);
    const second = manager.createSiddhiAppRuntime(app('second'));
    running.push(second);
    second.onError(() => {});
    second.start();
    await expect(second.ready()).rejects.toThrow(/source.id 'dup' is already used by the http-service source of stream 'In'/);
  });

  it('refuses bad options at plan time, naming the stream and the option', () => {
    const plan = (text: string) => () => new SiddhiManager().createSiddhiAppRuntime(text);
    expect(plan(`@source(type='http-service', receiver.url='http://127.0.0.1:0/a') define stream In (a int);`))
      .toThrow(/@source of stream 'In'.*needs source.id='…'/);
    expect(plan(`@source(type='http-service', source.id='a', connection.timeout='soon') define stream In (a int);`))
      .toThrow(/@source of stream 'In'.*connection.timeout='soon' is not a number/);
    expect(plan(`@source(type='http-service', source.id='a', basic.auth.enabled='true') define stream In (a int);`))
      .toThrow(/@source of stream 'In'.*basic.auth.enabled='true' is not supported/);
    expect(plan(`@sink(type='http-service-response', source.id='a') define stream Out (id string);`))
      .toThrow(/@sink of stream 'Out'.*needs message.id='…'/);
    expect(plan(`@sink(type='http-service-response', source.id='a', message.id='{{mid}}') define stream Out (id string);`))
      .toThrow(/@sink of stream 'Out'.*@payload names 'mid', which is not an attribute/);
    expect(plan(`@source(type='http-service', source.id='a', @map(type='json', @attributes(id='trp:messageId', b='$.b'))) define stream In (id string);`))
      .toThrow(/@source of stream 'In'.*@attributes names 'b', which is not an attribute of stream 'In'/);
    // A header HTTP refuses would throw inside writeHead, leaving its request unanswered.
    expect(plan(`@sink(type='http-service-response', source.id='a', message.id='{{id}}', headers="'Content Type:x'") define stream Out (id string);`))
      .toThrow(/@sink of stream 'Out'.*'content type: x' is not a valid HTTP header/);
  });

  it('survives a client that breaks off while sending its body, and keeps serving', async () => {
    const { runtime, errors } = await startApp(SAMPLE);
    const url = new URL(runtime.sources()[0]!.address!);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`POST ${url.pathname} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"event":`);
        socket.destroy();
      });
      socket.on('close', () => resolve());
    });
    const ok = await post(url.href, '{"event":{"value1":1,"value2":2}}');
    expect(ok.status).toBe(200);
    expect(errors).toEqual([]);
  });
});
