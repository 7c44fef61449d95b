// The `time:` namespace (siddhi-execution-time): formatting, parsing and
// arithmetic of dates given as strings in Java date patterns or as epoch
// milliseconds, in the process's zone (the JVM default zone in the reference)
// unless a zone is named. The current* functions read the app clock.

import type { AttributeType } from '../../../ast/index.js';
import type { CompiledExpression } from '../../expression.js';
import type { FunctionKind } from '../function-kind.js';
import { FunctionUsageError } from '../function-kind.js';
import { type Compute, INT, STRING, type Param, constantOf, defineFunction, failFunction } from './define-function.js';
import { DateParseError, parseDate } from './java-date-parse.js';
import { type DatePattern, ISO_WEEK, type PatternFlavour, US_WEEK, type WeekRules, compileDatePattern, formatDate, weekOfYear } from './java-date-pattern.js';
import { UTC, type Zone, fieldsAt, instantOf, resolveZone, systemZone } from './time-zone.js';

const DEFAULT_FORMAT = 'yyyy-MM-dd HH:mm:ss.SSS';
const STRING_OR_LONG: readonly AttributeType[] = ['string', 'long'];

/** The argument forms a function accepts, checked at plan time with one message. */
function expectForms(name: string, args: readonly CompiledExpression[], forms: readonly (readonly AttributeType[])[]): void {
  const types = args.map((a) => a.type);
  if (forms.some((f) => f.length === types.length && f.every((t, i) => t === types[i]))) return;
  throw new FunctionUsageError(
    `${name}() does not take (${types.join(', ')}); it takes ${forms.map((f) => `(${f.join(', ')})`).join(' or ')}`,
  );
}

/** A pattern argument: compiled at plan time when constant, per distinct value otherwise. */
function patternOf(name: string, arg: CompiledExpression | undefined, flavour: PatternFlavour = 'simple'): (p: string) => DatePattern {
  const compile = (p: string): DatePattern => {
    try {
      return compileDatePattern(p, flavour);
    } catch (e) {
      return failFunction(name, (e as Error).message);
    }
  };
  const c = constantOf(arg);
  if (typeof c === 'string') {
    let planned: DatePattern;
    try {
      planned = compileDatePattern(c, flavour);
    } catch (e) {
      throw new FunctionUsageError(`${name}(): ${(e as Error).message}`);
    }
    return () => planned;
  }
  return compile;
}

function zoneOf(name: string, id: string): Zone {
  try {
    return resolveZone(id);
  } catch {
    return failFunction(name, `Provided time zone ${id} is invalid.`);
  }
}

/** Parses with the reference's error text ("Provided format … does not match with the timestamp …"). */
function parseIn(name: string, pattern: DatePattern, text: string, zone: Zone = systemZone()): number {
  try {
    return parseDate(pattern, text, zone);
  } catch (e) {
    if (e instanceof DateParseError) {
      failFunction(name, `Provided format ${pattern.source} does not match with the timestamp ${text}. ${e.message}`);
    }
    throw e;
  }
}

function constantUnit(name: string, arg: CompiledExpression): string {
  const c = constantOf(arg);
  if (typeof c !== 'string') throw new FunctionUsageError(`${name}(): the unit has to be a constant string`);
  return c.toUpperCase();
}

/** Calendar.add on local fields: sub-day units move the instant, the others the calendar (month ends clamp). */
function addUnit(epochMs: number, unit: string, amount: number, zone: Zone): number {
  const ms = ({ SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000 } as Record<string, number>)[unit];
  if (ms !== undefined) return epochMs + amount * ms;
  const f = fieldsAt(epochMs, zone);
  const months = ({ MONTH: 1, QUARTER: 3, YEAR: 12 } as Record<string, number>)[unit];
  if (months !== undefined) {
    const total = f.year * 12 + (f.month - 1) + amount * months;
    const year = Math.floor(total / 12);
    const month = total - year * 12 + 1;
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const monthLength = month === 2 ? (leap ? 29 : 28) : new Date(Date.UTC(2001, month, 0)).getUTCDate();
    return instantOf({ ...f, year, month, day: Math.min(f.day, monthLength) }, zone);
  }
  const days = ({ DAY: 1, WEEK: 7 } as Record<string, number>)[unit];
  if (days !== undefined) return instantOf({ ...f, day: f.day + amount * days }, zone);
  return epochMs; // the reference leaves the date as is for an unknown unit
}

