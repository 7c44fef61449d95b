// Real sockets on 127.0.0.1 with ephemeral ports; no mocks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';

const running: SiddhiAppRuntime[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) r.shutdown();
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => { s.closeAllConnections(); s.close(done); })));
});

async function startApp(text: string, manager = new SiddhiManager()): Promise<SiddhiAppRuntime> {
  const runtime = manager.createSiddhiAppRuntime(text);
  running.push(runtime);
  runtime.start();
  await runtime.ready();
  return runtime;
}

/** A receiving server that answers with `statuses` in turn (then 200) and keeps the bodies. */
async function receiver(statuses: number[] = []): Promise<{ url: string; bodies: string[]; types: string[]; arrived: (n: number) => Promise<void> }> {
  const bodies: string[] = [];
  const types: string[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      if (status === 200) {
        bodies.push(body);
        types.push(req.headers['content-type'] ?? '');
      }
      res.writeHead(status).end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const arrived = async (n: number) => {
    while (bodies.length < n) await new Promise<void>((r) => waiters.push(r));
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`, bodies, types, arrived };
}

describe('http source', () => {
  const app = `
    @source(type='http', receiver.url='http://127.0.0.1:0/stocks', body.limit='200', @map(type='json'))
    define stream S (symbol string, price double);
    from S select * insert into Out;`;

  it('answers 200 for events that went in, 400 with the reason for those that did not, and 404/405/413', async () => {
    const runtime = await startApp(app);
    const out: unknown[][] = [];
    const errors: string[] = [];
    runtime.onError((e) => errors.push(e.message));
    runtime.addCallback('Out', (es) => out.push(...es.map((e) => [...e.data])));
    const url = runtime.sources()[0]!.address!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/stocks$/);
    const post = (body: string, to = url) => fetch(to, { method: 'POST', body });
    const ok = await post('{"event":{"symbol":"IBM","price":75.5}}');
    expect([ok.status, await ok.text()]).toEqual([200, 'accepted 1\n']);
    const many = await post('[{"event":{"symbol":"A","price":1}},{"event":{"symbol":"B","price":2}}]');
    expect(many.status).toBe(200);
    const bad = await post('{"event":{"symbol":"IBM"');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/payload does not map: not valid JSON/);
    expect((await post('{}', url.replace('/stocks', '/nope'))).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
    expect((await post(`{"event":{"symbol":"${'x'.repeat(300)}","price":1}}`)).status).toBe(413);
    expect(out).toEqual([['IBM', 75.5], ['A', 1], ['B', 2]]);
    expect(errors).toEqual([expect.stringMatching(/^source 'http' of stream 'S': payload does not map/)]);
  });

  it('stops listening on shutdown', async () => {
    const runtime = await startApp(app);
    const url = runtime.sources()[0]!.address!;
    runtime.shutdown();
    await new Promise((r) => setTimeout(r, 20));
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});

describe('http sink', () => {
  it('POSTs json and retries a failing answer with back-off', async () => {
    const target = await receiver([500, 503]);
    const runtime = await startApp(`@app:playback
      define stream S (symbol string, price double);
      @sink(type='http', publisher.url='${target.url}', retry.interval='5', @map(type='json'))
      define stream Out (symbol string, price double);
      from S select * insert into Out;`);
    runtime.getInputHandler('S').send(['IBM', 1.5], 1);
    await target.arrived(1);
    expect(target.bodies).toEqual(['{"event":{"symbol":"IBM","price":1.5}}']);
    expect(target.types).toEqual(['application/json']);
  });

  it('picks the Content-Type by the @map type unless headers or content.type name one', async () => {
    const target = await receiver();
    const runtime = await startApp(`@app:playback
      define stream S (a int);
      @sink(type='http', publisher.url='${target.url}', @map(type='xml'))
      define stream X (a int);
      @sink(type='http', publisher.url='${target.url}', @map(type='keyvalue'))
      define stream K (a int);
      @sink(type='http', publisher.url='${target.url}', headers="'Content-Type:text/csv'", @map(type='text'))
      define stream H (a int);
      @sink(type='http', publisher.url='${target.url}', content.type='application/vnd.x', @map(type='json'))
      define stream C (a int);
      from S select * insert into X;
      from S[a > 1] select * insert into K;
      from S[a > 2] select * insert into H;
      from S[a > 3] select * insert into C;`);
    const errors: string[] = [];
    runtime.onError((e) => errors.push(e.message));
    for (let a = 1; a <= 4; a++) {
      runtime.getInputHandler('S').send([a], a);
      await target.arrived(a * (a + 1) / 2);
    }
    const seen = target.types.map((t, i) => `${t} ${target.bodies[i]!.replace(/\s+/g, '')}`);
    expect(seen).toContain('application/xml <events><event><a>1</a></event></events>');
    expect(seen).toContain('application/x-www-form-urlencoded a=2');
    expect(seen.filter((s) => s.startsWith('text/csv'))).toHaveLength(2);
    expect(seen).toContain('application/vnd.x {"event":{"a":4}}');
    expect(errors).toEqual([]);
  });

  it('refuses a publisher.url that is not an http:// URL with a plan error naming it', () => {
    const manager = new SiddhiManager();
    for (const url of ['not a url', 'https://127.0.0.1:1/in']) {
      expect(() => manager.createSiddhiAppRuntime(`define stream S (a int);
        @sink(type='http', publisher.url='${url}') define stream Out (a int);
        from S select * insert into Out;`)).toThrow(/publisher\.url '[^']*'/);
    }
  });

  it("on.error='LOG' reports a publish that failed after its retries", async () => {
    const target = await receiver([500, 500]);
    const runtime = await startApp(`@app:playback
      define stream S (a int);
      @sink(type='http', publisher.url='${target.url}', retry.count='1', retry.interval='1')
      define stream Out (a int);
      from S select * insert into Out;`);
    const errors: string[] = [];
    const failed = new Promise<void>((r) => runtime.onError((e) => { errors.push(e.message); r(); }));
    runtime.getInputHandler('S').send([1], 1);
    await failed;
    expect(errors[0]).toMatch(/^sink 'http' of stream 'Out': POST .* answered 500/);
    runtime.getInputHandler('S').send([2], 2);
    await target.arrived(1);
    expect(target.bodies).toEqual(['{"event":{"a":2}}']);
  });

  it("on.error='WAIT' keeps the order and retries until the receiver takes it", async () => {
    const target = await receiver([500, 500]);
    const runtime = await startApp(`@app:playback
      define stream S (a int);
      @sink(type='http', publisher.url='${target.url}', retry.count='0', on.error='WAIT')
      define stream Out (a int);
      from S select * insert into Out;`);
    runtime.onError(() => {});
    for (let i = 1; i <= 3; i++) runtime.getInputHandler('S').send([i], i);
    await target.arrived(3);
    expect(target.bodies).toEqual([1, 2, 3].map((a) => `{"event":{"a":${a}}}`));
  });
});
