// The router of scale-out: hashes each event's partition key to one of P fixed
// partitions (a range key: each label the event matches, so an event may go to
// several) and appends batches to the partitions' input logs. It keeps the
// clock of the single-process run (the latest event or clock line) and hands it
// to each partition with its next event and, as a watermark, with every batch
// (broadcast to all partitions every `tickEvery` lines and at the end), so
// playback timers fire in every partition as they would in one process.
// Called by `siddhi route` (src/cli/route-command.ts) and the benches.

import type { ScaleOutPlan } from '../index.js';
import type { Broker } from './broker.js';
import { encodeBatch, partitionOf, type BatchEvent } from './batch.js';

export type RouterLine =
  | { readonly kind: 'event'; readonly stream: string; readonly data: unknown[]; readonly time?: number; readonly origin: string }
  | { readonly kind: 'time'; readonly time: number; readonly origin: string };

export interface RouterOptions {
  readonly broker: Broker;
  readonly plan: ScaleOutPlan;
  /** Events per batch entry (default 500). */
  readonly batchSize?: number;
  /** Input lines between watermark ticks to every partition (default 5000). */
  readonly tickEvery?: number;
  /** Events stamped with no time get this clock's time (default Date.now). */
  readonly now?: () => number;
  readonly onRejected?: (origin: string, message: string) => void;
  /**
   * Names the input (e.g. its files): the router then stores how far it got
   * with every send, and a router started again on the same input skips what
   * was routed and goes on from there (with the same clock), duplicating nothing.
   */
  readonly input?: string;
  /**
   * When the events come from the app's own sources: their state (offsets),
   * stored with the position at every send and handed back on a resume.
   */
  readonly sources?: { capture(): string; restore(state: string): void };
}

/** What a resuming router restores: the input lines it consumed and its clock bookkeeping after them. */
interface RouterState {
  readonly lines: number;
  readonly clock: number | undefined;
  /** -Infinity travels as null. */
  readonly reached: (number | null)[];
  readonly counts: number[];
  readonly events: number;
  readonly rejected: number;
  readonly sinceTick: number;
  /** The sources' state (their offsets) when the router reads the app's own sources. */
  readonly sources?: string;
}

export interface RouteResult {
  readonly events: number;
  readonly rejected: number;
  readonly perPartition: readonly number[];
}

export class Router {
  private readonly building: BatchEvent[][];
  private readonly pending: string[][];
  private readonly pendingEvents: number[];
  /** The clock each partition's runtime has reached, as far as the router told it. */
  private readonly reached: number[];
  private clock: number | undefined;
  private sinceTick = 0;
  private readonly counts: number[];
  private events = 0;
  private rejected = 0;
  /** Input lines consumed, counted for a resume. */
  private lines = 0;

  constructor(private readonly options: RouterOptions) {
    const n = options.plan.partitions;
    this.building = Array.from({ length: n }, () => []);
    this.pending = Array.from({ length: n }, () => []);
    this.pendingEvents = new Array<number>(n).fill(0);
    this.reached = new Array<number>(n).fill(-Infinity);
    this.counts = new Array<number>(n).fill(0);
  }

  /** Routes every line, then broadcasts the final watermark and marks the input complete. */
  async routeAll(lines: Iterable<RouterLine> | AsyncIterable<RouterLine>): Promise<RouteResult> {
    const skip = await this.open();
    for await (const line of lines) {
      if (this.lines < skip) {
        this.lines++;
        continue;
      }
      this.push(line);
      if (this.pending.some((p) => p.length >= 8)) await this.flush();
    }
    return this.close();
  }

  /**
   * Restores the stored position of the input, if any (and hands the sources
   * their stored state); returns the input lines a resumed router skips.
   */
  async open(): Promise<number> {
    if (this.options.input === undefined) return 0;
    const text = await this.options.broker.position(this.options.input);
    if (text === undefined) return 0;
    const s = JSON.parse(text) as RouterState;
    if (s.reached.length !== this.reached.length) throw new Error(`the stored router position has ${s.reached.length} partitions, not ${this.reached.length}`);
    s.reached.forEach((r, p) => (this.reached[p] = r ?? -Infinity));
    s.counts.forEach((c, p) => (this.counts[p] = c));
    this.clock = s.clock ?? undefined;
    this.events = s.events;
    this.rejected = s.rejected;
    this.sinceTick = s.sinceTick;
    if (s.sources !== undefined) this.options.sources?.restore(s.sources);
    return s.lines;
  }

  /** Routes one line into the open batches (sent by the next flush). */
  push(line: RouterLine): void {
    this.lines++;
    this.route(line);
    if (++this.sinceTick >= (this.options.tickEvery ?? 5000)) {
      this.sinceTick = 0;
      this.cutAll();
    }
  }

