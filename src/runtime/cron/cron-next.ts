// nextCronTime(): the first second strictly after a time at which a parsed
// cron expression fires, in local time (as Quartz) or UTC. Cron triggers and
// the cron window call it at each firing and after a restore.

import { MAX_YEAR, type CronExpression, type MonthDays, type WeekDays } from './cron-expression.js';
import { assertNever } from '../../dispatch.js';

export type CronZone = 'local' | 'utc';

interface Calendar {
  /** [year, month 1-12, day, hour, minute, second, day-of-week 1 (SUN)-7]. */
  fields(t: number): readonly [number, number, number, number, number, number, number];
  /** Overflowing fields roll over (day 32 is the next month's 1st). */
  make(y: number, mo: number, d: number, h: number, mi: number, s: number): number;
}

const CALENDARS: Record<CronZone, Calendar> = {
  local: {
    fields: (t) => {
      const d = new Date(t);
      return [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getDay() + 1];
    },
    make: (y, mo, d, h, mi, s) => new Date(y, mo - 1, d, h, mi, s).getTime(),
  },
  utc: {
    fields: (t) => {
      const d = new Date(t);
      return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCDay() + 1];
    },
    make: (y, mo, d, h, mi, s) => Date.UTC(y, mo - 1, d, h, mi, s),
  },
};

/** Enough steps to walk to MAX_YEAR through any impossible day rule (a step skips at least a day). */
const MAX_STEPS = 200_000;

/** The next fire time after `after` (ms), or undefined when the expression never fires again. */
export function nextCronTime(cron: CronExpression, after: number, zone: CronZone = 'local'): number | undefined {
  const cal = CALENDARS[zone];
  let t = Math.floor(after / 1000) * 1000 + 1000;
  for (let step = 0; step < MAX_STEPS; step++) {
    const [y, mo, d, h, mi, s, wd] = cal.fields(t);
    let n: number;
    if (y > MAX_YEAR) return undefined;
    if (cron.years && !cron.years[y]) {
      const ny = following(cron.years, y);
      if (ny === undefined) return undefined;
      n = cal.make(ny, 1, 1, 0, 0, 0);
    } else if (!cron.months[mo]) {
      const nm = following(cron.months, mo);
      n = nm === undefined ? cal.make(y + 1, 1, 1, 0, 0, 0) : cal.make(y, nm, 1, 0, 0, 0);
    } else if (!dayMatches(cron.monthDays, cron.weekDays, d, wd, daysIn(y, mo))) {
      n = cal.make(y, mo, d + 1, 0, 0, 0);
    } else if (!cron.hours[h]) {
      const nh = following(cron.hours, h);
      n = nh === undefined ? cal.make(y, mo, d + 1, 0, 0, 0) : cal.make(y, mo, d, nh, 0, 0);
    } else if (!cron.minutes[mi]) {
      const nmi = following(cron.minutes, mi);
      n = nmi === undefined ? cal.make(y, mo, d, h + 1, 0, 0) : cal.make(y, mo, d, h, nmi, 0);
    } else if (!cron.seconds[s]) {
      const ns = following(cron.seconds, s);
      n = ns === undefined ? cal.make(y, mo, d, h, mi + 1, 0) : cal.make(y, mo, d, h, mi, ns);
    } else {
      return t;
    }
    // A daylight-saving fold can map a wall time back before t; always move forward.
    t = n > t ? n : t + 1000;
  }
  return undefined;
}

function following(set: readonly boolean[], v: number): number | undefined {
  for (let i = v + 1; i < set.length; i++) if (set[i]) return i;
  return undefined;
}

function daysIn(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** `wd` is the day of week of `d` (1 = SUN … 7 = SAT). */
function dayMatches(md: MonthDays, wdRule: WeekDays, d: number, wd: number, last: number): boolean {
  return monthDayMatches(md, d, wd, last) && weekDayMatches(wdRule, d, wd, last);
}

function monthDayMatches(md: MonthDays, d: number, wd: number, last: number): boolean {
  switch (md.kind) {
    case 'any':
      return true;
    case 'set':
      return md.days[d] === true;
    case 'last':
      return d === last - md.offset;
    case 'nearestWeekday':
      return md.day <= last && d === nearestWeekday(md.day, weekdayOf(md.day, d, wd), last);
    case 'lastWeekday':
      return d === nearestWeekday(last, weekdayOf(last, d, wd), last);
    default:
      return assertNever(md, 'day-of-month rule');
  }
}

function weekDayMatches(rule: WeekDays, d: number, wd: number, last: number): boolean {
  switch (rule.kind) {
    case 'any':
      return true;
    case 'set':
      return rule.days[wd] === true;
    case 'last':
      return wd === rule.day && d + 7 > last;
    case 'nth':
      return wd === rule.day && Math.ceil(d / 7) === rule.nth;
    default:
      return assertNever(rule, 'day-of-week rule');
  }
}

/** Day of week of `target`, knowing that day `d` of the same month is `wd`. */
function weekdayOf(target: number, d: number, wd: number): number {
  return ((((wd - 1 + target - d) % 7) + 7) % 7) + 1;
}

/** The weekday nearest `day` without leaving the month (Quartz's `W`). */
function nearestWeekday(day: number, wd: number, last: number): number {
  if (wd === 7) return day === 1 ? day + 2 : day - 1;
  if (wd === 1) return day === last ? day - 2 : day + 1;
  return day;
}
