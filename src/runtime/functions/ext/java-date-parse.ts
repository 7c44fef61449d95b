// Parsing dates with a compiled Java pattern, as commons-lang's FastDateParser
// does for SimpleDateFormat patterns: left to right from the start, numbers
// greedy unless the next field is a number too (then exactly the pattern
// width), names case-insensitive, whitespace in the pattern matching any run of
// whitespace, trailing text ignored, out-of-range fields rolled over, missing
// fields from 1970-01-01 00:00:00.000. The 'java.time' flavour (LocalDateTime.parse)
// must consume the whole text, needs a date and an hour, and ignores a parsed offset.

import { DAYS, type DatePattern, MONTHS, type PatternToken } from './java-date-pattern.js';
import { type LocalFields, type Zone, instantOf, resolveZone, zoneOfName } from './time-zone.js';

const NUMERIC = new Set(['y', 'Y', 'u', 'M', 'L', 'w', 'W', 'D', 'd', 'F', 'H', 'k', 'K', 'h', 'm', 's', 'S', 'n', 'e']);

function isNumeric(t: PatternToken | undefined, javaTime: boolean): boolean {
  if (t?.kind !== 'field') return false;
  if ((t.letter === 'M' || t.letter === 'L') && t.count >= 3) return false;
  if (t.letter === 'e' && t.count >= 3) return false;
  return NUMERIC.has(t.letter) || (t.letter === 'u' && javaTime);
}

export class DateParseError extends Error {}

function namesOf(letter: string): readonly string[] {
  switch (letter) {
    case 'M': case 'L': return [...MONTHS, ...MONTHS.map((m) => m.slice(0, 3))];
    case 'E': case 'e': return [...DAYS, ...DAYS.map((d) => d.slice(0, 3))];
    case 'a': return ['AM', 'PM'];
    default: return ['AD', 'BC'];
  }
}

const ZONE_TEXT = /^(?:Z|[+-]\d{2}(?::?\d{2})?|(?:GMT|UTC|UT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Za-z]+(?:\/[A-Za-z_+-]+)*)/;

/** Epoch ms of `text` read with `pattern`, local fields in `zone` unless the text carries an offset. */
export function parseDate(pattern: DatePattern, text: string, zone: Zone): number {
  const javaTime = pattern.flavour === 'java.time';
  const fail = (): never => {
    throw new DateParseError(`Unparseable date: "${text}"`);
  };
  const f: LocalFields = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, milli: 0 };
  const seen = new Set<string>();
  let pm: boolean | undefined;
  let twelveHour: number | undefined;
  let twoDigitYear = false;
  let dayOfYear: number | undefined;
  // Which of day-in-month and day-in-year was read last: Java's Calendar resolves the date by the later one.
  let dayAt = -1;
  let dayOfYearAt = -1;
  let parsedZone: Zone | undefined;
  let pos = 0;
  const tokens = pattern.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'literal') {
      for (const c of t.text) {
        if (/\s/.test(c) && !javaTime) {
          while (pos < text.length && /\s/.test(text[pos]!)) pos++;
        } else if (text[pos] === c) pos++;
        else fail();
      }
      continue;
    }
    if (isNumeric(t, javaTime)) {
      const fixed = isNumeric(tokens[i + 1], javaTime) || javaTime;
      let end = pos;
      if (!fixed && (text[end] === '-' || text[end] === '+') && 'yu'.includes(t.letter)) end++;
      const limit = fixed ? pos + Math.max(t.count, t.letter === 'y' || t.letter === 'u' ? (t.count === 2 ? 2 : 4) : t.count) : text.length;
      while (end < text.length && end < limit && text[end]! >= '0' && text[end]! <= '9') end++;
      const digits = text.slice(pos, end);
      if (!/\d/.test(digits)) fail();
      const v = Number(digits);
      if ((t.letter === 'y' || (t.letter === 'u' && javaTime)) && t.count === 2 && digits.length === 2) twoDigitYear = true;
      pos = end;
      seen.add(t.letter);
      switch (t.letter) {
        case 'y': case 'Y': f.year = v; break;
        case 'u': if (javaTime) f.year = v; break;
        case 'M': case 'L': f.month = v; break;
        case 'd': f.day = v; dayAt = i; break;
        case 'D': dayOfYear = v; dayOfYearAt = i; break;
        case 'H': f.hour = v; break;
        case 'k': f.hour = v === 24 ? 0 : v; break;
        case 'K': case 'h': twelveHour = v === 12 && t.letter === 'h' ? 0 : v; break;
        case 'm': f.minute = v; break;
        case 's': f.second = v; break;
        case 'S': f.milli = javaTime ? Math.floor(Number(`0.${digits}`) * 1000) : v; break;
        default: break; // week fields and day-in-week numbers do not move the date, as in the reference's lenient parse
      }
      continue;
    }
    const rest = text.slice(pos);
    if (t.letter === 'z' || t.letter === 'Z' || t.letter === 'X' || t.letter === 'x' || t.letter === 'V' || t.letter === 'O') {
      const m = ZONE_TEXT.exec(rest);
      if (!m) fail();
      try {
        const id = m![0];
        parsedZone = resolveZone(/^[+-]\d{4}$/.test(id) ? `${id.slice(0, 3)}:${id.slice(3)}` : id);
      } catch {
        // Names 'z' writes that are not zone ids (EDT, CEST, …) read back as their offset.
        parsedZone = zoneOfName(m![0]) ?? fail();
      }
      pos += m![0].length;
      continue;
    }
    const names = namesOf(t.letter);
    const lower = rest.toLowerCase();
    const hit = names.filter((n) => lower.startsWith(n.toLowerCase())).sort((a, b) => b.length - a.length)[0];
    if (hit === undefined) fail();
    pos += hit!.length;
    const index = names.indexOf(hit!);
    if (t.letter === 'M' || t.letter === 'L') {
      f.month = (index % 12) + 1;
      seen.add('M');
    } else if (t.letter === 'a') pm = index === 1;
    else if (t.letter === 'G' && index === 1) f.year = 1 - f.year;
  }
  if (javaTime) {
    if (pos !== text.length) throw new DateParseError(`Text '${text}' could not be parsed, unparsed text found at index ${pos}`);
    const hasDate = (seen.has('y') || seen.has('u')) && seen.has('M') && seen.has('d');
    if (!hasDate || !(seen.has('H') || seen.has('k') || twelveHour !== undefined)) {
      throw new DateParseError(`Text '${text}' could not be parsed: Unable to obtain LocalDateTime`);
    }
    parsedZone = undefined;
  }
  if (twelveHour !== undefined) f.hour = twelveHour + (pm ? 12 : 0);
  else if (pm !== undefined && pm && f.hour < 12) f.hour += 12;
  if (twoDigitYear) f.year = adjustTwoDigitYear(f.year);
  // As GregorianCalendar: a day-in-year read after any day-in-month sets the date, the month ignored
  // ('yyyy-MM-DD' reads 2007-11-30 as January 30th); lenient, so day 200 runs on into July.
  if (dayOfYear !== undefined && dayOfYearAt > dayAt) {
    f.month = 1;
    f.day = dayOfYear;
  }
  return instantOf(f, parsedZone ?? zone);
}

/** A two-digit year lands within 80 years before and 20 after now (SimpleDateFormat's default century). */
function adjustTwoDigitYear(yy: number): number {
  const start = new Date().getUTCFullYear() - 80;
  const century = Math.floor(start / 100) * 100;
  const y = century + yy;
  return y < start ? y + 100 : y;
}
