// Quartz's documented CronTrigger examples (the tutorial's "Example Cron
// Expressions" table) checked against nextCronTime in UTC.

import { describe, expect, it } from 'vitest';
import { CronSyntaxError, parseCron } from '../../../src/runtime/cron/cron-expression.js';
import { nextCronTime } from '../../../src/runtime/cron/cron-next.js';

const utc = (s: string) => Date.parse(`${s}Z`);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString().slice(0, 19));

/** The first `n` fire times after `from`. */
function fires(expr: string, from: string, n = 3): (string | undefined)[] {
  const cron = parseCron(expr);
  const out: (string | undefined)[] = [];
  let t: number | undefined = utc(from);
  for (let i = 0; i < n && t !== undefined; i++) {
    t = nextCronTime(cron, t, 'utc');
    out.push(iso(t));
  }
  return out;
}

describe('nextCronTime on Quartz documented examples (from Thu 2026-01-01)', () => {
  const from = '2026-01-01T00:00:00';
  it.each([
    ['0 0 12 * * ?', ['2026-01-01T12:00:00', '2026-01-02T12:00:00']], // every day at noon
    ['0 15 10 ? * *', ['2026-01-01T10:15:00', '2026-01-02T10:15:00']],
    ['0 15 10 * * ?', ['2026-01-01T10:15:00', '2026-01-02T10:15:00']],
    ['0 15 10 * * ? *', ['2026-01-01T10:15:00', '2026-01-02T10:15:00']],
    ['0 15 10 * * ? 2027', ['2027-01-01T10:15:00', '2027-01-02T10:15:00']],
    ['0 * 14 * * ?', ['2026-01-01T14:00:00', '2026-01-01T14:01:00']],
    ['0 0/5 14 * * ?', ['2026-01-01T14:00:00', '2026-01-01T14:05:00']],
    ['0 0/5 14,18 * * ?', ['2026-01-01T14:00:00', '2026-01-01T14:05:00']],
    ['0 0-5 14 * * ?', ['2026-01-01T14:00:00', '2026-01-01T14:01:00']],
    ['0 10,44 14 ? 3 WED', ['2026-03-04T14:10:00', '2026-03-04T14:44:00']],
    ['0 15 10 ? * MON-FRI', ['2026-01-01T10:15:00', '2026-01-02T10:15:00']],
    ['0 15 10 15 * ?', ['2026-01-15T10:15:00', '2026-02-15T10:15:00']],
    ['0 15 10 L * ?', ['2026-01-31T10:15:00', '2026-02-28T10:15:00']],
    ['0 15 10 L-2 * ?', ['2026-01-29T10:15:00', '2026-02-26T10:15:00']],
    ['0 15 10 ? * 6L', ['2026-01-30T10:15:00', '2026-02-27T10:15:00']],
    ['0 15 10 ? * 6L 2026-2027', ['2026-01-30T10:15:00', '2026-02-27T10:15:00']],
    ['0 15 10 ? * 6#3', ['2026-01-16T10:15:00', '2026-02-20T10:15:00']],
    ['0 0 12 1/5 * ?', ['2026-01-01T12:00:00', '2026-01-06T12:00:00']],
    ['0 11 11 11 11 ?', ['2026-11-11T11:11:00', '2027-11-11T11:11:00']],
  ])('%s', (expr, want) => {
    expect(fires(expr, from, want.length)).toEqual(want);
  });

  it('counts days of week from 1 = SUN to 7 = SAT, as Quartz does', () => {
    expect(fires('0 0 0 ? * 1', from, 1)).toEqual(['2026-01-04T00:00:00']);
    expect(fires('0 0 0 ? * 7', from, 1)).toEqual(['2026-01-03T00:00:00']);
    expect(fires('0 0 0 ? * L', from, 1)).toEqual(['2026-01-31T00:00:00']); // bare L is the last Saturday
  });

  it('W moves to the nearest weekday without leaving the month', () => {
    expect(fires('0 0 12 15W * ?', from, 1)).toEqual(['2026-01-15T12:00:00']); // Thursday itself
    expect(fires('0 0 12 17W * ?', from, 1)).toEqual(['2026-01-16T12:00:00']); // Saturday → Friday
    expect(fires('0 0 12 1W 2 ?', from, 1)).toEqual(['2026-02-02T12:00:00']); // Sunday 1st → Monday 2nd
    expect(fires('0 0 12 31W 5 ?', from, 1)).toEqual(['2026-05-29T12:00:00']); // Sunday 31st → Friday 29th
    expect(fires('0 0 12 LW * ?', from, 2)).toEqual(['2026-01-30T12:00:00', '2026-02-27T12:00:00']);
  });

  it('seconds steps, names, wrapping ranges and leap days', () => {
    expect(fires('*/5 * * * * ?', from)).toEqual(['2026-01-01T00:00:05', '2026-01-01T00:00:10', '2026-01-01T00:00:15']);
    expect(fires('0/20 * * * * ?', '2026-01-01T00:00:45', 2)).toEqual(['2026-01-01T00:01:00', '2026-01-01T00:01:20']);
    expect(fires('0 0 22-2/2 * * ?', from, 4)).toEqual(['2026-01-01T02:00:00', '2026-01-01T22:00:00', '2026-01-02T00:00:00', '2026-01-02T02:00:00']);
    expect(fires('0 0 0 29 FEB ?', from, 1)).toEqual(['2028-02-29T00:00:00']);
    expect(fires('0 0 0 ? JAN-MAR SAT-SUN', from, 2)).toEqual(['2026-01-03T00:00:00', '2026-01-04T00:00:00']);
  });

  it('fires strictly after the given time', () => {
    expect(fires('0 0 12 * * ?', '2026-01-01T12:00:00', 1)).toEqual(['2026-01-02T12:00:00']);
    expect(fires('* * * * * ?', '2026-01-01T12:00:00.500', 1)).toEqual(['2026-01-01T12:00:01']);
  });

  it('an expression that can never fire again has no next time', () => {
    expect(fires('0 0 0 30 2 ?', from, 1)).toEqual([undefined]);
    expect(fires('0 0 0 * * ? 2020', from, 1)).toEqual([undefined]);
  });
});

describe('parseCron errors', () => {
  it.each([
    ['* * * * *', /6 or 7/],
    ['0 0 12 15 * MON', /both day-of-month and day-of-week/],
    ['60 * * * * ?', /second 60 .* out of range 0-59/],
    ['0 0 0 ? * FRY', /names: SUN/],
    ['0 0 0 ? * 6#6', /1 to 5/],
    ['0 ? * * * ?', /only allowed in day-of-month/],
    ['0 0/0 * * * ?', /positive integer/],
  ])('%s', (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronSyntaxError);
    expect(() => parseCron(expr)).toThrow(message);
  });
});
