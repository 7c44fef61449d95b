// @source(type='http', receiver.url='http://0.0.0.0:9763/app/Stream'): POSTed
// bodies are mapped (json by default; `trp:<header>` reads a request header)
// and sent in; 200 when every event went in, 400 with the reasons when not,
// 404/405/413 for wrong path, method, size.
// Sources on the same host:port share one node:http server (HttpServerPool).

import type { SourceKind } from '../contract.js';
import { answer, HttpServerPool, receiverUrlOf, requestHeader, type HttpEndpoint } from './http-server-pool.js';

export function httpSource(pool = new HttpServerPool()): SourceKind {
  return {
    defaultMapper: 'json',
    create(ctx) {
      const url = receiverUrlOf(ctx);
      const limit = ctx.options.number('body.limit', 1 << 20);
      let endpoint: HttpEndpoint | undefined;
      return {
        start: () => {
          endpoint = pool.open(url, {
            limit,
            handle: (body, req, res) => {
              const result = ctx.deliver(body, (name) => requestHeader(req, name));
              if (result.errors.length > 0) answer(res, 400, result.errors.join('\n'));
              else answer(res, 200, `accepted ${result.accepted}`);
            },
          });
          return endpoint.listening;
        },
        stop: async () => {
          const e = endpoint;
          endpoint = undefined;
          await e?.close();
        },
        address: () => endpoint?.address(),
      };
    },
  };
}
