// @source(type='redis-stream', stream.key='events', group='siddhi', consumer='c1'):
// reads a Redis stream through a consumer group (XREADGROUP) and acknowledges
// each batch after its events were processed. The last entry id delivered is a
// state cell: a restored app moves the group back to it (XGROUP SETID), so the
// entries after its checkpoint are read again — exactly once with the checkpoint.

import type { SourceKind } from '../contract.js';
import { connectRedis, redisUrlOf, type RedisClient } from './redis-client.js';

type Entry = [id: string, fields: string[]];

export function redisStreamSource(): SourceKind {
  return {
    defaultMapper: 'json',
    create(ctx) {
      const o = ctx.options;
      const url = redisUrlOf(o);
      const key = o.required('stream.key');
      const group = o.get('group', `siddhi-${ctx.appName}`);
      const consumer = o.get('consumer', 'consumer-1');
      const field = o.get('field', 'payload');
      const start = o.get('group.start', '$');
      const count = o.number('batch.size', 100);
      const block = o.number('block.ms', 500);
      let lastId: string | undefined;
      let restoredId: string | undefined;
      let client: RedisClient | undefined;
      let running = false;
      let loop: Promise<void> | undefined;
      ctx.keepState<{ lastId: string | null }>({
        capture: () => ({ lastId: lastId ?? null }),
        restore: (s) => {
          lastId = s.lastId ?? undefined;
          restoredId = lastId;
        },
      });

      const deliverAndAck = async (c: RedisClient, entries: Entry[]): Promise<void> => {
        for (const [id, fields] of entries) {
          const at = fields.indexOf(field);
          if (at >= 0 && at % 2 === 0) ctx.deliver(fields[at + 1]);
          else ctx.report(new Error(`entry ${id} of '${key}' has no field '${field}'`));
          lastId = id;
        }
        if (entries.length > 0) await c.xack(key, group, ...entries.map((e) => e[0]));
      };
      const read = async (c: RedisClient, id: string, blockMs?: number): Promise<Entry[]> => {
        const args: (string | number)[] = ['GROUP', group, consumer, 'COUNT', count];
        if (blockMs !== undefined) args.push('BLOCK', blockMs);
        const reply = (await c.call('XREADGROUP', ...args, 'STREAMS', key, id)) as [string, Entry[]][] | null;
        return reply?.[0]?.[1] ?? [];
      };
      const run = async (c: RedisClient): Promise<void> => {
        try {
          await c.call('XGROUP', 'CREATE', key, group, start, 'MKSTREAM');
        } catch (e) {
          if (!String((e as Error).message).includes('BUSYGROUP')) throw e;
        }
        const pending = await read(c, '0');
        if (restoredId !== undefined) {
          // Entries after the checkpoint come again through SETID; the rest were covered by it.
          if (pending.length > 0) await c.xack(key, group, ...pending.map((e) => e[0]));
          await c.call('XGROUP', 'SETID', key, group, restoredId);
          restoredId = undefined;
        } else {
          await deliverAndAck(c, pending);
        }
        while (running) await deliverAndAck(c, await read(c, '>', block));
      };
      return {
        start: async () => {
          running = true;
          client = await connectRedis(url);
          const c = client;
          loop = run(c).catch((e) => {
            if (running) ctx.report(e);
          });
        },
        stop: async () => {
          running = false;
          client?.disconnect();
          client = undefined;
          await loop;
        },
        address: () => `${url}/${key}`,
      };
    },
  };
}
