// Pre-generated, seeded benchmark input: stock events for stream S and, for
// the join, interleaved S/T events. Every script builds its input here so runs
// are repeatable and generation is never timed.

export const SYMBOL_COUNT = 100;

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One input event as plain JS sees it; `side` is 'T' only in join datasets. */
export interface Ev {
  readonly side: 'S' | 'T';
  readonly symbol: string;
  readonly price: number;
  readonly volume: number;
  readonly qty: number;
  readonly ts: number;
}

export interface Dataset {
  readonly size: number;
  /** Engine input rows: S rows are [symbol, price, volume], T rows [symbol, qty]. */
  readonly rows: unknown[][];
  /** The same events as objects, for the plain-JS loops and RxJS pipelines. */
  readonly events: Ev[];
  readonly timestamps: Float64Array;
  /** 0 = S, 1 = T. */
  readonly sides: Uint8Array;
}

/** Epoch milliseconds in 2023: realistic timestamps are not small integers (V8 boxes them). */
export const BASE_TS = 1_700_000_000_000;

export function symbolNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `SYM${i}`);
}

/**
 * `size` events on S: `symbols` symbols, prices uniform in [0, 100),
 * volumes 1–1000, timestamps 1 ms apart. With `join`, every odd event goes
 * to T instead, carrying a quantity.
 */
export function generateEvents(size: number, options: { seed?: number; symbols?: number; join?: boolean } = {}): Dataset {
  const random = createRandom(options.seed ?? 42);
  const names = symbolNames(options.symbols ?? SYMBOL_COUNT);
  const rows: unknown[][] = new Array(size);
  const events: Ev[] = new Array(size);
  const timestamps = new Float64Array(size);
  const sides = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const symbol = names[Math.floor(random() * names.length)]!;
    const ts = BASE_TS + i;
    timestamps[i] = ts;
    if (options.join && i % 2 === 1) {
      const qty = 1 + Math.floor(random() * 1000);
      sides[i] = 1;
      rows[i] = [symbol, qty];
      events[i] = { side: 'T', symbol, price: 0, volume: 0, qty, ts };
    } else {
      const price = random() * 100;
      const volume = 1 + Math.floor(random() * 1000);
      rows[i] = [symbol, price, volume];
      events[i] = { side: 'S', symbol, price, volume, qty: 0, ts };
    }
  }
  return { size, rows, events, timestamps, sides };
}
