// What planning one app registers, as plain data: the ordered cells (id, kind,
// version, signature text) and the names of junctions, input streams, named
// windows and queries. make-cell-golden.ts writes it for every conformance
// case; cell-ids.test.ts compares against that file.

import { SiddhiError, SiddhiManager } from '../../src/index.js';
import type { SiddhiAppRuntime } from '../../src/index.js';
import { signatureText, type CellSignature, type StateCell } from '../../src/runtime/instance.js';
import { parsedApp, type ConformanceCase } from '../conformance/runner.js';

export interface PlanDump {
  /** `[id, kind, version, signature text or null]` in registration order. */
  readonly cells?: readonly (readonly [string, string, number, string | null])[];
  readonly junctions?: readonly string[];
  readonly inputStreams?: readonly string[];
  readonly windows?: readonly string[];
  readonly queries?: readonly string[];
  /** How many start actions (triggers, purges, partition starts) the runtime runs. */
  readonly onStart?: number;
  /** The plan error, when the app does not plan. */
  readonly error?: string;
}

/** The cases' dumps by case id. */
export type PlanGolden = Readonly<Record<string, PlanDump>>;

interface Slot { readonly cell: StateCell; readonly signature: CellSignature | undefined }
/** The runtime's private parts this reads (test-only access to what a checkpoint would list). */
interface Parts {
  readonly checkpoints: { readonly slots: ReadonlyMap<string, Slot> };
  readonly junctions: ReadonlyMap<string, unknown>;
  readonly inputStreams: ReadonlySet<string>;
  readonly windows?: ReadonlyMap<string, unknown>;
  readonly queries: ReadonlyMap<string, unknown>;
  readonly onStart: readonly unknown[];
}

/** Plans `c` (playback, as the runner does) and dumps what it registered; the runtime is shut down. */
export function dumpPlan(c: ConformanceCase): PlanDump {
  let runtime: SiddhiAppRuntime;
  try {
    // From the harness's parse of the case (parsed once per worker): what is checked is what planning registers.
    runtime = new SiddhiManager().createSiddhiAppRuntime(parsedApp(c), { playback: true });
  } catch (e) {
    if (e instanceof SiddhiError) return { error: `${e.name}: ${e.message}` };
    throw e;
  }
  try {
    return dumpRuntime(runtime);
  } finally {
    runtime.shutdown();
  }
}

export function dumpRuntime(runtime: SiddhiAppRuntime): PlanDump {
  const parts = (runtime as unknown as { parts: Parts }).parts;
  return {
    cells: [...parts.checkpoints.slots].map(([id, s]) => [id, s.cell.kind, s.cell.version, s.signature === undefined ? null : signatureText(s.signature)] as const),
    junctions: [...parts.junctions.keys()],
    inputStreams: [...parts.inputStreams],
    windows: [...(parts.windows?.keys() ?? [])],
    queries: [...parts.queries.keys()],
    onStart: parts.onStart.length,
  };
}