  /** Moves the clock to `time` (when later) and broadcasts it to every partition as a watermark. */
  tick(time: number): void {
    this.advance(time);
    this.sinceTick = 0;
    this.cutAll();
  }

  /** Sends the batches cut so far (with the position, when resumable). */
  async flush(): Promise<void> {
    await this.send();
  }

  /** Broadcasts the final watermark, sends the rest and marks the input complete. */
  async close(): Promise<RouteResult> {
    this.cutAll();
    await this.send();
    await this.options.broker.finish(this.events);
    return { events: this.events, rejected: this.rejected, perPartition: [...this.counts] };
  }

  private route(line: RouterLine): void {
    if (line.kind === 'time') {
      this.advance(line.time);
      return;
    }
    const route = this.options.plan.routes.get(line.stream);
    if (!route) {
      this.rejected++;
      this.options.onRejected?.(line.origin, `no input stream '${line.stream}'; input streams: ${[...this.options.plan.routes.keys()].join(', ')}`);
      return;
    }
    const n = this.options.plan.partitions;
    const time = line.time ?? (this.options.now ?? Date.now)();
    if (n === 1) this.add(0, line.stream, time, line.data);
    else if (route.labelsOf) for (const p of labelPartitions(route.labelsOf, line.data, n)) this.add(p, line.stream, time, line.data);
    else this.add(partitionOf(keyOf(route.keyOf, line.data), n), line.stream, time, line.data);
    this.advance(time);
    this.events++;
  }

  /** Puts an event into partition `p`'s open batch, with the clock the partition has not seen yet. */
  private add(p: number, stream: string, time: number, data: unknown[]): void {
    const event: BatchEvent = [stream, time, data];
    if (this.clock !== undefined && this.clock > this.reached[p]!) {
      event.push(this.clock);
      this.reached[p] = this.clock;
    }
    if (time > this.reached[p]!) this.reached[p] = time;
    this.building[p]!.push(event);
    this.counts[p]!++;
    if (this.building[p]!.length >= (this.options.batchSize ?? 500)) this.cut(p);
  }

  private advance(time: number): void {
    if (this.clock === undefined || time > this.clock) this.clock = time;
  }

  /** Closes a partition's open batch with the current clock as its watermark (an empty one is a tick). */
  private cut(p: number): void {
    const events = this.building[p]!;
    this.building[p] = [];
    this.pending[p]!.push(encodeBatch({ events, watermark: this.clock }));
    this.pendingEvents[p]! += events.length;
    if (this.clock !== undefined && this.clock > this.reached[p]!) this.reached[p] = this.clock;
  }

  private cutAll(): void {
    for (let p = 0; p < this.building.length; p++) this.cut(p);
  }

  private async send(): Promise<void> {
    const { input } = this.options;
    // A resumable position covers whole lines: every event consumed must be in this send or an earlier one.
    if (input !== undefined) for (let p = 0; p < this.building.length; p++) if (this.building[p]!.length > 0) this.cut(p);
    const batches: { partition: number; bodies: string[]; events: number }[] = [];
    for (let p = 0; p < this.pending.length; p++) {
      if (this.pending[p]!.length === 0) continue;
      batches.push({ partition: p, bodies: this.pending[p]!, events: this.pendingEvents[p]! });
      this.pending[p] = [];
      this.pendingEvents[p] = 0;
    }
    if (batches.length === 0) return;
    await this.options.broker.append(input === undefined ? { batches } : { batches, position: { input, state: JSON.stringify(this.state()) } });
  }

  private state(): RouterState {
    return {
      lines: this.lines, clock: this.clock, reached: this.reached.map((r) => (r === -Infinity ? null : r)),
      counts: this.counts, events: this.events, rejected: this.rejected, sinceTick: this.sinceTick,
      ...(this.options.sources ? { sources: this.options.sources.capture() } : {}),
    };
  }
}

/**
 * The partitions of the range labels an event matches, each once (its runtime
 * runs all its labels' instances). An event that matches no range, or that
 * the conditions cannot be evaluated for, goes to partition 0, whose runtime
 * drops or rejects it as one process would (a rejection is reported once).
 */
function labelPartitions(labelsOf: (data: readonly unknown[]) => string[], data: unknown[], n: number): Set<number> {
  let labels: string[] = [];
  try {
    labels = labelsOf(data);
  } catch {
    // As no match.
  }
  return labels.length === 0 ? new Set([0]) : new Set(labels.map((label) => partitionOf(label, n)));
}

/** The partition key; a stream read only by stateless queries (or a row the key cannot be computed for) spreads by its whole row. */
function keyOf(key: ((data: readonly unknown[]) => string) | undefined, data: unknown[]): string {
  if (key) {
    try {
      return key(data);
    } catch {
      // The worker rejects the event as the single-process run would; any partition will do.
    }
  }
  return JSON.stringify(data);
}
