// parseCron(): a Quartz cron expression (`sec min hour day-of-month month
// day-of-week [year]`, with `?`, `L`, `W`, `#`, ranges, steps, names) → plain
// data. Trigger and window planners call it once; cron-next.ts computes fire times.

/** Day-of-month rule. */
export type MonthDays =
  | { readonly kind: 'any' }
  | { readonly kind: 'set'; readonly days: readonly boolean[] }
  /** `L` (offset 0) or `L-3`. */
  | { readonly kind: 'last'; readonly offset: number }
  /** `15W`: the weekday nearest the 15th, within the month. */
  | { readonly kind: 'nearestWeekday'; readonly day: number }
  /** `LW`: the last weekday of the month. */
  | { readonly kind: 'lastWeekday' };

/** Day-of-week rule; days are Quartz's 1 (SUN) … 7 (SAT). */
export type WeekDays =
  | { readonly kind: 'any' }
  | { readonly kind: 'set'; readonly days: readonly boolean[] }
  /** `6L`: the last Friday of the month. */
  | { readonly kind: 'last'; readonly day: number }
  /** `6#3`: the third Friday of the month. */
  | { readonly kind: 'nth'; readonly day: number; readonly nth: number };

export interface CronExpression {
  readonly text: string;
  readonly seconds: readonly boolean[];
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  readonly monthDays: MonthDays;
  /** Indexed 1…12. */
  readonly months: readonly boolean[];
  readonly weekDays: WeekDays;
  /** Indexed by year; absent when the year field is. */
  readonly years?: readonly boolean[];
}

export class CronSyntaxError extends Error {}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** Quartz's own bounds for the year field. */
export const MAX_YEAR = 2099;

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted instead of numbers, the first meaning `min`. */
  readonly names?: readonly string[];
}

const SECOND: Field = { name: 'second', min: 0, max: 59 };
const MINUTE: Field = { name: 'minute', min: 0, max: 59 };
const HOUR: Field = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: Field = { name: 'month', min: 1, max: 12, names: MONTHS };
const DAY_OF_WEEK: Field = { name: 'day-of-week', min: 1, max: 7, names: DAYS };
const YEAR: Field = { name: 'year', min: 1970, max: MAX_YEAR };

export function parseCron(text: string): CronExpression {
  const parts = text.trim().toUpperCase().split(/\s+/);
  if (parts.length < 6 || parts.length > 7) {
    throw new CronSyntaxError(`'${text}' has ${parts.length} fields; a Quartz cron expression has 6 or 7: second minute hour day-of-month month day-of-week [year]`);
  }
  const [sec, min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string, string?];
  const monthDays = parseMonthDays(dom);
  const weekDays = parseWeekDays(dow);
  // Quartz asks for `?` in one of the two day fields; `*` there reads the same here.
  if (monthDays.kind !== 'any' && weekDays.kind !== 'any') {
    throw new CronSyntaxError(`'${text}' restricts both day-of-month and day-of-week; write '?' in one of them`);
  }
  return {
    text,
    seconds: parseSet(sec, SECOND),
    minutes: parseSet(min, MINUTE),
    hours: parseSet(hour, HOUR),
    monthDays,
    months: parseSet(month, MONTH),
    weekDays,
    ...(year !== undefined && year !== '*' ? { years: parseSet(year, YEAR) } : {}),
  };
}

function parseMonthDays(text: string): MonthDays {
  if (text === '?' || text === '*') return { kind: 'any' };
  if (text === 'LW') return { kind: 'lastWeekday' };
  const last = /^L(?:-(\d+))?$/.exec(text);
  if (last) {
    const offset = last[1] === undefined ? 0 : Number(last[1]);
    if (offset > 30) throw new CronSyntaxError(`day-of-month offset in '${text}' must be at most 30`);
    return { kind: 'last', offset };
  }
  const weekday = /^(\d+)W$/.exec(text);
  if (weekday) return { kind: 'nearestWeekday', day: checkValue(Number(weekday[1]), DAY_OF_MONTH, text) };
  return { kind: 'set', days: parseSet(text, DAY_OF_MONTH) };
}

function parseWeekDays(text: string): WeekDays {
  if (text === '?' || text === '*') return { kind: 'any' };
  // A bare `L` in day-of-week is 7 (Saturday).
  if (text === 'L') return { kind: 'last', day: 7 };
  const last = /^(\w+)L$/.exec(text);
  if (last) return { kind: 'last', day: parseValue(last[1]!, DAY_OF_WEEK, text) };
  const nth = /^(\w+)#(\d+)$/.exec(text);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw new CronSyntaxError(`'${text}': the n in day#n must be 1 to 5`);
    return { kind: 'nth', day: parseValue(nth[1]!, DAY_OF_WEEK, text), nth: n };
  }
  return { kind: 'set', days: parseSet(text, DAY_OF_WEEK) };
}

/** `*`, `?`, `a`, `a-b`, `a/s`, `*\/s`, `a-b/s` and comma lists of them; a range `b < a` wraps past max. */
function parseSet(text: string, field: Field): boolean[] {
  const set = new Array<boolean>(field.max + 1).fill(false);
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === undefined) throw new CronSyntaxError(`'${item}' is not a valid ${field.name}`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || stepText === '') throw new CronSyntaxError(`step '${stepText}' in ${field.name} '${item}' must be a positive integer`);
    let from: number;
    let to: number;
    if (range === '*' || range === '?' || range === '') {
      if (range === '?' && field !== DAY_OF_MONTH && field !== DAY_OF_WEEK) throw new CronSyntaxError(`'?' is only allowed in day-of-month and day-of-week, not in ${field.name}`);
      from = field.min;
      to = field.max;
    } else {
      const dash = range.indexOf('-');
      from = parseValue(dash < 0 ? range : range.slice(0, dash), field, item);
      // `a/s` runs from a to the field's end, as in Quartz.
      to = dash < 0 ? (stepText === undefined ? from : field.max) : parseValue(range.slice(dash + 1), field, item);
    }
    const span = field.max - field.min + 1;
    const end = to >= from ? to : to + span;
    for (let v = from; v <= end; v += step) set[v > field.max ? v - span : v] = true;
  }
  return set;
}

function parseValue(text: string, field: Field, item: string): number {
  const named = field.names?.indexOf(text) ?? -1;
  if (named >= 0) return field.min + named;
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`'${item}' is not a valid ${field.name}${field.names ? ` (names: ${field.names.join(', ')})` : ''}`);
  return checkValue(Number(text), field, item);
}

function checkValue(v: number, field: Field, item: string): number {
  if (v < field.min || v > field.max) throw new CronSyntaxError(`${field.name} ${v} in '${item}' is out of range ${field.min}-${field.max}`);
  return v;
}
