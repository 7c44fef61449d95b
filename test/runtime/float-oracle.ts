// A slow, exact statement of Java's Float.toString as JDK 19+ specifies it,
// for values.test.ts to check formatFloat against: every decimal of p digits
// in the float's rounding interval is listed with BigInt arithmetic (no
// toPrecision, no Number parsing); the fewest digits win, then the closest,
// then the even last digit; when one digit would do, the closest of one or two
// digits. Checked locally against JDK 25 on 1.2 million floats (CI has no JDK).

/** Java's Float.toString of the float with these bits (finite, not zero, sign bit clear). */
export function javaFloatText(bits: number): string {
  const biased = bits >>> 23;
  const fraction = bits & 0x7fffff;
  const m = BigInt(biased === 0 ? fraction : fraction | 0x800000);
  const e2 = biased === 0 ? -149 : biased - 150;
  // In units of 2^(e2-2): the float is 4m, its interval's ends 4m+2 and 4m-2 (4m-1 under a power of two).
  const x = 4n * m;
  const hi = x + 2n;
  const lo = fraction === 0 && biased > 1 ? x - 1n : x - 2n;
  const inclusive = m % 2n === 0n;
  const unit = e2 - 2;
  const k = Math.floor(Math.log10(Number(m) * 2 ** e2));
  const within = (p: number): { c: bigint; q: number }[] => {
    const found: { c: bigint; q: number }[] = [];
    for (let q = k - p; q <= k - p + 2; q++) {
      // c·10^q against y·2^unit: both over 10^max(-q,0)·2^max(-unit,0)
      // (the scales and the interval's ends computed once per q: BigInt powers are most of the oracle's time).
      const decimalScale = 10n ** BigInt(Math.max(q, 0)) * 2n ** BigInt(Math.max(-unit, 0));
      const binaryScale = 2n ** BigInt(Math.max(unit, 0)) * 10n ** BigInt(Math.max(-q, 0));
      const step = decimalScale;
      const l = lo * binaryScale;
      const h = hi * binaryScale;
      const first = l / step;
      const last = h / step + 1n;
      const [least, bound] = [10n ** BigInt(p - 1), 10n ** BigInt(p)];
      for (let c = first; c <= last; c++) {
        if (c < least || c >= bound) continue;
        const v = c * decimalScale;
        if (inclusive ? l <= v && v <= h : l < v && v < h) found.push({ c, q });
      }
    }
    return found;
  };
  let p = 1;
  let found = within(1);
  while (found.length === 0) found = within(++p);
  if (p === 1) found = within(2);
  const distance = (d: { c: bigint; q: number }): bigint => {
    const v = d.c * 10n ** BigInt(d.q + 200) * 2n ** 200n;
    const xv = x * 2n ** BigInt(unit + 200) * 10n ** 200n;
    return v > xv ? v - xv : xv - v;
  };
  found.sort((a, b) => {
    const da = distance(a);
    const db = distance(b);
    return da < db ? -1 : da > db ? 1 : Number(a.c % 2n) - Number(b.c % 2n);
  });
  return javaLayout(found[0]!.c, found[0]!.q);
}

/** c·10^q as Java writes a float: plain from 1e-3 to below 1e7, else d.dddE±n. */
function javaLayout(c: bigint, q: number): string {
  let digits = c.toString();
  const exponent = digits.length - 1 + q;
  digits = digits.replace(/0+$/, '') || '0';
  if (exponent < -3 || exponent >= 7) return `${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${whole}.${digits.slice(exponent + 1) || '0'}`;
}
