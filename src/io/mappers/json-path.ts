// A small JSON path reader for @map(type='json', @attributes(…)):
// `$.a.b`, `a.b` (relative to the event element), `a[0]`, `['key with dots']`.

type Step = string | number;

/** Compiles a path once; the result reads it from a parsed JSON value (undefined when absent). */
export function compileJsonPath(path: string): (root: unknown) => unknown {
  const steps = parseSteps(path);
  return (root) => {
    let v = root;
    for (const s of steps) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[s];
      if (v === undefined) return undefined;
    }
    return v;
  };
}

function parseSteps(path: string): Step[] {
  let p = path.trim();
  if (p.startsWith('$')) p = p.slice(1);
  const steps: Step[] = [];
  const re = /\.?([^.[\]]+)|\[(\d+)\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/y;
  let at = 0;
  while (at < p.length) {
    re.lastIndex = at;
    const m = re.exec(p);
    if (!m) throw new Error(`JSON path '${path}' is not understood at '${p.slice(at)}'`);
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push((m[3] ?? m[4])!);
    at = re.lastIndex;
  }
  return steps;
}
