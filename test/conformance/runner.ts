// Runs conformance cases (../../../shared/conformance/FORMAT.md) through the
// public API in playback mode, plain and with checkpoint equivalence.
// Called by run.ts (CLI) and the conformance test files (vitest).

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InMemoryStore, SiddhiError, SiddhiManager, parseSiddhiApp } from '../../src/index.js';
import type { ParsedSiddhiApp, SiddhiAppPlan, SiddhiAppRuntime } from '../../src/index.js';
import type { Query } from '../../src/ast/query.js';
import { compareStream, expectedRow, stringify, toRow } from './compare.js';
import type { ExpectedEvent, RecordedEvent } from './compare.js';
import { EXPECTED_ERRORS, type ExpectedError } from './expected-errors.js';

export type InputStep =
  | { readonly stream: string; readonly time: number; readonly data: readonly unknown[] }
  | { readonly time: number }
  | { readonly checkpoint: true }
  | { readonly restart: true };

export interface ConformanceCase {
  readonly id: string;
  readonly source?: string;
  readonly features?: readonly string[];
  readonly description?: string;
  readonly app: string;
  readonly input?: readonly InputStep[];
  readonly expect?: Readonly<Record<string, readonly ExpectedEvent[]>>;
  readonly expectCount?: Readonly<Record<string, number>>;
  readonly unordered?: boolean;
  readonly expectError?: 'compile';
  readonly tolerance?: number;
  readonly notes?: string;
  /** The file the case came from (set by loadCases). */
  readonly file?: string;
}

export type Mode = 'plain' | 'equivalence';

export interface CaseResult {
  readonly id: string;
  readonly mode: Mode;
  readonly status: 'pass' | 'fail' | 'skipped';
  /** One line. */
  readonly reason: string;
  /** The full diff or error, several lines. */
  readonly details: string;
}

/**
 * How checkpoint and restart steps are carried out. 'full': `snapshot()` and
 * `restore(bytes)`. 'incremental': `persist()` into an InMemoryStore shared by
 * the run's runtimes and `restoreLastRevision()`; equivalence runs then persist
 * after every input step, so restarts restore real chains (a base + deltas).
 */
export type CheckpointMode = 'full' | 'incremental';

export interface RunOptions {
  /** Default 'full'. */
  readonly mode?: CheckpointMode;
}

interface RecordOptions {
  readonly mode: CheckpointMode;
  /**
   * persist() after every input step (incremental mode only); a run resumed
   * from a kept state after step 1 or later persists after its first and its
   * last step only (see runEquivalence).
   */
  readonly persistEachStep: boolean;
  /** Called with the state after every step (equivalence prefix runs). */
  readonly keep?: (saved: SavedStep) => void;
  /** Start from a kept state instead of the first step. */
  readonly resume?: { readonly from: SavedStep; readonly prefix: Recording };
}

/** Everything one run recorded: events per watched stream plus reported errors. */
export interface Recording {
  readonly streams: Map<string, RecordedEvent[]>;
  /** SiddhiEventError and friends thrown by send(), with the step index. */
  readonly sendErrors: string[];
  /** Errors the runtime reported through onError (informational). */
  readonly reported: string[];
  /** Attribute types of the watched streams, from the runtime (inferred streams included). */
  readonly types: Map<string, string[]>;
}

/** Loads case files; directories contribute their *.json files in name order. */
export function loadCases(paths: readonly string[]): ConformanceCase[] {
  const files: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).filter((n) => n.endsWith('.json')).sort()) files.push(join(p, f));
    } else files.push(p);
  }
  return files.map((file) => {
    const c = JSON.parse(readFileSync(file, 'utf8')) as ConformanceCase;
    if (typeof c.id !== 'string' || typeof c.app !== 'string') throw new Error(`${file}: a case needs string 'id' and 'app'`);
    return { ...c, file };
  });
}

const parsedApps = new WeakMap<ConformanceCase, ParsedSiddhiApp>();

/**
 * The case's app, parsed once per process: plannedApp and validateSiddhiApp
 * plan from it (the mode files share a vitest worker's modules, and the cases
 * with them). parseSiddhiApp freezes it, so a plan that changed it throws.
 */
export function parsedApp(c: ConformanceCase): ParsedSiddhiApp {
  let parsed = parsedApps.get(c);
  if (parsed === undefined) parsedApps.set(c, (parsed = parseSiddhiApp(c.app)));
  return parsed;
}

