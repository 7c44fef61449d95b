// The ioredis connection of the redis-stream source and sink, imported on
// first use so apps without Redis never load it.

import type { Redis } from 'ioredis';
import type { IoOptions } from '../io-options.js';

export type RedisClient = Redis;

export async function connectRedis(url: string): Promise<RedisClient> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  await client.connect();
  return client;
}

/** `url='redis://…'`, else `host` and `port` (default 127.0.0.1:6379): the source's and sink's common options. */
export function redisUrlOf(o: IoOptions): string {
  return o.get('url', `redis://${o.get('host', '127.0.0.1')}:${o.get('port', '6379')}`);
}
