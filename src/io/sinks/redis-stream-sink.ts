// @sink(type='redis-stream', stream.key='alerts', field='payload', maxlen='10000'):
// appends each payload as one entry (XADD, auto-pipelined); maxlen trims the
// stream approximately.

import type { SinkKind } from '../contract.js';
import { connectRedis, redisUrlOf, type RedisClient } from '../sources/redis-client.js';

export function redisStreamSink(): SinkKind {
  return {
    defaultMapper: 'json',
    create(ctx) {
      const o = ctx.options;
      const url = redisUrlOf(o);
      const key = o.required('stream.key');
      const field = o.get('field', 'payload');
      const maxlen = o.has('maxlen') ? o.number('maxlen', 0) : undefined;
      let connecting: Promise<RedisClient> | undefined;
      return {
        start: async () => {
          connecting = connectRedis(url);
          await connecting;
        },
        publish: async (payload) => {
          if (!connecting) throw new Error(`not connected to ${url}`);
          const client = await connecting;
          const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
          if (maxlen !== undefined) await client.xadd(key, 'MAXLEN', '~', maxlen, '*', field, text);
          else await client.xadd(key, '*', field, text);
        },
        stop: async () => {
          const c = connecting;
          connecting = undefined;
          (await c)?.disconnect();
        },
      };
    },
  };
}
