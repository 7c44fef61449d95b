// The `time:` namespace beyond its conformance cases: Java patterns (format,
// parse, errors), zones through Intl, and a date that does not match its format.

import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError, SiddhiRuntimeError } from '../../../src/index.js';
import { parseDate } from '../../../src/runtime/functions/ext/java-date-parse.js';
import { compileDatePattern, formatDate, ISO_WEEK, US_WEEK, weekOfYear } from '../../../src/runtime/functions/ext/java-date-pattern.js';
import { UTC, instantOf, resolveZone } from '../../../src/runtime/functions/ext/time-zone.js';

const p = (s: string, flavour: 'simple' | 'java.time' = 'simple') => compileDatePattern(s, flavour);
const at = Date.UTC(2014, 10, 11, 7, 53, 44, 657); // 2014-11-11T07:53:44.657Z, a Tuesday

describe('Java date patterns', () => {
  it('formats every SimpleDateFormat letter the way Java prints it', () => {
    expect(formatDate(p("G yyyy yy y MMMM MMM MM M d dd D"), at, UTC)).toBe('AD 2014 14 2014 November Nov 11 11 11 11 315');
    expect(formatDate(p('EEEE EEE u F w W'), at, UTC)).toBe('Tuesday Tue 2 2 46 3');
    expect(formatDate(p('H HH k K h hh a m mm s ss S SSS'), at, UTC)).toBe('7 07 7 7 7 07 AM 53 53 44 44 657 657');
    expect(formatDate(p("Z X XX XXX '' 'o''clock'"), at, resolveZone('IST'))).toBe("+0530 +05 +0530 +05:30 ' o'clock");
    expect(formatDate(p('X'), at, UTC)).toBe('Z');
  });

  it('refuses unknown letters and unterminated quotes, at plan time when the pattern is constant', () => {
    expect(() => p('yyyy-bb')).toThrow("Illegal pattern character 'b'");
    expect(() => p("yyyy 'T")).toThrow('Unterminated quote');
    const e = (() => {
      try {
        new SiddhiManager().createSiddhiAppRuntime("define stream S (v string);\nfrom S select time:dateFormat(v, 'yyyy-qq') as x insert into Out;");
      } catch (err) {
        return err as SiddhiPlanError;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(SiddhiPlanError);
    expect(e!.message).toContain("Illegal pattern character 'q'");
    expect([e!.line, e!.column]).toEqual([2, 15]);
  });

  it('parses greedily, adjacent numbers by width, names in any case, trailing text ignored', () => {
    expect(parseDate(p('yyyy-MM-dd'), '2014-3-9 trailing', UTC)).toBe(Date.UTC(2014, 2, 9));
    expect(parseDate(p('yyyyMMddHHmm'), '201411111323', UTC)).toBe(Date.UTC(2014, 10, 11, 13, 23));
    expect(parseDate(p('dd MMM yyyy hh:mm a'), '05 feb 2016 12:05 am', UTC)).toBe(Date.UTC(2016, 1, 5, 0, 5));
    expect(parseDate(p('dd MMMM yyyy hh a'), '05 FEBRUARY 2016 01 PM', UTC)).toBe(Date.UTC(2016, 1, 5, 13));
    expect(parseDate(p('yyyy-MM-dd HH:mm:ss Z'), '2014-11-11 13:23:44 +0530', UTC)).toBe(Date.UTC(2014, 10, 11, 7, 53, 44));
    expect(parseDate(p('yyyy-MM-dd'), '2014-13-32', UTC)).toBe(Date.UTC(2015, 1, 1)); // lenient roll-over
    expect(() => parseDate(p('yyyy-MM-dd'), '2014:11:11', UTC)).toThrow('Unparseable date: "2014:11:11"');
  });

  it('java.time patterns must consume the whole text and carry a date and an hour', () => {
    expect(parseDate(p('yyyy-MM-dd HH:mm', 'java.time'), '2020-11-18 06:56', UTC)).toBe(Date.UTC(2020, 10, 18, 6, 56));
    expect(() => parseDate(p('yyyy-MM-dd', 'java.time'), '2020-11-18', UTC)).toThrow('LocalDateTime');
    expect(() => parseDate(p('yyyy-MM-dd HH:mm', 'java.time'), '2020-11-18 06:56 x', UTC)).toThrow('unparsed text');
  });

  it('converts local fields in region zones across daylight saving', () => {
    const la = resolveZone('PST');
    expect(instantOf({ year: 2019, month: 8, day: 7, hour: 7, minute: 19, second: 10, milli: 0 }, la)).toBe(Date.UTC(2019, 7, 7, 14, 19, 10));
    expect(instantOf({ year: 2019, month: 12, day: 7, hour: 7, minute: 19, second: 10, milli: 0 }, la)).toBe(Date.UTC(2019, 11, 7, 15, 19, 10));
    // 02:30 does not exist on 2019-03-10 in Los Angeles: it moves forward an hour.
    expect(instantOf({ year: 2019, month: 3, day: 10, hour: 2, minute: 30, second: 0, milli: 0 }, la)).toBe(Date.UTC(2019, 2, 10, 10, 30));
    expect(resolveZone('GMT+5').offsetAt(0)).toBe(5 * 3600_000);
    expect(resolveZone('-03:30').offsetAt(0)).toBe(-3.5 * 3600_000);
    expect(() => resolveZone('Mars/Olympus')).toThrow("unknown time zone id 'Mars/Olympus'");
  });

  it('numbers weeks by locale rules', () => {
    expect(weekOfYear(2016, 12, 31, US_WEEK)).toEqual({ week: 53, year: 2016 });
    expect(weekOfYear(2014, 12, 29, ISO_WEEK)).toEqual({ week: 1, year: 2015 });
    expect(weekOfYear(2016, 1, 1, ISO_WEEK)).toEqual({ week: 53, year: 2015 });
  });
});

describe("pattern letter 'z' (zone names as SimpleDateFormat writes them)", () => {
  const JAN = Date.UTC(2020, 0, 15, 12);
  const JUL = Date.UTC(2020, 6, 15, 12);
  const z = (zone: string, at: number, pattern = 'z') => formatDate(p(pattern), at, resolveZone(zone));

  it('writes US names from Intl and the short names Java uses elsewhere, per daylight saving', () => {
    expect([z('America/New_York', JAN), z('America/New_York', JUL), z('PST', JAN)]).toEqual(['EST', 'EDT', 'PST']);
    expect([z('Asia/Kolkata', JAN), z('IST', JUL), z('Asia/Tokyo', JAN)]).toEqual(['IST', 'IST', 'JST']);
    expect([z('Europe/London', JAN), z('Europe/London', JUL), z('Europe/Berlin', JAN), z('Europe/Berlin', JUL)]).toEqual(['GMT', 'BST', 'CET', 'CEST']);
    expect([z('Australia/Sydney', JAN), z('Australia/Sydney', JUL)]).toEqual(['AEDT', 'AEST']);
    expect([z('UTC', JAN), z('GMT', JAN)]).toEqual(['UTC', 'GMT']);
  });

  it("writes 'GMT+hh:mm' for a zone without a name and the long name for zzzz", () => {
    expect([z('+05:30', JAN), z('-03:00', JAN), z('Asia/Kathmandu', JAN)]).toEqual(['GMT+05:30', 'GMT-03:00', 'GMT+05:45']);
    expect(z('Asia/Kolkata', JAN, 'zzzz')).toBe('India Standard Time');
    expect(z('America/Chicago', JUL, 'yyyy-MM-dd HH:mm z')).toBe('2020-07-15 07:00 CDT');
  });

  it('reads back what it writes', () => {
    const read = (text: string) => parseDate(p('yyyy-MM-dd HH:mm z'), text, UTC);
    expect(read('2020-07-15 07:00 CDT')).toBe(JUL);
    expect(read('2020-07-15 14:00 CEST')).toBe(JUL);
    expect(read('2020-07-15 17:30 IST')).toBe(JUL);
    expect(read('2020-07-15 17:30 GMT+05:30')).toBe(JUL);
    expect(() => read('2020-07-15 17:30 XYZT')).toThrow('Unparseable date');
  });
});

describe('time: functions at run time', () => {
  it('fails an event whose date does not match its format with the reference message', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(
      "define stream S (v string);\nfrom S select time:dateAdd(v, 1, 'DAY', 'yyyy-MM-dd') as x insert into Out;", { playback: true });
    const out: unknown[] = [];
    rt.addCallback('Out', (events) => events.forEach((e) => out.push(e.data[0])));
    const errors: Error[] = [];
    rt.onError((e) => errors.push(e));
    rt.start();
    rt.getInputHandler('S').send(['2014:11:11'], 1000);
    rt.getInputHandler('S').send(['2014-11-11'], 1002);
    rt.shutdown();
    expect(out).toEqual(['2014-11-12']);
    expect(errors.map((e) => e.message)).toEqual([
      "stream 'S': time:dateAdd(): Provided format yyyy-MM-dd does not match with the timestamp 2014:11:11. Unparseable date: \"2014:11:11\"; event dropped"]);
    expect(errors[0]).toBeInstanceOf(SiddhiRuntimeError);
  });

  it('reports an unknown zone of currentTimestamp', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(
      "define stream S (v string);\nfrom S select time:currentTimestamp(v) as x insert into Out;", { playback: true });
    const errors: string[] = [];
    rt.onError((e) => errors.push(e.message));
    rt.start();
    rt.getInputHandler('S').send(['Nowhere/Town'], 1000);
    rt.shutdown();
    expect(errors).toEqual([expect.stringContaining('Provided time zone Nowhere/Town is invalid.')]);
  });

  it('refuses argument forms the reference refuses', () => {
    const plan = (q: string) => () => new SiddhiManager().createSiddhiAppRuntime(`define stream S (v string, l long);\n${q}`);
    expect(plan("from S select time:dateFormat(l, 'ss', 'yyyy') as x insert into Out;")).toThrow('time:dateFormat() does not take (long, string, string)');
    expect(plan("from S select time:dateDiff(v, l) as x insert into Out;")).toThrow('time:dateDiff() does not take (string, long)');
    expect(plan("from S select time:extract(l, 'YEAR', v) as x insert into Out;")).toThrow('the locale has to be a constant string');
  });
});