function dateShift(name: string, sign: 1 | -1): FunctionKind {
  return defineFunction({
    name,
    params: [['date.value', STRING_OR_LONG], ['expr', INT], ['unit', STRING], ['date.format', STRING]],
    optional: 1,
    returns: 'string',
    signature: `${name}(date.value string, expr int, unit string[, date.format string]) | ${name}(timestamp.in.milliseconds long, expr int, unit string) → string`,
    make: (args) => {
      expectForms(name, args, [['string', 'int', 'string'], ['string', 'int', 'string', 'string'], ['long', 'int', 'string']]);
      const unit = constantUnit(name, args[2]!);
      if (args[0]!.type === 'long') {
        return ([ms, n]) => String(addUnit(ms as number, unit, sign * (n as number), systemZone()));
      }
      const pattern = patternOf(name, args[3]);
      return ([date, n, , format]) => {
        const p = pattern((format as string | undefined) ?? DEFAULT_FORMAT);
        const zone = systemZone();
        return formatDate(p, addUnit(parseIn(name, p, date as string, zone), unit, sign * (n as number), zone), zone);
      };
    },
  });
}

/** A function of one parsed date: (value string[, format string]). */
function ofParsedDate(name: string, returns: AttributeType, result: (epochMs: number) => unknown, oneArg?: Compute): FunctionKind {
  return defineFunction({
    name,
    params: [['date.value', STRING], ['date.format', STRING]],
    optional: 1,
    returns,
    make: (args) => {
      const pattern = patternOf(name, args[1]);
      return (vs) => {
        if (vs.length === 1 && oneArg) return oneArg(vs);
        const p = pattern((vs[1] as string | undefined) ?? DEFAULT_FORMAT);
        return result(parseIn(name, p, vs[0] as string));
      };
    },
  });
}

const UNITS_OF_EXTRACT: Readonly<Record<string, (f: ReturnType<typeof fieldsAt>, rules: WeekRules) => number>> = {
  YEAR: (f) => f.year, MONTH: (f) => f.month, SECOND: (f) => f.second, MINUTE: (f) => f.minute,
  HOUR: (f) => f.hour, DAY: (f) => f.day, QUARTER: (f) => Math.floor((f.month - 1) / 3) + 1,
  WEEK: (f, rules) => weekOfYear(f.year, f.month, f.day, rules).week,
};

/** Week rules of a Java locale such as 'en_US' or 'fr_FR' (countries that start weeks on Sunday use US rules). */
function weekRulesOf(locale: string): WeekRules {
  const country = locale.split(/[_-]/)[1]?.toUpperCase() ?? '';
  const sundayFirst = ['US', 'CA', 'JP', 'BR', 'MX', 'IN', 'IL', 'KR', 'TW', 'HK', 'PH', 'ZA', 'AU', 'SA', ''];
  return sundayFirst.includes(country) ? US_WEEK : ISO_WEEK;
}

const EXTRACT: FunctionKind = defineFunction({
  name: 'time:extract',
  params: [['unit', STRING_OR_LONG], ['date.value', STRING], ['date.format', STRING], ['locale', STRING]],
  optional: 2,
  returns: 'int',
  signature: 'time:extract(unit string, date.value string[, date.format string[, locale string]]) | time:extract(timestamp.in.milliseconds long, unit string[, locale string]) → int',
  make: (args) => {
    expectForms('time:extract', args, [
      ['string', 'string'], ['string', 'string', 'string'], ['string', 'string', 'string', 'string'],
      ['long', 'string'], ['long', 'string', 'string'],
    ]);
    const millis = args[0]!.type === 'long';
    const unit = constantUnit('time:extract', args[millis ? 1 : 0]!);
    const localeArg = args[millis ? 2 : 3];
    const locale = localeArg ? constantOf(localeArg) : undefined;
    if (localeArg && typeof locale !== 'string') throw new FunctionUsageError('time:extract(): the locale has to be a constant string');
    const rules = typeof locale === 'string' ? weekRulesOf(locale) : US_WEEK;
    const read = UNITS_OF_EXTRACT[unit] ?? (() => 0);
    // In the millisecond form the third argument is the locale, not a date format.
    const pattern = patternOf('time:extract', millis ? undefined : args[2]);
    return (vs) => {
      const zone = systemZone();
      const ms = millis ? (vs[0] as number) : parseIn('time:extract', pattern((vs[2] as string | undefined) ?? DEFAULT_FORMAT), vs[1] as string, zone);
      return read(fieldsAt(ms, zone), rules);
    };
  },
});

const YEAR_MONTH_DAY = compileDatePattern('yyyy-MM-dd');
const DAY_NAME = compileDatePattern('EEEE');
const TIME_OF_DAY = compileDatePattern('HH:mm:ss');
const TIMESTAMP = compileDatePattern('yyyy-MM-dd HH:mm:ss');

function clock(name: string, pattern: DatePattern, params: readonly Param[] = [], zoneArg = false): FunctionKind {
  return defineFunction({
    name,
    params,
    optional: params.length,
    returns: 'string',
    pure: false,
    readsClock: true,
    make: (_args, ctx) => (vs) => formatDate(pattern, ctx.now(), zoneArg && vs.length > 0 ? zoneOf(name, vs[0] as string) : systemZone()),
  });
}

