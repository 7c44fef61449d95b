// validateSiddhiApp (`siddhi check`) plans top-level queries without building
// their operators: what building would refuse (window arguments, output rates)
// is refused when planning, with createSiddhiAppRuntime's message and place.

import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiPlanError } from '../../src/index.js';

const S = 'define stream S (symbol string, price double, ts long);\n';

/** How each entry point refuses `app`: message, line and column. */
function refusals(app: string): string[] {
  const manager = new SiddhiManager();
  return [() => manager.createSiddhiAppRuntime(app, { playback: true }), () => manager.validateSiddhiApp(app)].map((f) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(SiddhiPlanError);
      const err = e as SiddhiPlanError & { line?: number; column?: number };
      return `${err.line}:${err.column} ${err.message}`;
    }
    return 'accepted';
  });
}

describe('validateSiddhiApp refuses at plan time what building would refuse', () => {
  it.each([
    ['a window argument of the wrong type', `${S}from S#window.length(2.5) select symbol insert into O;`, /2:22 .*window\.length must be int or long/],
    ['too many window arguments', `${S}from S#window.time(1 sec, 2) select symbol insert into O;`, /2:27 .*takes 1 argument but got 2/],
    ['a session latency past its gap', `${S}from S#window.session(1 sec, symbol, 2 sec) select symbol insert into O;`, /2:38 .*must not exceed session.gap/],
    ['a bad cron expression', `${S}from S#window.cron('nonsense') select symbol insert into O;`, /2:20 .*window 'cron'/],
    ['a zero output period', `${S}from S select symbol output last every 0 sec insert into O;`, /2:22 .*output rate period must be a positive integer, got 0/],
    ['a named window with a bad argument', 'define window W (a int) length(-1);\nfrom W select a insert into O;', /1:32 .*window\.length must be an integer >= 0, got -1/],
  ])('%s', (_what, app, expected) => {
    const [created, checked] = refusals(app);
    expect(created).toMatch(expected);
    expect(checked).toBe(created);
  });

  it('accepts what runs, partitions included', () => {
    const app = `${S}from S#window.lengthBatch(2) select symbol, sum(price) as total group by symbol output last every 2 events insert into O;\n`
      + 'partition with (symbol of S) begin from S#window.time(1 sec) select symbol, count() as n insert into P; end;';
    expect(refusals(app)).toEqual(['accepted', 'accepted']);
  });
});
