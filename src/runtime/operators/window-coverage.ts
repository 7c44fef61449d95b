// The statistics of the alpha-K-slack reorderer (reorder-akslack.ts), as the
// reference's WindowCoverage and its use of NormalDistribution: the window
// coverage threshold a batch of correlation values asks for, the coverage the
// current K achieves, and the inverse normal CDF for the critical value.

/** Coverage a batch of correlation values needs for the error threshold (the reference's formula, kept as is). */
export function windowCoverageThreshold(errorThreshold: number, criticalValue: number, values: readonly number[]): number {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (mean - v) ** 2, 0) / n;
  const temp1 = Math.sqrt((mean ** 2 + variance ** 2) / (n * mean ** 2));
  const temp2 = criticalValue ** 2 * temp1 ** 2;
  const a1 = 1 + temp2;
  const b1 = 2 * errorThreshold - 2 - temp2;
  const c1 = (1 - errorThreshold) ** 2;
  const b2 = -(2 + 2 * errorThreshold + temp2);
  const c2 = (1 + errorThreshold) ** 2;
  const sq1 = b1 ** 2 - 4 * a1 * c1;
  const sq2 = b2 ** 2 - 4 * a1 * c2;
  const roots = (b: number, sq: number): number => (sq >= 0 ? Math.min((-b - Math.sqrt(sq)) / (2 * a1), (-b + Math.sqrt(sq)) / (2 * a1)) : 0);
  if (sq1 >= 0 && sq2 < 0) return roots(b1, sq1);
  if (sq2 >= 0 && sq1 < 0) return roots(b2, sq2);
  if (sq1 < 0 && sq2 < 0) return 0;
  return Math.min(roots(b1, sq1), roots(b2, sq2));
}

/**
 * Share of the timestamps in [now − l − windowSize, now − l] that arrived
 * before the first one at or past now − l; drops timestamps at or below the
 * window's low end from `timestamps` (the reference's list is trimmed here).
 */
export function runtimeWindowCoverage(now: number, timestamps: number[], l: number, windowSize: number): number {
  const high = now - l;
  const low = now - l - windowSize;
  let covered = 0;
  let total = 0;
  let lowMet = false;
  let highMet = false;
  let kept = 0;
  for (const t of timestamps) {
    if (!lowMet && low <= t) lowMet = true;
    if (!highMet && high <= t) highMet = true;
    if (lowMet && low <= t && high >= t) {
      if (!highMet) covered++;
      total++;
    }
    if (t > low) timestamps[kept++] = t;
  }
  timestamps.length = kept;
  return total !== 0 ? covered / total : 1;
}

/** Φ⁻¹(p) by Acklam's rational approximation with one Halley refinement step. */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Complementary error function: Taylor series of erf below 3, Lentz's continued fraction above (relative error ~1e-15). */
function erfc(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(z) = exp(-z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …))))
    let f = z;
    let c = z;
    let d = 0;
    for (let n = 1; n < 200; n++) {
      const a = n / 2;
      d = z + a * d;
      c = z + a / c;
      d = 1 / d;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? r : 2 - r;
}
