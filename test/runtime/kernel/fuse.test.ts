import { afterEach, describe, expect, it, vi } from 'vitest';
import { SiddhiManager } from '../../../src/index.js';
import type { SiddhiAppRuntime } from '../../../src/runtime/app-runtime.js';

const S = 'define stream S (symbol string, price float, volume long, ok bool);';

function run(app: string, rows: unknown[][], kernels?: 'off'): { rt: SiddhiAppRuntime; out: unknown[][] } {
  const before = process.env.SIDDHI_KERNELS;
  if (kernels) process.env.SIDDHI_KERNELS = kernels;
  else delete process.env.SIDDHI_KERNELS;
  try {
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const out: unknown[][] = [];
    rt.addCallback('O', (events) => out.push(...events.map((e) => [e.timestamp, e.isExpired, ...e.data])));
    rt.start();
    rows.forEach((r, i) => rt.getInputHandler('S').send(r, 1000 + i));
    return { rt, out };
  } finally {
    if (before === undefined) delete process.env.SIDDHI_KERNELS;
    else process.env.SIDDHI_KERNELS = before;
  }
}

/** Which kernels fuse for `app` (SIDDHI_KERNELS=print). */
function fusedKernels(app: string): string[] {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  process.env.SIDDHI_KERNELS = 'print';
  try {
    new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    return spy.mock.calls.map((c) => String(c[0]).split(' fused')[0]!.replace('kernel ', ''));
  } finally {
    delete process.env.SIDDHI_KERNELS;
    spy.mockRestore();
  }
}

afterEach(() => {
  delete process.env.SIDDHI_KERNELS;
});

describe('kernel fusion', () => {
  it('fuses filters and a plain projection, and leaves other shapes to the operators', () => {
    expect(fusedKernels(`${S} from S[price > 5][ok] select symbol, price * 2 as p insert into O;`)).toEqual(['filter+project']);
    expect(fusedKernels(`${S} from S select symbol, price output last every 2 events insert into O;`)).toEqual([]);
    expect(fusedKernels(`${S} from S select symbol, price order by price insert into O;`)).toEqual([]);
  });

  it('normalises values on the lent-row path as the operators do (float rounding, BigInt longs, nulls)', () => {
    const app = `${S} from S[volume > 0] select symbol, price, volume, ok insert into O;`;
    const rows = [['a', 0.1, 5n, true], ['b', 1.5, 7, null], [null, 2, 9, false], ['d', 3, 0, true]];
    const fused = run(app, rows).out;
    expect(fused).toEqual(run(app, rows, 'off').out);
    expect(fused[0]).toEqual([1000, false, 'a', Math.fround(0.1), 5, true]);
    expect(fused[1]).toEqual([1001, false, 'b', 1.5, 7, null]);
  });

  it('keeps nothing of a lent row: changing it after send changes no output', () => {
    const app = `${S} from S[price > 1] select symbol, price insert into O;`;
    const { rt, out } = run(app, []);
    const row: unknown[] = ['a', 2, 1, true];
    rt.getInputHandler('S').send(row, 5);
    row[0] = 'changed';
    expect(out).toEqual([[5, false, 'a', 2]]);
  });

  it('gives each callback its own copy once a second callback or a reader shares the output', () => {
    const app = `${S} from S select symbol, price insert into O; from O select symbol insert into P;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const seen: unknown[][] = [];
    rt.addCallback('O', (events) => {
      (events[0]!.data as unknown[])[0] = 'mutated';
    });
    rt.addCallback('O', (events) => seen.push([...events[0]!.data]));
    rt.addCallback('P', (events) => seen.push([...events[0]!.data]));
    rt.start();
    rt.getInputHandler('S').send(['a', 2, 1, true], 5);
    expect(seen).toEqual([['a', 2], ['a']]);
  });

  it('still reports events sent before start and bad timestamps', () => {
    const app = `${S} from S select symbol insert into O;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    expect(() => rt.getInputHandler('S').send(['a', 1, 1, true], 1)).toThrow(/not started/);
    rt.start();
    expect(() => rt.getInputHandler('S').send(['a', 1, 1, true], 1.5)).toThrow(/timestamp must be an integer/);
    expect(() => rt.getInputHandler('S').send(['a', 'x', 1, true], 1)).toThrow(/expects float/);
  });
});
