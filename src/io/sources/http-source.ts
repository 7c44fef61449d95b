// @source(type='http', receiver.url='http://0.0.0.0:9763/app/Stream'): POSTed
// bodies are mapped (json by default) and sent in; 200 when every event went
// in, 400 with the reasons when not, 404/405/413 for wrong path, method, size.
// Sources on the same host:port share one node:http server.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Delivery, SourceKind } from '../contract.js';

interface Route {
  readonly limit: number;
  readonly deliver: (payload: unknown) => Delivery;
}

interface SharedServer {
  readonly server: Server;
  readonly routes: Map<string, Route>;
  readonly listening: Promise<void>;
}

export function httpSource(): SourceKind {
  const servers = new Map<string, SharedServer>();
  return {
    defaultMapper: 'json',
    create(ctx) {
      const url = new URL(ctx.options.get('receiver.url', `http://0.0.0.0:9763/${ctx.appName}/${ctx.streamName}`));
      if (url.protocol !== 'http:') throw new Error(`receiver.url '${url.href}': only http:// is supported`);
      const key = `${url.hostname}:${url.port || '80'}`;
      const route: Route = { limit: ctx.options.number('body.limit', 1 << 20), deliver: (p) => ctx.deliver(p) };
      let shared: SharedServer | undefined;
      return {
        start: () => {
          shared = servers.get(key);
          if (!shared) {
            shared = listen(url.hostname, Number(url.port || 80));
            // An ephemeral port (0) is never shared: each source gets its own.
            if (url.port !== '0') servers.set(key, shared);
          }
          if (shared.routes.has(url.pathname)) throw new Error(`${url.href} is already served by another source`);
          shared.routes.set(url.pathname, route);
          return shared.listening;
        },
        stop: async () => {
          if (!shared) return;
          const s = shared;
          shared = undefined;
          s.routes.delete(url.pathname);
          if (s.routes.size > 0) return;
          if (servers.get(key) === s) servers.delete(key);
          await new Promise<void>((resolve) => {
            s.server.close(() => resolve());
            s.server.closeAllConnections();
          });
        },
        address: () => {
          const a = shared?.server.address() as AddressInfo | null | undefined;
          if (!a) return undefined;
          const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          return `http://${host}:${a.port}${url.pathname}`;
        },
      };
    },
  };
}

function listen(host: string, port: number): SharedServer {
  const routes = new Map<string, Route>();
  const server = createServer((req, res) => void handle(routes, req, res));
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, routes, listening };
}

async function handle(routes: Map<string, Route>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const route = routes.get(path);
  if (!route) return answer(res, 404, `no source at ${path}`);
  if (req.method !== 'POST') return answer(res, 405, 'POST only');
  const body = await readBody(req, route.limit);
  if (body === undefined) return answer(res, 413, `body larger than ${route.limit} bytes`);
  const result = route.deliver(body.toString('utf8'));
  if (result.errors.length > 0) return answer(res, 400, result.errors.join('\n'));
  answer(res, 200, `accepted ${result.accepted}`);
}

/** The body, or undefined once it passes `limit` bytes (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'keep-alive' });
  res.end(`${text}\n`);
}
