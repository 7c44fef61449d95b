// A pattern's state cells: the matches under `q/pattern`, each state under
// `q/pattern:N`, all signed with the query input, so a restore into an app
// whose pattern changed reports them instead of loading them.

import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiStateError } from '../../../../src/index.js';

const APP = `
define stream S (id int, price double);
define stream T (id int, price double);
@info(name = 'q')
from every e1=S[price > 10] -> e2=T[id == e1.id] -> not S[id == e1.id] for 1 sec
select e1.id as id insert into Out;`;

function snapshotOf(app: string): Uint8Array {
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  rt.start();
  rt.getInputHandler('S').send([1, 11], 1000);
  rt.getInputHandler('T').send([1, 12], 1100);
  const bytes = rt.snapshot();
  rt.shutdown();
  return bytes;
}

const CELLS = ['q/pattern', 'q/pattern:1', 'q/pattern:2', 'q/pattern:3'];

describe('pattern state cells', () => {
  it('are the matches and one cell per state position', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    rt.start();
    const report = rt.restore(snapshotOf(APP));
    expect(report.restored.filter((id) => id.startsWith('q/pattern')).sort()).toEqual(CELLS);
  });

  it('are reported as changed, not loaded, when the pattern changed', () => {
    const bytes = snapshotOf(APP);
    const edited = APP.replace('price > 10', 'price > 20');
    const rt = new SiddhiManager().createSiddhiAppRuntime(edited, { playback: true });
    rt.start();
    expect(() => rt.restore(bytes)).toThrow(SiddhiStateError);
    const report = rt.restore(bytes, { lenient: true });
    expect(report.changed.filter((id) => id.startsWith('q/pattern')).sort()).toEqual(CELLS);
  });
});
