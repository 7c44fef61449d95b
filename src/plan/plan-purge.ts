// `@purge(enable='true', interval='15 min', @retentionPeriod(sec='120 sec', min='24 hours', …))`
// on an aggregation, as the reference defines it: purging is on by default
// (every 15 min; seconds kept 120 sec, minutes 24 hours, hours 30 days, days
// 1 year, months and years all), and each retention has a minimum.

import type { AggregationDefinition, AggregationDuration } from '../ast/index.js';
import type { PurgeOptions } from '../runtime/operators/aggregation/aggregation-purge.js';
import { perDuration } from '../runtime/operators/aggregation/bucket-time.js';
import { parseDuration } from './duration.js';
import { planErrorAt } from './plan-context.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const DEFAULT_RETENTION: Partial<Record<AggregationDuration, number>> = { sec: 120_000, min: DAY, hour: 30 * DAY, day: 365 * DAY };
const MINIMUM: Record<AggregationDuration, number> = { sec: 120_000, min: 120 * MIN, hour: 25 * HOUR, day: 32 * DAY, month: 13 * 30 * DAY, year: 0 };
const DEFAULT_INTERVAL = 15 * MIN;

/** The purge policy, or undefined when `@purge(enable='false')`. */
export function planPurge(def: AggregationDefinition, element: string): PurgeOptions | undefined {
  const a = def.annotations.find((x) => x.name.toLowerCase() === 'purge');
  const retention = new Map<AggregationDuration, number>();
  for (const d of def.durations) {
    const keep = DEFAULT_RETENTION[d];
    if (keep !== undefined) retention.set(d, keep);
  }
  if (!a) return { interval: DEFAULT_INTERVAL, retention };
  let interval = DEFAULT_INTERVAL;
  for (const el of a.elements) {
    const key = el.key?.toLowerCase();
    if (key === 'enable') {
      const v = el.value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw planErrorAt(element, `@purge enable='${el.value}' is not true or false`, el.loc);
      if (v === 'false') return undefined;
    } else if (key === 'interval') {
      const ms = parseDuration(el.value);
      if (ms === undefined || ms <= 0) throw planErrorAt(element, `@purge interval '${el.value}' is not a duration`, el.loc, "write e.g. interval='10 min'");
      interval = ms;
    } else {
      throw planErrorAt(element, `@purge has no element '${el.key ?? el.value}'`, el.loc, 'elements: enable, interval, @retentionPeriod(…)');
    }
  }
  for (const nested of a.annotations) {
    if (nested.name.toLowerCase() !== 'retentionperiod') {
      throw planErrorAt(element, `@purge has no annotation '@${nested.name}'`, nested.loc, "use @retentionPeriod(sec='120 sec', …)");
    }
    for (const el of nested.elements) {
      const d = el.key === undefined ? undefined : perDuration(el.key);
      if (d === undefined) throw planErrorAt(element, `@retentionPeriod: '${el.key ?? el.value}' is not a duration name`, el.loc, 'sec, min, hour, day, month, year');
      if (!def.durations.includes(d)) {
        throw planErrorAt(element, `@retentionPeriod: '${d}' cannot be purged since the aggregation does not aggregate per ${d}`, el.loc);
      }
      if (el.value.trim().toLowerCase() === 'all') {
        retention.delete(d);
        continue;
      }
      const ms = parseDuration(el.value);
      if (ms === undefined) throw planErrorAt(element, `@retentionPeriod ${el.key}='${el.value}' is not a duration`, el.loc, "write e.g. sec='120 sec' or 'all'");
      if (ms < MINIMUM[d]) {
        throw planErrorAt(element, `@retentionPeriod: '${d}' cannot be purged with a retention of '${el.value}'; the minimum is ${MINIMUM[d] / MIN} minutes`, el.loc);
      }
      retention.set(d, ms);
    }
  }
  return { interval, retention };
}
