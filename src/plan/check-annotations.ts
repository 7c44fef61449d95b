// Refuses annotations the reference refuses when it creates an app, so an app
// that would not start there does not quietly run here: `@app:async` (async is
// per stream), a stream's `@async` with a non-positive `workers` or
// `batch.size.max`, and a malformed `@app:playback(idle.time, increment)`.
// The annotations themselves change nothing here (events are processed
// synchronously; playback time moves only with events and advanceTime()).

import type { Annotation, App } from '../ast/index.js';
import { parseDuration } from './duration.js';
import { planErrorAt } from './plan-context.js';

export function checkAnnotations(app: App): void {
  for (const a of app.annotations) {
    if (a.namespace?.toLowerCase() !== 'app') continue;
    const name = a.name.toLowerCase();
    if (name === 'async') {
      throw planErrorAt('annotation @app:async', '@async is not supported at the app level', a.loc, "put @async(buffer.size='…') on the streams instead");
    }
    if (name === 'playback') checkPlayback(a);
  }
  for (const el of app.elements) {
    if (el.kind !== 'stream') continue;
    for (const a of el.annotations) if (a.namespace === undefined && a.name.toLowerCase() === 'async') checkAsync(a, el.name);
  }
}

/** idle.time and increment are optional, but only together, and each is a time constant with a unit. */
function checkPlayback(a: Annotation): void {
  const where = 'annotation @app:playback';
  const given = new Map<string, string>();
  for (const e of a.elements) {
    const key = e.key?.toLowerCase();
    if (key !== 'idle.time' && key !== 'increment') {
      throw planErrorAt(where, `accepts only idle.time and increment, but found ${e.key ?? `'${e.value}'`}`, e.loc);
    }
    if (!isTimeConstant(e.value)) {
      throw planErrorAt(where, `invalid ${key} '${e.value}'`, e.loc, "a time constant with a unit, e.g. '100 millisecond' or '2 sec'");
    }
    given.set(key, e.value);
  }
  if (given.size === 1) {
    const missing = given.has('idle.time') ? 'increment' : 'idle.time';
    throw planErrorAt(where, `requires both idle.time and increment, but ${missing} is not given`, a.loc);
  }
}

function isTimeConstant(text: string): boolean {
  return /[a-z]/i.test(text) && parseDuration(text) !== undefined;
}

function checkAsync(a: Annotation, stream: string): void {
  for (const e of a.elements) {
    const key = e.key?.toLowerCase();
    if (key !== 'buffer.size' && key !== 'workers' && key !== 'batch.size.max') continue;
    const n = /^\s*[+-]?\d+\s*$/.test(e.value) ? Number(e.value) : NaN;
    if (Number.isNaN(n)) throw planErrorAt(`@async of stream '${stream}'`, `${e.key} must be an integer, got '${e.value}'`, e.loc);
    if (key !== 'buffer.size' && n <= 0) {
      throw planErrorAt(`@async of stream '${stream}'`, `${e.key} cannot be negative or zero, but found '${e.value}'`, e.loc);
    }
  }
}