export const TIME_FUNCTIONS: readonly FunctionKind[] = [
  clock('time:currentDate', YEAR_MONTH_DAY),
  clock('time:currentTime', TIME_OF_DAY),
  clock('time:currentTimestamp', TIMESTAMP, [['timezone', STRING]], true),
  ofParsedDate('time:date', 'string', (ms) => formatDate(YEAR_MONTH_DAY, ms, systemZone())),
  dateShift('time:dateAdd', 1),
  dateShift('time:dateSub', -1),
  defineFunction({
    name: 'time:dateDiff',
    params: [['date.value1', STRING_OR_LONG], ['date.value2', STRING_OR_LONG], ['date.format1', STRING], ['date.format2', STRING]],
    optional: 2,
    returns: 'long',
    signature: 'time:dateDiff(date.value1 string, date.value2 string[, date.format1 string[, date.format2 string]]) | time:dateDiff(timestamp.in.milliseconds1 long, timestamp.in.milliseconds2 long) → long',
    make: (args) => {
      expectForms('time:dateDiff', args, [['string', 'string'], ['string', 'string', 'string'], ['string', 'string', 'string', 'string'], ['long', 'long']]);
      const first = patternOf('time:dateDiff', args[2]);
      const second = patternOf('time:dateDiff', args[3]);
      return (vs) => {
        const [a, b] = args[0]!.type === 'long'
          ? [vs[0] as number, vs[1] as number]
          : [parseIn('time:dateDiff', first((vs[2] as string | undefined) ?? DEFAULT_FORMAT), vs[0] as string),
            parseIn('time:dateDiff', second((vs[3] as string | undefined) ?? DEFAULT_FORMAT), vs[1] as string)];
        return Math.trunc((a - b) / 86_400_000);
      };
    },
  }),
  defineFunction({
    name: 'time:dateFormat',
    params: [['date.value', STRING_OR_LONG], ['date.target.format', STRING], ['date.source.format', STRING]],
    optional: 1,
    returns: 'string',
    signature: 'time:dateFormat(date.value string, date.target.format string[, date.source.format string]) | time:dateFormat(timestamp.in.milliseconds long, date.target.format string) → string',
    make: (args) => {
      expectForms('time:dateFormat', args, [['string', 'string'], ['string', 'string', 'string'], ['long', 'string']]);
      const target = patternOf('time:dateFormat', args[1]);
      const source = patternOf('time:dateFormat', args[2]);
      const millis = args[0]!.type === 'long';
      return (vs) => {
        const zone = systemZone();
        const ms = millis ? (vs[0] as number) : parseIn('time:dateFormat', source((vs[2] as string | undefined) ?? DEFAULT_FORMAT), vs[0] as string, zone);
        return formatDate(target(vs[1] as string), ms, zone);
      };
    },
  }),
  ofParsedDate('time:dayOfWeek', 'string', (ms) => formatDate(DAY_NAME, ms, systemZone()), ([v]) =>
    // One argument: the reference reads the text before the first space as yyyy-MM-dd.
    formatDate(DAY_NAME, parseIn('time:dayOfWeek', YEAR_MONTH_DAY, (v as string).split(' ')[0]!), systemZone())),
  EXTRACT,
  defineFunction({
    name: 'time:timestampInMilliseconds',
    params: [['date.value', STRING], ['date.format', STRING]],
    optional: 2,
    returns: 'long',
    pure: false,
    // Without arguments: now.
    readsClock: (args) => args.length === 0,
    make: (args, ctx) => {
      const pattern = patternOf('time:timestampInMilliseconds', args[1]);
      return (vs) => (vs.length === 0
        ? ctx.now()
        : parseIn('time:timestampInMilliseconds', pattern((vs[1] as string | undefined) ?? DEFAULT_FORMAT), vs[0] as string));
    },
  }),
  defineFunction({
    name: 'time:timezoneConvert',
    params: [['date.value', STRING], ['date.format', STRING], ['target.tz', STRING], ['given.tz', STRING]],
    optional: 1,
    returns: 'string',
    make: (args) => {
      const pattern = patternOf('time:timezoneConvert', args[1], 'java.time');
      return ([date, format, target, source]) => {
        const p = pattern(format as string);
        const from = source === undefined ? systemZone() : zoneOf('time:timezoneConvert', source as string);
        const to = zoneOf('time:timezoneConvert', target as string);
        let ms: number;
        try {
          ms = parseDate(p, date as string, from);
        } catch (e) {
          return failFunction('time:timezoneConvert', `Provided date value : ${String(date)} cannot be parsed by given pattern ${p.source}. ${(e as Error).message}`);
        }
        return formatDate(p, ms, to);
      };
    },
  }),
  defineFunction({
    name: 'time:utcTimestamp',
    params: [['date.format', STRING]],
    optional: 1,
    returns: 'string',
    pure: false,
    readsClock: true,
    make: (args, ctx) => {
      const pattern = patternOf('time:utcTimestamp', args[0]);
      return (vs) => formatDate(vs.length === 0 ? TIMESTAMP : pattern(vs[0] as string), ctx.now(), UTC);
    },
  }),
];
