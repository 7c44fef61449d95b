// Durations written as text ('1 sec', '250ms', '2 min 30 sec'), as in
// annotations and CLI flags; SiddhiQL time literals use the same units.

const UNITS: Record<string, number> = {
  ms: 1, millisecond: 1, milliseconds: 1, millisec: 1, millis: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  week: 604_800_000, weeks: 604_800_000,
  // As the reference's time values: a month is 30 days, a year 365 days.
  month: 2_592_000_000, months: 2_592_000_000,
  year: 31_536_000_000, years: 31_536_000_000,
};

/**
 * Milliseconds, or undefined when the text is not a duration. A bare number is milliseconds.
 *
 * @example
 * parseDuration('2 min 30 sec'); // 150000
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(t)) !== null) {
    const unit = Object.hasOwn(UNITS, m[2]!) ? UNITS[m[2]!] : undefined;
    if (unit === undefined) return undefined;
    total += Number(m[1]) * unit;
    end = re.lastIndex;
  }
  return end === t.length && end > 0 ? total : undefined;
}