/** The kernel setting runs are planned and recorded under (SIDDHI_KERNELS, '' when unset). */
const kernelSetting = (): string => process.env.SIDDHI_KERNELS ?? '';
const plannedApps = new WeakMap<ConformanceCase, Map<string, SiddhiAppPlan>>();

/** A pattern or sequence query, in a partition or not: the only queries whose planning reads SIDDHI_KERNELS (plan-pattern.ts). */
export function hasPattern(c: ConformanceCase): boolean {
  const isPattern = (q: Query): boolean => q.input.kind === 'state';
  return parsedApp(c).app.elements.some((e) => (e.kind === 'query' && isPattern(e)) || (e.kind === 'partition' && e.queries.some(isPattern)));
}

/**
 * The case's app planned once per process and kernel setting, from parsedApp:
 * every runtime of every run of the case is built from it (planSiddhiApp /
 * createSiddhiAppRuntime(plan)), the restarts of the equivalence runs
 * included, instead of planning each (about two thirds of a runtime's
 * creation). Only a pattern's planning reads the setting, so other apps are
 * planned once for all settings. A plan that does not plan throws each time,
 * as createSiddhiAppRuntime did.
 */
export function plannedApp(c: ConformanceCase): SiddhiAppPlan {
  let byKernels = plannedApps.get(c);
  if (byKernels === undefined) plannedApps.set(c, (byKernels = new Map()));
  const kernels = hasPattern(c) ? kernelSetting() : '';
  let plan = byKernels.get(kernels);
  if (plan === undefined) byKernels.set(kernels, (plan = new SiddhiManager().planSiddhiApp(parsedApp(c))));
  return plan;
}

/** Streams the case compares: those named in expect or expectCount. */
export function watchedStreams(c: ConformanceCase): string[] {
  return [...new Set([...Object.keys(c.expect ?? {}), ...Object.keys(c.expectCount ?? {})])];
}

/** Whether the case has its own checkpoint/restart steps (they run differently per mode). */
export function hasOwnCheckpoints(c: ConformanceCase): boolean {
  return (c.input ?? []).some((s) => 'checkpoint' in s || 'restart' in s);
}

/** Why the case is exempt from the equivalence check, or undefined when it is not. */
export function equivalenceExemption(c: ConformanceCase): string | undefined {
  if (c.expectError !== undefined) return 'expects a compile error';
  if (c.expect === undefined && c.expectCount === undefined) return 'no expectations';
  if (hasOwnCheckpoints(c)) return 'has its own checkpoint/restart steps';
  if (/\bat\s+'start'/.test(c.app)) return "has an at 'start' trigger";
  return undefined;
}

/**
 * The recordings of runCase's full-mode runs in this process, by case and
 * kernel setting (SIDDHI_KERNELS), until a full equivalence run of the same
 * case and setting takes one as its uninterrupted run instead of playing the
 * same steps again (the same record() call; playback is deterministic). The
 * conformance test files run every case plain, then with full equivalence.
 */
const plainRuns = new WeakMap<ConformanceCase, Map<string, Recording>>();

/** Runs the case as written and compares with its expectations. */
export async function runCase(c: ConformanceCase, opts: RunOptions = {}): Promise<CaseResult> {
  const result = (status: CaseResult['status'], reason: string, details = reason): CaseResult => ({ id: c.id, mode: 'plain', status, reason, details });
  if (c.expectError === 'compile') return checkCompileError(c);
  let rec: Recording;
  try {
    // `siddhi check` plans without building operators: it must accept what runs. Given the plan
    // the runs are built from, it does only the validating build (the planning is the same call).
    new SiddhiManager().validateSiddhiApp(plannedApp(c));
  } catch (err) {
    return result('fail', `validateSiddhiApp refused the app: ${firstLine(err)}`, describeError(err));
  }
  const mode = opts.mode ?? 'full';
  try {
    rec = await record(c, c.input ?? [], { mode, persistEachStep: false });
  } catch (err) {
    return result('fail', `threw: ${firstLine(err)}`, describeError(err));
  }
  if (mode === 'full' && equivalenceExemption(c) === undefined) {
    let runs = plainRuns.get(c);
    if (runs === undefined) plainRuns.set(c, (runs = new Map()));
    runs.set(kernelSetting(), rec);
  }
  const diff = [...sendErrorLines(rec), ...diffAgainstExpectations(c, rec)];
  if (diff.length === 0) return result('pass', '');
  return result('fail', diff[0]!, [...diff, ...reportedLines(rec)].join('\n'));
}

