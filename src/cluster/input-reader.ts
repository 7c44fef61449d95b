// Reads a worker's partitions' input logs one read ahead: as soon as a read
// returns, the next one (after the entries just received) is sent, so the
// broker's round trip overlaps the processing of the current entries instead
// of adding to it. Entries a partition can no longer take (its runner moved on,
// was dropped or replaced) are skipped by the caller: each read carries the
// offsets it was asked after. Used by worker.ts.

import type { Broker, InputEntry } from './broker.js';

export interface InputRead {
  /** Per partition, the offset the entries follow. */
  readonly asked: ReadonlyMap<number, string>;
  readonly entries: ReadonlyMap<number, InputEntry[]>;
}

export class InputReader {
  private ahead: { asked: Map<number, string>; reply: Promise<Map<number, InputEntry[]> | Error> } | undefined;

  constructor(
    private readonly broker: Broker,
    /** Entries per partition per read. */
    private readonly count: number,
    private readonly blockMs: number,
  ) {}

  /**
   * The next entries after `offsets` (each owned partition's current offset):
   * the read sent ahead when it asked for every owned partition at these
   * offsets, else a fresh read.
   */
  async next(offsets: ReadonlyMap<number, string>): Promise<InputRead> {
    const ahead = this.ahead;
    this.ahead = undefined;
    const usable = ahead !== undefined && ahead.asked.size === offsets.size && [...offsets].every(([p, o]) => ahead.asked.get(p) === o);
    const asked = usable ? ahead.asked : new Map(offsets);
    const reply = usable ? await ahead.reply : await this.send(asked).reply;
    if (reply instanceof Error) throw reply;
    const following = new Map(asked);
    for (const [p, entries] of reply) if (entries.length > 0) following.set(p, entries[entries.length - 1]!.id);
    this.ahead = this.send(following);
    return { asked, entries: reply };
  }

  /** Forgets the read sent ahead (its reply, when it comes, is dropped). */
  cancel(): void {
    this.ahead = undefined;
  }

  private send(asked: Map<number, string>): { asked: Map<number, string>; reply: Promise<Map<number, InputEntry[]> | Error> } {
    // A failed read is kept as a value, so a read nobody awaits any more is no unhandled rejection.
    return { asked, reply: this.broker.read(asked, this.count, this.blockMs).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))) };
  }
}
