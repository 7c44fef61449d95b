// A SequenceMatcher's step generated for its shape: states unrolled last first, filters inlined over
// ring positions (plan/pattern-scope.ts `ring`). pattern-step.ts inlines it into the pattern's step;
// SIDDHI_KERNELS=source prints it.

/** What the step is generated for. */
export interface SequenceShape {
  /** Per state: it counts (`+`, `<1:n>`), and its maximum (Infinity: none). */
  readonly count: readonly boolean[];
  readonly max: readonly number[];
  /** Per state: it has a filter. */
  readonly filtered: readonly boolean[];
  /** Per state: its filter over the ring (a<j>, b<j>: where slot j's events start and end; `d`: the own row), when it has one. */
  readonly ringFilters: readonly (string | undefined)[];
}

/**
 * The body of `function (M) { … return step; }` over a SequenceMatcher `M`:
 * step(ts, d) processes the event as the states would (true), or declines
 * with nothing done (false: the states then run). Each match waiting at
 * state k lives in M.now (has, filled, same, starts row k), each one handed
 * over goes to M.next; see sequence-matcher.ts for what they mean.
 */
export function sequenceStepSource(shape: SequenceShape, direct = false): string {
  const n = shape.count.length;
  const states = Array.from({ length: n }, (_, k) => k);
  const lines = [
    'var F = M.filters, V0 = M.views[0];',
    'return function sequenceStep(ts, d) {',
    // Re-entered: the match being emitted fed this stream again, and the states take over.
    '  if (M.busy) { M.detach(); return false; }',
    '  if (!M.live && !M.load()) return false;',
    '  var p = M.pos;',
    '  var now = M.now, nh = now.has, nf = now.filled, nq = now.same, ns = now.starts;',
    // Room for the event beside the live matches' events: SequenceMatcher.reserve's test, its work only when due.
    '  var oldest = p;',
    ...states.slice(1).map((k) => `  if (nh[${k}] === 1 && ns[${k * n}] < oldest) oldest = ns[${k * n}];`),
    '  var size = M.ring.length;',
    '  if (p - oldest + 1 > size || (size > 64 && 8 * (p - oldest + 1) <= size)) M.reserve(p);',
    '  var R = M.ring, m = M.mask, x = R[p & m];',
    '  x.timestamp = ts;',
    '  var row = x.data;',
    '  for (var i = 0; i < d.length; i++) row[i] = d[i];',
    '  if (row.length !== d.length) row.length = d.length;',
    '  M.pos = p + 1;',
    '  var next = M.next, xh = next.has, xf = next.filled, xq = next.same, xs = next.starts;',
    `  ${states.map((k) => `xh[${k}] = 0;`).join(' ')}`,
    // Per state: its match took this event.
    `  var ${states.map((k) => `t${k} = 0`).join(', ')};`,
    // Every waiting match ends at the previous event, and carries its time (what a view's filter reads).
    '  var last = p === 0 ? -1 : R[(p - 1) & m].timestamp;',
    '  M.busy = true;',
    '  try {',
    ...terminalLines(shape, direct),
    ...states.slice(1, n - 1).reverse().flatMap((k) => (shape.count[k] ? countLines(shape, k) : plainLines(shape, k))),
    ...startLines(shape),
    '  } catch (e) {',
    // A filter or the selector failed: what the states above it handed on stays, the rest is lost, the start re-armed.
    '    if (M.live) M.settleFailed();',
    '    throw e;',
    '  } finally {',
    '    M.busy = false;',
    '  }',
    '  M.now = next;',
    '  M.next = now;',
    '  return true;',
    '};',
  ];
  return lines.join('\n');
}

/** State k's filter over the ring names position `name` (a<j>, b<j>). */
function reads(shape: SequenceShape, k: number, name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(shape.ringFilters[k] ?? '');
}

/**
 * The positions of slots 0..k-1 of state k's match (slot k-1 ends at `end`), as the filter's source names them:
 * the starts when the match is handed on with them, and those the filter reads.
 */
function boundLines(shape: SequenceShape, k: number, end: string, handsOn: boolean): string[] {
  const n = shape.count.length;
  const lines: string[] = [];
  for (let j = 0; j < k; j++) if (handsOn || reads(shape, k, `a${j}`)) lines.push(`      const a${j} = ns[${k * n + j}];`);
  for (let j = 0; j < k; j++) if (reads(shape, k, `b${j}`)) lines.push(`      const b${j} = ${j + 1 < k ? `ns[${k * n + j + 1}]` : end};`);
  return lines;
}

/** `body` run when state k's filter passes: unguarded when it has none. */
function guardedLines(shape: SequenceShape, k: number, from: string, body: readonly string[]): string[] {
  const test = filterTest(shape, k, from);
  if (test === 'true') return body.map((l) => l.slice(2));
  return [`      if (${test}) {`, ...body, '      }'];
}