/**
 * Runs the case uninterrupted, then once per input step with a checkpoint +
 * restart after it. In incremental mode the uninterrupted run persists after
 * every step and the restart restores the newest revision of that chain; the
 * restarted run persists after its first step (a delta onto the restored
 * chain, while restored memory is still read) and its last (the state grown
 * from the restored one), not after each step between: those revisions are
 * never restored, and persisting there too made the restarted runs O(steps²)
 * checkpoints per case (~30% of the incremental files' CPU). The restart
 * after step 0 alone persists after every step: what a persist does to a
 * restored runtime's live state is then still compared after every later step
 * (the uninterrupted run never restores).
 *
 * The interrupted runs share their prefix: one prefix run keeps the state after
 * every step (a snapshot, or a copy of the store's revisions), and the restart
 * after step i opens a fresh runtime from that state and plays only the steps
 * after i. Playback is deterministic, so this is the run "steps, checkpoint,
 * restart, rest" at half the cost; the prefix run's own output is compared too.
 * In full mode the uninterrupted run is runCase's when it ran the case before
 * in this process with the same SIDDHI_KERNELS (plainRuns).
 */
export async function runEquivalence(c: ConformanceCase, opts: RunOptions = {}): Promise<CaseResult> {
  const mode = opts.mode ?? 'full';
  const result = (status: CaseResult['status'], reason: string, details = reason): CaseResult => ({ id: c.id, mode: 'equivalence', status, reason, details });
  const exempt = equivalenceExemption(c);
  if (exempt !== undefined) return result('skipped', exempt);
  const steps = c.input ?? [];
  const ropts: RecordOptions = { mode, persistEachStep: mode === 'incremental' };
  // Incremental: the baseline persists after every step, so it is its own prefix run.
  const saved: SavedStep[] = [];
  const keep = (s: SavedStep): void => void saved.push(s);
  let baseline: Recording;
  try {
    const plain = mode === 'full' ? plainRuns.get(c) : undefined;
    const recorded = plain?.get(kernelSetting());
    plain?.delete(kernelSetting());
    baseline = recorded ?? (await record(c, steps, mode === 'incremental' ? { ...ropts, keep } : ropts));
  } catch (err) {
    return result('fail', `uninterrupted run threw: ${firstLine(err)}`, describeError(err));
  }
  const own = [...sendErrorLines(baseline), ...diffAgainstExpectations(c, baseline)];
  if (own.length > 0) return result('fail', `uninterrupted run: ${own[0]}`, ['uninterrupted run:', ...own, ...reportedLines(baseline)].join('\n'));
  let prefix = baseline;
  if (mode === 'full') {
    const where = 'full run snapshotting after every step';
    try {
      prefix = await record(c, steps, { ...ropts, keep });
    } catch (err) {
      return result('fail', `${where} threw: ${firstLine(err)}`, describeError(err));
    }
    const diff = [...sendErrorLines(prefix), ...diffAgainstBaseline(c, baseline, prefix)];
    if (diff.length > 0) return result('fail', `${where}: ${diff[0]}`, [`${where}: output differs from the uninterrupted run`, ...diff].join('\n'));
  }
  for (let i = 0; i < steps.length; i++) {
    // Written only for a failure: most steps restart and pass.
    const where = (): string => `${mode} restart after step ${i} ${stringify(steps[i])}`;
    let rec: Recording;
    try {
      rec = await record(c, steps, { ...ropts, resume: { from: saved[i]!, prefix } });
    } catch (err) {
      return result('fail', `${where()}: threw ${firstLine(err)}`, `${where()}\n${describeError(err)}`);
    }
    const diff = [...sendErrorLines(rec), ...diffAgainstBaseline(c, baseline, rec)];
    if (diff.length > 0) {
      const header = `${where()}: output differs from the uninterrupted run ('expected' = uninterrupted)`;
      return result('fail', `${where()}: ${diff[0]}`, [header, ...diff, ...reportedLines(rec)].join('\n'));
    }
  }
  return result('pass', '');
}

/** The state after one step of a prefix run, and how much of its recording was written by then. */
interface SavedStep {
  readonly step: number;
  readonly state: Uint8Array | InMemoryStore;
  readonly lengths: ReadonlyMap<string, number>;
  readonly sendErrors: number;
  readonly reported: number;
}

