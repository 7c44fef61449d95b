// java.util.Random's generator, so math:rand(seed) yields the reference's sequence.

export interface JavaRandom {
  nextDouble(): number;
}

const MULTIPLIER = 0x5deece66dn;
const MASK = (1n << 48n) - 1n;

/** A seeded generator gives Java's exact sequence; without a seed, Math.random. */
export function createJavaRandom(seed?: number): JavaRandom {
  if (seed === undefined) return { nextDouble: () => Math.random() };
  let state = (BigInt(seed) ^ MULTIPLIER) & MASK;
  const next = (bits: number): bigint => {
    state = (state * MULTIPLIER + 0xbn) & MASK;
    return state >> BigInt(48 - bits);
  };
  return {
    nextDouble: () => Number((next(26) << 27n) + next(27)) * 2 ** -53,
  };
}