/** State k's filter as a test: inlined, called on a view of the match, or none. */
function filterTest(shape: SequenceShape, k: number, from: string): string {
  if (!shape.filtered[k]) return 'true';
  const ring = shape.ringFilters[k];
  return ring !== undefined ? `(${ring})` : `F[${k}](M.viewOf(${k}, p, last, ${from}))`;
}

/**
 * State `k`'s match handed to state k+1 unless that has a new one already:
 * the slots before k as they were, slot k from `from`; `same` when state k keeps it too.
 */
function handOnLines(n: number, k: number, from: string, same: string, indent: string): string[] {
  const to = k + 1;
  return [
    `if (xh[${to}] !== 1) {`,
    `  xh[${to}] = 1;`,
    `  xf[${to}] = ${k + 1};`,
    ...Array.from({ length: k }, (_, j) => `  xs[${to * n + j}] = a${j};`),
    `  xs[${to * n + k}] = ${from};`,
    `  xq[${to}] = ${same};`,
    '}',
  ].map((l) => indent + l);
}

/**
 * The last state (plain): its match, completed by the event, goes to the
 * selector before the lower states see the event. `direct`: projected from
 * its view and handed on by the enclosing script's own `project` and
 * `emitOut` (pattern-step.ts directLines), as SequenceMatcher.emitLast does
 * through the runtime's emitLent.
 */
function terminalLines(shape: SequenceShape, direct: boolean): string[] {
  const n = shape.count.length;
  const k = n - 1;
  return [
    `    if (nh[${k}] === 1) {`,
    ...boundLines(shape, k, 'p', false),
    ...guardedLines(shape, k, 'p', [
      `        t${k} = 1;`,
      ...(direct
        ? ['        { const v = M.lastView(ts, p);', '          emitOut(v.timestamp, project(v)); }']
        : ['        M.emitLast(ts, p);']),
      // The emit fed the stream again and detached the matcher: the states below take the event themselves.
      '        if (!M.live) {',
      '          M.offerRest(x);',
      '          return true;',
      '        }',
    ]),
    '    }',
  ];
}

/** A plain state between the first and the last: its match takes the event and is handed on, or is dropped. */
function plainLines(shape: SequenceShape, k: number): string[] {
  const n = shape.count.length;
  return [
    `    if (nh[${k}] === 1) {`,
    ...boundLines(shape, k, 'p', true),
    ...guardedLines(shape, k, 'p', [`        t${k} = 1;`, ...handOnLines(n, k, 'p', '0', '        ')]),
    '    }',
  ];
}

/**
 * A counting state: its match's list grows by the event and the match is
 * handed on and kept (unless the list is full), or is dropped. Not when the
 * next state took this very match (it no longer collects here).
 */
function countLines(shape: SequenceShape, k: number): string[] {
  const n = shape.count.length;
  const max = shape.max[k]!;
  const unbounded = max === Infinity;
  const keep = [
    `xh[${k}] = 1;`,
    `xf[${k}] = ${k + 1};`,
    ...Array.from({ length: k }, (_, j) => `xs[${k * n + j}] = a${j};`),
    `xs[${k * n + k}] = from;`,
    `xq[${k}] = 0;`,
  ];
  const own = [...(reads(shape, k, `a${k}`) ? [`a${k} = from`] : []), ...(reads(shape, k, `b${k}`) ? [`b${k} = p + 1`] : [])];
  return [
    `    if (nh[${k}] === 1 && !(nq[${k + 1}] === 1 && t${k + 1} === 1)) {`,
    `      const from = nf[${k}] === ${k} ? p : ns[${k * n + k}];`,
    ...boundLines(shape, k, 'from', true),
    ...(own.length > 0 ? [`      const ${own.join(', ')};`] : []),
    ...guardedLines(shape, k, 'from', [
      `        t${k} = 1;`,
      ...(unbounded
        ? [...handOnLines(n, k, 'from', '1', '        '), ...keep.map((l) => `        ${l}`)]
        : [
          `        const keeps = p + 1 - from !== ${max} ? 1 : 0;`,
          ...handOnLines(n, k, 'from', 'keeps', '        '),
          '        if (keeps === 1) {',
          ...keep.map((l) => `          ${l}`),
          '        }',
        ]),
    ]),
    '    }',
  ];
}

/** The armed start state: a new match holding the event goes to state 1 when that has none new yet; a failed filter arms it anew. */
function startLines(shape: SequenceShape): string[] {
  const n = shape.count.length;
  const ring = shape.ringFilters[0];
  const test = !shape.filtered[0] ? 'true' : ring !== undefined ? `(${ring})` : 'F[0](V0)';
  const start = [
    '      M.armedTs = ts;',
    '      if (xh[1] !== 1) {',
    '        xh[1] = 1;',
    '        xf[1] = 1;',
    `        xs[${n}] = p;`,
    '        xq[1] = 0;',
    '      }',
  ];
  if (test === 'true') return start.map((l) => l.slice(2));
  return [
    ...(ring === undefined ? ['    V0.events[0] = x;', '    V0.timestamp = M.armedTs;'] : []),
    `    if (${test}) {`,
    ...start,
    '    } else M.armedTs = -1;',
  ];
}
