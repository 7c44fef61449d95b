// The Redis Streams broker: inputs in `in:{app}:{p}`, outputs in `out:{app}:{p}`,
// leases `lease:{app}:{p}` = "owner:epoch" with a TTL, records `ckpt:{app}:{p}`,
// and `commit:{app}:{p}` = {n, lease}: the number of the last commit applied and its lease.
// Claims, renewals and commits are Lua scripts, so the lease check and the
// writes it guards happen as one step on the server (the fencing).

import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Broker, ClusterMeta, CommitRequest, InputEntry, Lease, RouterSend } from './broker.js';
import { decodeRows } from './output-rows.js';

const CLAIM = `if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local e = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. e, 'PX', ARGV[2])
return e`;

const RENEW = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

// KEYS: lease, out, ckpt, in, commit. ARGV: lease value, output, output lines, record, trim offset, commit number.
// A commit is applied once: its number must follow the last one applied (none stored: 0). The same number again
// under the same lease is that commit resent after its reply was lost (ioredis resends a command in flight when
// the connection closes; a runner resends a commit whose call failed): acknowledged (2) without writing again.
const COMMIT = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local last = redis.call('HMGET', KEYS[5], 'n', 'lease')
local n, want = tonumber(last[1]) or 0, tonumber(ARGV[6])
if want == n and last[2] == ARGV[1] then return 2 end
if want ~= n + 1 then return redis.error_reply('commit ' .. ARGV[6] .. ' under lease ' .. ARGV[1] .. ' is out of order: the last applied is ' .. n .. ' (lease ' .. tostring(last[2]) .. ')') end
if tonumber(ARGV[3]) > 0 then redis.call('XADD', KEYS[2], '*', 'n', ARGV[3], 'rows', ARGV[2]) end
redis.call('SET', KEYS[3], ARGV[4])
redis.call('HSET', KEYS[5], 'n', ARGV[6], 'lease', ARGV[1])
if ARGV[5] ~= '' then redis.call('XTRIM', KEYS[4], 'MINID', ARGV[5]) end
return 1`;

// The roster: a sorted set scored by expiry (server time), so workers need no synchronised clocks.
const HEARTBEAT = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)`;

type Script = (...args: (string | number | Buffer)[]) => Promise<unknown>;
type Entry = [id: string, fields: string[]];

export class RedisBroker implements Broker {
  private readonly scripts: Record<'claim' | 'renew' | 'release' | 'commit' | 'heartbeat', Script>;
  /** The router's appends, on a connection of their own that never resends (opened on the first append). */
  private appender: Promise<Redis> | undefined;

  private constructor(
    private readonly cmd: Redis,
    /** Blocking reads get their own connection, so leases and commits never wait behind them. */
    private readonly reader: Redis,
    readonly app: string,
    readonly partitions: number,
    private readonly open: (resend: boolean) => Promise<Redis>,
  ) {
    const define = (name: string, keys: number, lua: string): Script => {
      cmd.defineCommand(`siddhi_${name}`, { numberOfKeys: keys, lua });
      const fn = (cmd as unknown as Record<string, Script>)[`siddhi_${name}`]!;
      return fn.bind(cmd);
    };
    this.scripts = {
      claim: define('claim', 2, CLAIM),
      renew: define('renew', 1, RENEW),
      release: define('release', 1, RELEASE),
      commit: define('commit', 5, COMMIT),
      heartbeat: define('heartbeat', 1, HEARTBEAT),
    };
  }

