// The ioredis connection of the redis-stream source and sink, imported on
// first use so apps without Redis never load it.

import type { Redis } from 'ioredis';

export type RedisClient = Redis;

export async function connectRedis(url: string): Promise<RedisClient> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  await client.connect();
  return client;
}
