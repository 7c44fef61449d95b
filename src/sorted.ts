// Binary search over ascending number arrays, shared by the parser (element
// offsets), aggregators (sorted values) and aggregation buckets (start times).

/** The position of the first value not below `v` in ascending `sorted`: where `v` goes in, or how many are below it. */
export function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