/** Copies the store's revisions as they are now (bytes are never mutated: load() copies). */
async function copyStore(store: InMemoryStore, appNames: Iterable<string>): Promise<InMemoryStore> {
  const copy = new InMemoryStore();
  for (const app of appNames) {
    for (const rev of await store.list(app)) copy.put(app, rev, (await store.load(app, rev))!);
  }
  return copy;
}

/** Remembers which apps saved checkpoints, so the store can be copied. */
class NamedStore extends InMemoryStore {
  readonly savedApps = new Set<string>();
  override save(appName: string, revision: string, bytes: Uint8Array): Promise<void> {
    this.savedApps.add(appName);
    return super.save(appName, revision, bytes);
  }
}

/**
 * Applies steps to a fresh playback runtime, following checkpoint/restart steps.
 * `keep` saves the state after every step; `resume` starts from such a state,
 * with the prefix run's output up to it, and plays the steps after it.
 */
export async function record(c: ConformanceCase, steps: readonly InputStep[], opts: RecordOptions): Promise<Recording> {
  const manager = new SiddhiManager();
  const from = opts.resume?.from;
  const named = new NamedStore();
  const store = from?.state instanceof InMemoryStore ? from.state : named;
  const watched = watchedStreams(c);
  const rec: Recording = { streams: new Map(watched.map((s) => [s, []])), sendErrors: [], reported: [], types: new Map() };
  if (opts.resume !== undefined && from !== undefined) {
    const p = opts.resume.prefix;
    for (const s of watched) rec.streams.set(s, (p.streams.get(s) ?? []).slice(0, from.lengths.get(s) ?? 0));
    rec.sendErrors.push(...p.sendErrors.slice(0, from.sendErrors));
    rec.reported.push(...p.reported.slice(0, from.reported));
  }
  const open = (): SiddhiAppRuntime => {
    const rt = manager.createSiddhiAppRuntime(plannedApp(c), { playback: true, store });
    rt.onError((err) => rec.reported.push(firstLine(err)));
    for (const s of watched) {
      const sink = rec.streams.get(s)!;
      rt.addCallback(s, (events) => {
        for (const e of events) sink.push({ timestamp: e.timestamp, data: [...e.data], isExpired: e.isExpired });
      });
      rec.types.set(s, rt.getStreamAttributes(s).map((a) => a.type));
    }
    rt.start();
    return rt;
  };
  let rt = open();
  if (from !== undefined) {
    if (from.state instanceof InMemoryStore) await rt.restoreLastRevision();
    else rt.restore(from.state);
  }
  let snapshot: Uint8Array | undefined;
  try {
    for (let i = from === undefined ? 0 : from.step + 1; i < steps.length; i++) {
      const step = steps[i]!;
      if ('checkpoint' in step) {
        if (opts.mode === 'incremental') await rt.persist();
        else snapshot = rt.snapshot();
        continue;
      }
      if ('restart' in step) {
        rt.shutdown();
        rt = open();
        if (opts.mode === 'incremental') await rt.restoreLastRevision();
        else if (snapshot !== undefined) rt.restore(snapshot);
        continue;
      }
      if ('stream' in step) {
        try {
          rt.getInputHandler(step.stream).send([...step.data], step.time);
        } catch (err) {
          rec.sendErrors.push(`step ${i} ${stringify(step)}: ${firstLine(err)}`);
        }
      } else if ('time' in step) rt.advanceTime(step.time);
      else throw new Error(`step ${i}: unknown step ${stringify(step)}`);
      if (opts.persistEachStep && (from === undefined || from.step === 0 || i === from.step + 1 || i === steps.length - 1)) await rt.persist();
      if (opts.keep !== undefined) {
        const state = opts.mode === 'incremental' ? await copyStore(store, named.savedApps) : rt.snapshot();
        opts.keep({
          step: i,
          state,
          lengths: new Map([...rec.streams].map(([s, events]) => [s, events.length])),
          sendErrors: rec.sendErrors.length,
          reported: rec.reported.length,
        });
      }
    }
  } finally {
    rt.shutdown();
  }
  return rec;
}