  static async connect(url: string, app: string, partitions: number): Promise<RedisBroker> {
    const { Redis } = await import('ioredis');
    const open = async (resend: boolean): Promise<Redis> => {
      const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, autoResendUnfulfilledCommands: resend });
      // Connection errors reach the callers as failed commands; unheard, ioredis would print each retry.
      c.on('error', () => undefined);
      await c.connect();
      return c;
    };
    return new RedisBroker(await open(true), await open(true), app, partitions, open);
  }

  /** The broker of an app that a router started (its stored partition count); undefined when there is none. */
  static async open(url: string, app: string): Promise<RedisBroker | undefined> {
    const probe = await RedisBroker.connect(url, app, 0);
    const meta = await probe.cmd.get(probe.key('meta'));
    await probe.close();
    return meta === null ? undefined : RedisBroker.connect(url, app, (JSON.parse(meta) as ClusterMeta).partitions);
  }

  private key(kind: string, partition?: number): string {
    return partition === undefined ? `${kind}:{${this.app}}` : `${kind}:{${this.app}}:${partition}`;
  }

  async meta(meta: ClusterMeta): Promise<ClusterMeta> {
    await this.cmd.set(this.key('meta'), JSON.stringify(meta), 'NX');
    return JSON.parse((await this.cmd.get(this.key('meta')))!) as ClusterMeta;
  }

  async append(send: RouterSend): Promise<void> {
    // MULTI: a router that dies mid-send leaves all of it or none, so its stored position never lies.
    // Never resent: redis may have run a MULTI whose replies were lost with the connection, and ioredis
    // would send it again on reconnecting (the batches appended twice). The call fails instead; a router
    // started again resumes from the position stored with the batches, or without them.
    const conn = await (this.appender ??= this.open(false).catch((err: unknown) => {
      this.appender = undefined;
      throw err;
    }));
    const tx = conn.multi();
    for (const { partition, bodies, events } of send.batches) {
      for (const body of bodies) tx.xadd(this.key('in', partition), '*', 'b', body);
      tx.hincrby(this.key('routed'), String(partition), events);
    }
    if (send.position) tx.hset(this.key('router'), send.position.input, send.position.state);
    const replies = await tx.exec();
    const failed = replies?.find(([err]) => err !== null);
    if (failed) throw failed[0]!;
  }

  async position(input: string): Promise<string | undefined> {
    return (await this.cmd.hget(this.key('router'), input)) ?? undefined;
  }

  async finish(events: number): Promise<void> {
    await this.cmd.set(this.key('done'), String(events));
  }

  async read(after: ReadonlyMap<number, string>, count: number, blockMs: number): Promise<Map<number, InputEntry[]>> {
    const out = new Map<number, InputEntry[]>();
    if (after.size === 0) return out;
    const parts = [...after.keys()];
    const reply = (await this.reader.call('XREAD', 'COUNT', count, 'BLOCK', blockMs, 'STREAMS',
      ...parts.map((p) => this.key('in', p)), ...parts.map((p) => after.get(p)!))) as [string, Entry[]][] | null;
    for (const [key, entries] of reply ?? []) {
      const p = Number(key.slice(key.lastIndexOf(':') + 1));
      out.set(p, entries.map(([id, fields]) => ({ id, body: fields[fields.indexOf('b') + 1]! })));
    }
    return out;
  }

  async claim(partition: number, owner: string, ttlMs: number): Promise<Lease | undefined> {
    const epoch = await this.scripts.claim(this.key('lease', partition), this.key('epoch', partition), owner, ttlMs);
    return typeof epoch === 'number' ? { partition, owner, epoch } : undefined;
  }

  async renew(lease: Lease, ttlMs: number): Promise<boolean> {
    return (await this.scripts.renew(this.key('lease', lease.partition), leaseValue(lease), ttlMs)) === 1;
  }

  async release(lease: Lease): Promise<void> {
    await this.scripts.release(this.key('lease', lease.partition), leaseValue(lease));
  }

  async commit(c: CommitRequest): Promise<boolean> {
    const p = c.lease.partition;
    const done = await this.scripts.commit(this.key('lease', p), this.key('out', p), this.key('ckpt', p), this.key('in', p), this.key('commit', p),
      leaseValue(c.lease), asBuffer(c.output), c.outputLines, c.record, c.trimBelow ?? '', c.commit);
    return done === 1 || done === 2;
  }

  async owners(): Promise<(Lease | undefined)[]> {
    const values = await this.cmd.mget(...this.range().map((p) => this.key('lease', p)));
    return values.map((v, partition) => {
      if (v === null) return undefined;
      const at = v.lastIndexOf(':');
      return { partition, owner: v.slice(0, at), epoch: Number(v.slice(at + 1)) };
    });
  }

  async heartbeat(owner: string, ttlMs: number): Promise<string[]> {
    // ZRANGE orders by expiry; every worker must rank the roster the same way.
    return ((await this.scripts.heartbeat(this.key('workers'), owner, ttlMs)) as string[]).sort();
  }

  async leave(owner: string): Promise<void> {
    await this.cmd.zrem(this.key('workers'), owner);
  }

  async records(): Promise<(string | undefined)[]> {
    const values = await this.cmd.mget(...this.range().map((p) => this.key('ckpt', p)));
    return values.map((v) => v ?? undefined);
  }

  async routed(): Promise<{ perPartition: number[]; total: number | undefined }> {
    const [counts, done] = await Promise.all([this.cmd.hgetall(this.key('routed')), this.cmd.get(this.key('done'))]);
    return { perPartition: this.range().map((p) => Number(counts[String(p)] ?? 0)), total: done === null ? undefined : Number(done) };
  }

  async inputEnds(): Promise<string[]> {
    const pipe = this.cmd.pipeline();
    for (const p of this.range()) pipe.xrevrange(this.key('in', p), '+', '-', 'COUNT', 1);
    const replies = (await pipe.exec()) ?? [];
    return replies.map(([, entries]) => (entries as Entry[])[0]?.[0] ?? '0-0');
  }

  async output(partition: number): Promise<string[]> {
    const entries = (await this.cmd.xrange(this.key('out', partition), '-', '+')) as Entry[];
    return entries.flatMap(([, fields]) => decodeRows(fields[fields.indexOf('rows') + 1]!));
  }

  async report(owner: string, metrics: string): Promise<void> {
    await this.cmd.hset(this.key('metrics'), owner, metrics);
  }

  async reports(): Promise<Record<string, string>> {
    return this.cmd.hgetall(this.key('metrics'));
  }

  unavailable(err: unknown): boolean {
    if (!(err instanceof Error)) return false;
    const code = (err as { code?: unknown }).code;
    return err.name === 'MaxRetriesPerRequestError' || err.message === 'Connection is closed.' ||
      (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code));
  }

  async close(): Promise<void> {
    this.reader.disconnect();
    (await this.appender?.catch(() => undefined))?.disconnect();
    // QUIT waits for a reply: only worth it on a live connection, and never for long. The timeout is
    // cancelled at the reply: a process whose work is done ('siddhi route', a stopped worker) exits then, not a second later.
    if (this.cmd.status === 'ready') {
      const timeout = new AbortController();
      await Promise.race([this.cmd.quit().catch(() => undefined), delay(1_000, undefined, { signal: timeout.signal }).catch(() => undefined)]);
      timeout.abort();
    }
    this.cmd.disconnect();
  }

  private range(): number[] {
    return Array.from({ length: this.partitions }, (_, p) => p);
  }
}

/** ioredis sends a Buffer argument as its bytes (any other object as its string form). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function leaseValue(lease: Lease): string {
  return `${lease.owner}:${lease.epoch}`;
}
