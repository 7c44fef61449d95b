// @source(type='http-service', receiver.url='…', source.id='adder'): each
// POST is held open under a new message id (`trp:messageId` in the @map) until
// the http-service-response sink with the same source.id answers it; 400 at
// once when its payload does not map, 504 after connection.timeout.

import type { SourceKind } from '../contract.js';
import type { HttpServiceRequests, ServiceDesk } from '../http-service-requests.js';
import { answer, HttpServerPool, receiverUrlOf, requestHeader, type HttpEndpoint } from './http-server-pool.js';

export function httpServiceSource(requests: HttpServiceRequests, pool = new HttpServerPool()): SourceKind {
  return {
    defaultMapper: 'json',
    create(ctx) {
      const url = receiverUrlOf(ctx);
      const sourceId = ctx.options.required('source.id');
      const timeout = ctx.options.number('connection.timeout', 120_000);
      const limit = ctx.options.number('body.limit', 1 << 20);
      // The reference checks credentials against the server's user store, which siddhi-ts does not have.
      if (ctx.options.bool('basic.auth.enabled', false)) throw new Error(`basic.auth.enabled='true' is not supported (no user store to check credentials against)`);
      let endpoint: HttpEndpoint | undefined;
      let desk: ServiceDesk | undefined;
      return {
        start: () => {
          desk = requests.open(sourceId, ctx.streamName);
          const held = desk;
          try {
            endpoint = pool.open(url, {
              limit,
              handle: (body, req, res) => {
                if (body === '') return answer(res, 400, 'empty payload');
                const messageId = held.hold(res, timeout);
                if (messageId === undefined) return;
                // Held before deliver: the response may be sent while the events are processed.
                const result = ctx.deliver(body, (name) => (name === 'messageId' ? messageId : requestHeader(req, name)));
                if (result.accepted === 0) held.answer(messageId, 400, result.errors.join('\n') || 'no event in the payload');
              },
            });
          } catch (e) {
            void held.close();
            desk = undefined;
            throw e;
          }
          return endpoint.listening;
        },
        stop: async () => {
          const d = desk;
          desk = undefined;
          await d?.close();
          const e = endpoint;
          endpoint = undefined;
          await e?.close();
        },
        address: () => endpoint?.address(),
      };
    },
  };
}
