// Calendar arithmetic of aggregation buckets: where the bucket of a duration
// containing a time starts and where the next one starts, in UTC (the
// reference's default aggregation time zone) or at a fixed UTC offset; and the
// time strings of `aggregate by` and `within` ('2017-06-01 04:05:50 +05:30').

import type { AggregationDuration } from '../../../ast/index.js';

const FIXED: Partial<Record<AggregationDuration, number>> = { sec: 1000, min: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Start of the `duration` bucket holding `time`; `offset` (ms east of UTC) shifts the calendar. */
export function bucketStart(time: number, duration: AggregationDuration, offset = 0): number {
  const unit = FIXED[duration];
  const t = time + offset;
  if (unit !== undefined) return t - mod(t, unit) - offset;
  const d = new Date(t);
  const month = duration === 'month' ? d.getUTCMonth() : 0;
  return Date.UTC(d.getUTCFullYear(), month, 1) - offset;
}

/** Start of the bucket after the one holding `time`. */
export function nextBucketStart(time: number, duration: AggregationDuration, offset = 0): number {
  const unit = FIXED[duration];
  if (unit !== undefined) return bucketStart(time, duration, offset) + unit;
  const d = new Date(bucketStart(time, duration, offset) + offset);
  const y = d.getUTCFullYear();
  return (duration === 'month' ? Date.UTC(y, d.getUTCMonth() + 1, 1) : Date.UTC(y + 1, 0, 1)) - offset;
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2}):(\d{2}))?$/;

/** `yyyy-MM-dd HH:mm:ss` (UTC) or `yyyy-MM-dd HH:mm:ss ±HH:mm` → epoch ms; undefined when it is neither. */
export function parseTimeString(text: string): number | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(t);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return t - offsetOf(m[7], m[8], m[9]);
}

function offsetOf(sign: string | undefined, hh: string | undefined, mm: string | undefined): number {
  if (sign === undefined) return 0;
  const v = (Number(hh) * 60 + Number(mm)) * 60_000;
  return sign === '-' ? -v : v;
}

export const TIME_FORMATS = "'yyyy-MM-dd HH:mm:ss' (UTC) or 'yyyy-MM-dd HH:mm:ss +05:30' (with a UTC offset)";

const PATTERN = /^(\d{4})-(\d{2}|\*\*)-(\d{2}|\*\*) (\d{2}|\*\*):(\d{2}|\*\*):(\d{2}|\*\*)(?: ([+-])(\d{2}):(\d{2}))?$/;
/** Which duration a single `within` pattern spans, by how many trailing fields are `**`. */
const SPANS: readonly AggregationDuration[] = ['sec', 'min', 'hour', 'day', 'month', 'year'];

/**
 * A single `within` string: `2017-06-01 04:05:50` is that second, `2017-06-** **:**:**`
 * that month, and so on (`**` only as trailing fields); [start, end) or undefined.
 */
export function parseWithinPattern(text: string): [number, number] | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const fields = m.slice(2, 7);
  const stars = fields.filter((f) => f === '**').length;
  if (fields.slice(5 - stars).some((f) => f !== '**')) return undefined;
  const filled = fields.map((f, i) => (f === '**' ? (i < 2 ? '01' : '00') : f));
  const zone = m[7] === undefined ? '' : ` ${m[7]}${m[8]}:${m[9]}`;
  const start = parseTimeString(`${m[1]}-${filled[0]}-${filled[1]} ${filled[2]}:${filled[3]}:${filled[4]}${zone}`);
  if (start === undefined) return undefined;
  const offset = offsetOf(m[7], m[8], m[9]);
  return [start, nextBucketStart(start, SPANS[stars]!, offset)];
}

export const WITHIN_PATTERNS = "'yyyy-MM-dd HH:mm:ss', with trailing fields as '**' for a wider span ('2017-06-** **:**:**' is June 2017), optionally followed by a UTC offset ('+05:30')";

/** `per` spellings of the reference (sec, seconds, min, minutes, h, hours, days, months, years …). */
export function perDuration(text: string): AggregationDuration | undefined {
  return PER_NAMES[text.trim().toLowerCase()];
}

const PER_NAMES: Readonly<Record<string, AggregationDuration>> = {
  sec: 'sec', second: 'sec', seconds: 'sec',
  min: 'min', minute: 'min', minutes: 'min',
  h: 'hour', hour: 'hour', hours: 'hour',
  day: 'day', days: 'day',
  month: 'month', months: 'month',
  year: 'year', years: 'year',
};
