// The node:http servers of the http and http-service sources of one
// SiddhiManager: sources on the same host:port share one server, each on its
// own path. The pool reads POST bodies and answers 404/405/413 itself.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SourceContext } from '../contract.js';

/** What one source serves at its path. */
export interface HttpRoute {
  /** Largest body in bytes; a larger one is answered 413. */
  readonly limit: number;
  /** Answers a POST whose body was read. */
  handle(body: string, req: IncomingMessage, res: ServerResponse): void;
}

/** A route being served. */
export interface HttpEndpoint {
  /** Resolves once the server listens; rejects when it cannot (a port in use). */
  readonly listening: Promise<void>;
  close(): Promise<void>;
  /** The actual URL (with the port picked for port 0). */
  address(): string | undefined;
}

interface SharedServer {
  readonly server: Server;
  readonly routes: Map<string, HttpRoute>;
  readonly listening: Promise<void>;
}

/** `receiver.url` of an http source, `http://0.0.0.0:9763/<app>/<stream>` by default. */
export function receiverUrlOf(ctx: SourceContext): URL {
  const url = new URL(ctx.options.get('receiver.url', `http://0.0.0.0:9763/${ctx.appName}/${ctx.streamName}`));
  if (url.protocol !== 'http:') throw new Error(`receiver.url '${url.href}': only http:// is supported`);
  return url;
}

export class HttpServerPool {
  private readonly servers = new Map<string, SharedServer>();

  /** Serves `route` at the URL's path; throws when another source serves that path. */
  open(url: URL, route: HttpRoute): HttpEndpoint {
    const key = `${url.hostname}:${url.port || '80'}`;
    let shared = this.servers.get(key);
    if (!shared) {
      shared = listen(url.hostname, Number(url.port || 80));
      // An ephemeral port (0) is never shared: each source gets its own.
      if (url.port !== '0') this.servers.set(key, shared);
    }
    if (shared.routes.has(url.pathname)) throw new Error(`${url.href} is already served by another source`);
    shared.routes.set(url.pathname, route);
    const s = shared;
    let open = true;
    return {
      listening: s.listening,
      close: async () => {
        if (!open) return;
        open = false;
        s.routes.delete(url.pathname);
        if (s.routes.size > 0) return;
        if (this.servers.get(key) === s) this.servers.delete(key);
        await new Promise<void>((resolve) => {
          s.server.close(() => resolve());
          s.server.closeAllConnections();
        });
      },
      address: () => {
        const a = open ? (s.server.address() as AddressInfo | null) : null;
        if (!a) return undefined;
        const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
        return `http://${host}:${a.port}${url.pathname}`;
      },
    };
  }
}

function listen(host: string, port: number): SharedServer {
  const routes = new Map<string, HttpRoute>();
  // A client that breaks off while sending its body fails the read: its socket goes, not the process.
  const server = createServer((req, res) => void serve(routes, req, res).catch(() => res.destroy()));
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, routes, listening };
}

async function serve(routes: Map<string, HttpRoute>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const route = routes.get(path);
  if (!route) return answer(res, 404, `no source at ${path}`);
  if (req.method !== 'POST') return answer(res, 405, 'POST only');
  const body = await readBody(req, route.limit);
  if (body === undefined) return answer(res, 413, `body larger than ${route.limit} bytes`);
  // The source may have stopped while the body arrived.
  if (routes.get(path) !== route) return answer(res, 503, `no source at ${path} any more`);
  route.handle(body.toString('utf8'), req, res);
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

/** A request header by name, any case (`trp:<header>` of the http sources); several values joined by ','. */
export function requestHeader(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

/** A plain-text answer on a kept-alive connection. */
export function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'keep-alive' });
  res.end(`${text}\n`);
}