function checkCompileError(c: ConformanceCase): CaseResult {
  const result = (status: CaseResult['status'], reason: string, details = reason): CaseResult => ({ id: c.id, mode: 'plain', status, reason, details });
  let rt: SiddhiAppRuntime;
  try {
    rt = new SiddhiManager().createSiddhiAppRuntime(c.app, { playback: true });
  } catch (err) {
    if (!(err instanceof SiddhiError)) return result('fail', `threw a non-Siddhi error: ${firstLine(err)}`, describeError(err));
    const wrong = wrongError(c.id, err) ?? differentCheck(c.app, err);
    if (wrong === undefined) return result('pass', `rejected: ${firstLine(err)}`, describeError(err));
    return result('fail', `rejected for another reason: ${wrong}`, `${wrong}\n${describeError(err)}`);
  }
  let late = '';
  try {
    rt.start();
  } catch (err) {
    late = ` (start() threw instead: ${firstLine(err)})`;
  } finally {
    rt.shutdown();
  }
  return result('fail', `expected a compile error; createSiddhiAppRuntime succeeded${late}`);
}

/** How validateSiddhiApp (`siddhi check`, which builds no operators) refuses `app` differently from createSiddhiAppRuntime's `err`. */
function differentCheck(app: string, err: SiddhiError): string | undefined {
  const where = (e: unknown) => {
    const x = e as { message?: string; line?: number; column?: number };
    return `${String(x.line)}:${String(x.column)} ${x.message}`;
  };
  try {
    new SiddhiManager().validateSiddhiApp(app);
  } catch (checked) {
    return where(checked) === where(err) ? undefined : `validateSiddhiApp refused it otherwise: ${where(checked)}`;
  }
  return 'validateSiddhiApp accepted it';
}

/** How `err` differs from the case's entry in expected-errors.ts, or undefined when it matches. */
export function wrongError(id: string, err: SiddhiError): string | undefined {
  const expected: ExpectedError | undefined = Object.hasOwn(EXPECTED_ERRORS, id) ? EXPECTED_ERRORS[id] : undefined;
  if (expected === undefined) return `no expected error for '${id}' in test/conformance/expected-errors.ts`;
  const e = err as SiddhiError & { line?: number; column?: number };
  const problems: string[] = [];
  if (expected.contains !== undefined && !e.message.includes(expected.contains)) problems.push(`the message lacks "${expected.contains}"`);
  if (expected.line !== undefined && e.line !== expected.line) problems.push(`line ${String(e.line)}, expected ${expected.line}`);
  if (expected.column !== undefined && e.column !== expected.column) problems.push(`column ${String(e.column)}, expected ${expected.column}`);
  return problems.length === 0 ? undefined : problems.join('; ');
}

/** How `rec` differs from the case's `expect` and `expectCount` (plan-once.test.ts checks its runs with it too). */
export function diffAgainstExpectations(c: ConformanceCase, rec: Pick<Recording, 'streams' | 'types'>): string[] {
  const tolerance = c.tolerance ?? 1e-6;
  const unordered = c.unordered === true;
  const lines: string[] = [];
  for (const [stream, events] of Object.entries(c.expect ?? {})) {
    const actual = (rec.streams.get(stream) ?? []).map(toRow);
    const streamTypes = rec.types.get(stream);
    lines.push(...compareStream(stream, events.map(expectedRow), actual, { tolerance, unordered, ...(streamTypes ? { types: streamTypes } : {}) }));
  }
  for (const [stream, count] of Object.entries(c.expectCount ?? {})) {
    const n = rec.streams.get(stream)?.length ?? 0;
    if (n !== count) lines.push(`stream ${stream}: expected ${count} events, got ${n}`);
  }
  return lines;
}

function diffAgainstBaseline(c: ConformanceCase, baseline: Recording, rec: Recording): string[] {
  const opts = { tolerance: c.tolerance ?? 1e-6, unordered: c.unordered === true, timestamps: true };
  const lines: string[] = [];
  for (const [stream, base] of baseline.streams) {
    lines.push(...compareStream(stream, base.map(toRow), (rec.streams.get(stream) ?? []).map(toRow), opts));
  }
  return lines;
}

export function sendErrorLines(rec: Pick<Recording, 'sendErrors'>): string[] {
  return rec.sendErrors.map((e) => `send() threw at ${e}`);
}

function reportedLines(rec: Recording): string[] {
  return rec.reported.length === 0 ? [] : ['errors reported through onError:', ...rec.reported.map((e) => `   ${e}`)];
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0]!;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: string; line?: number; column?: number; hint?: string };
  const where = e.line !== undefined ? ` at ${e.line}:${e.column ?? 0}` : '';
  const hint = e.hint !== undefined ? `\nhint: ${e.hint}` : '';
  return `${e.name}${e.code ? ` [${e.code}]` : ''}${where}: ${e.message}${hint}\n${e.stack ?? ''}`;
}
