// Java date patterns (java.text.SimpleDateFormat / commons-lang FastDateFormat
// letters; 'java.time' for DateTimeFormatter where letters differ) compiled to
// tokens, and formatting an instant with them. Parsing is in java-date-parse.ts.
// Called by the `time:` functions (time.ts).

import { type Zone, fieldsAt, zoneName } from './time-zone.js';

export type PatternFlavour = 'simple' | 'java.time';

export type PatternToken =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field'; readonly letter: string; readonly count: number };

export interface DatePattern {
  readonly source: string;
  readonly flavour: PatternFlavour;
  readonly tokens: readonly PatternToken[];
}

const LETTERS: Readonly<Record<PatternFlavour, string>> = {
  simple: 'GyYMLwWDdFEuaHkKhmsSzZX',
  'java.time': 'GuyYMLwWDdFEeaHkKhmsSnzZXxVO',
};

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
/** Monday first, as dayOfWeek in LocalFields (1 = Monday). */
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const cache = new Map<string, DatePattern>();

/** Tokens of a pattern; throws IllegalArgument-style errors as Java does ("Illegal pattern character 'x'"). */
export function compileDatePattern(source: string, flavour: PatternFlavour = 'simple'): DatePattern {
  const key = `${flavour}\u0000${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const tokens: PatternToken[] = [];
  const literal = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') tokens[tokens.length - 1] = { kind: 'literal', text: last.text + text };
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    if (c === "'") {
      if (source[i + 1] === "'") {
        literal("'");
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (; j < source.length; j++) {
        if (source[j] !== "'") text += source[j];
        else if (source[j + 1] === "'") text += source[j++];
        else break;
      }
      if (j >= source.length) throw new Error(`Unterminated quote in pattern '${source}'`);
      literal(text);
      i = j + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS[flavour].includes(c)) throw new Error(`Illegal pattern character '${c}' in '${source}'`);
      let j = i;
      while (source[j] === c) j++;
      tokens.push({ kind: 'field', letter: c, count: j - i });
      i = j;
    } else {
      literal(c);
      i++;
    }
  }
  const pattern: DatePattern = { source, flavour, tokens };
  if (cache.size > 500) cache.clear();
  cache.set(key, pattern);
  return pattern;
}

/** Week rules of a locale: the first day of the week (1 = Monday … 7 = Sunday) and minimal days in week 1. */
export interface WeekRules {
  readonly firstDay: number;
  readonly minimalDays: number;
}

/** en_US, the JVM default locale the reference's tests assume. */
export const US_WEEK: WeekRules = { firstDay: 7, minimalDays: 1 };
/** ISO 8601 weeks (most of Europe). */
export const ISO_WEEK: WeekRules = { firstDay: 1, minimalDays: 4 };

const DAY_MS = 86_400_000;

/** Days since the epoch of a calendar date (proleptic Gregorian). */
function epochDay(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.floor(d.getTime() / DAY_MS);
}

function weekOneStart(year: number, rules: WeekRules): number {
  const jan1 = epochDay(year, 1, 1);
  const jan1Dow = ((((jan1 + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
  const before = (jan1Dow - rules.firstDay + 7) % 7;
  return 7 - before >= rules.minimalDays ? jan1 - before : jan1 - before + 7;
}

/** Calendar.WEEK_OF_YEAR and the week-based year of a date. */
export function weekOfYear(year: number, month: number, day: number, rules: WeekRules): { week: number; year: number } {
  const d = epochDay(year, month, day);
  if (d >= weekOneStart(year + 1, rules)) return { week: 1, year: year + 1 };
  const start = weekOneStart(year, rules);
  if (d < start) return { week: Math.floor((d - weekOneStart(year - 1, rules)) / 7) + 1, year: year - 1 };
  return { week: Math.floor((d - start) / 7) + 1, year };
}

/** Calendar.WEEK_OF_MONTH. */
function weekOfMonth(year: number, month: number, day: number, rules: WeekRules): number {
  const first = epochDay(year, month, 1);
  const firstDow = ((((first + 3) % 7) + 7) % 7) + 1;
  const before = (firstDow - rules.firstDay + 7) % 7;
  const weekOne = 7 - before >= rules.minimalDays ? first - before : first - before + 7;
  return Math.floor((first + day - 1 - weekOne) / 7) + 1;
}

const pad = (n: number, width: number): string => {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
};

function offsetText(offsetMs: number, colon: boolean, minutes: boolean): string {
  const total = Math.round(Math.abs(offsetMs) / 60_000);
  const sign = offsetMs < 0 ? '-' : '+';
  const hh = pad(Math.floor(total / 60), 2);
  if (!minutes) return `${sign}${hh}`;
  return `${sign}${hh}${colon ? ':' : ''}${pad(total % 60, 2)}`;
}

/** An instant formatted with a pattern in a zone (English names, as the JVM's default locale). */
export function formatDate(pattern: DatePattern, epochMs: number, zone: Zone, rules: WeekRules = US_WEEK): string {
  const f = fieldsAt(epochMs, zone);
  const javaTime = pattern.flavour === 'java.time';
  let out = '';
  for (const t of pattern.tokens) {
    if (t.kind === 'literal') {
      out += t.text;
      continue;
    }
    const n = t.count;
    const text = (full: string): string => (n >= 4 ? full : full.slice(0, 3));
    switch (t.letter) {
      case 'G': out += f.year > 0 ? 'AD' : 'BC'; break;
      case 'y': out += n === 2 ? pad(((f.year % 100) + 100) % 100, 2) : pad(f.year, n); break;
      case 'u': out += javaTime ? (n === 2 ? pad(f.year % 100, 2) : pad(f.year, n)) : pad(f.dayOfWeek, n); break;
      case 'Y': out += pad(weekOfYear(f.year, f.month, f.day, rules).year, n); break;
      case 'M': case 'L': out += n >= 3 ? text(MONTHS[f.month - 1]!) : pad(f.month, n); break;
      case 'w': out += pad(weekOfYear(f.year, f.month, f.day, rules).week, n); break;
      case 'W': out += pad(weekOfMonth(f.year, f.month, f.day, rules), n); break;
      case 'D': out += pad(epochDay(f.year, f.month, f.day) - epochDay(f.year, 1, 1) + 1, n); break;
      case 'd': out += pad(f.day, n); break;
      case 'F': out += pad(Math.floor((f.day - 1) / 7) + 1, n); break;
      case 'E': case 'e': out += text(DAYS[f.dayOfWeek - 1]!); break;
      case 'a': out += f.hour < 12 ? 'AM' : 'PM'; break;
      case 'H': out += pad(f.hour, n); break;
      case 'k': out += pad(f.hour === 0 ? 24 : f.hour, n); break;
      case 'K': out += pad(f.hour % 12, n); break;
      case 'h': out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, n); break;
      case 'm': out += pad(f.minute, n); break;
      case 's': out += pad(f.second, n); break;
      // SimpleDateFormat's S is a millisecond count; DateTimeFormatter's is a fraction of the second.
      case 'S': out += javaTime ? pad(f.milli, 3).padEnd(n, '0').slice(0, n) : pad(f.milli, n); break;
      case 'n': out += String(f.milli * 1_000_000); break;
      case 'z': out += zoneName(zone, epochMs, n >= 4 ? 'long' : 'short'); break;
      case 'V': out += zone.id; break;
      case 'O': out += `GMT${offsetText(zone.offsetAt(epochMs), true, true)}`; break;
      case 'Z': out += n === 5 && javaTime ? offsetText(zone.offsetAt(epochMs), true, true) : offsetText(zone.offsetAt(epochMs), false, true); break;
      case 'X': case 'x': {
        const off = zone.offsetAt(epochMs);
        // SimpleDateFormat's single X drops the minutes; DateTimeFormatter's keeps non-zero ones.
        out += off === 0 && t.letter === 'X' ? 'Z' : offsetText(off, n >= 3, n >= 2 || (javaTime && off % 3_600_000 !== 0));
        break;
      }
      default: throw new Error(`Illegal pattern character '${t.letter}'`);
    }
  }
  return out;
}
