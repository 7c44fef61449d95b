// The planner turns an app into a plan and creates no state (issue #9, plan as
// data): no file of src/plan imports the state layer, the app runtime, its
// state, the error reporter, the runtime builders (build-app, build-definitions,
// build-partition), or StreamJunction as a value (type imports are fine). PENDING lists what still does: the list may only shrink (it is empty).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PLAN = join(import.meta.dirname, '..', '..', 'src', 'plan');

/** `file: import` of what plan/ still imports and may not. */
const PENDING: readonly string[] = [];

/** The value imports of `text` (import and export … from), as [module, names]; `import type` and `type X` names are left out. */
export function valueImports(text: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s*from\s*'([^']+)'/gms)) {
    if (m[1]) continue;
    const clause = m[2]!;
    const braces = /\{([^}]*)\}/.exec(clause);
    const named = braces ? braces[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith('type ')) : [];
    const bare = clause.replace(/\{[^}]*\}/, '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const names = [...bare, ...named.map((s) => s.split(/\s+as\s+/)[0]!)];
    if (names.length > 0 || clause.trim() === '') out.push([m[3]!, names]);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) out.push([m[1]!, []]);
  return out;
}

const FORBIDDEN_MODULES = [
  /(^|\/)state\//, /(^|\/)runtime\/app-runtime\.js$/, /(^|\/)runtime\/app-state\.js$/, /(^|\/)runtime\/error-reporter\.js$/,
  // The runtime builds the plan (index.ts calls planApp, then buildApp): planning builds nothing.
  /(^|\/)runtime\/build-app\.js$/, /(^|\/)runtime\/build-definitions\.js$/, /(^|\/)build-partition\.js$/,
];

/** Why `module` imported with `names` is refused in plan/, or undefined. */
function refusal(module: string, names: readonly string[]): string | undefined {
  if (FORBIDDEN_MODULES.some((re) => re.test(module))) return module;
  if (/(^|\/)runtime\/junction\.js$/.test(module) && names.includes('StreamJunction')) return `${module} StreamJunction`;
  // ChangeLog is a state value: instance.ts re-exports only its type.
  if (/(^|\/)runtime\/instance\.js$/.test(module) && names.includes('ChangeLog')) return `${module} ChangeLog`;
  return undefined;
}

function offenders(): string[] {
  const out: string[] = [];
  for (const file of readdirSync(PLAN).filter((f) => f.endsWith('.ts')).sort()) {
    for (const [module, names] of valueImports(readFileSync(join(PLAN, file), 'utf8'))) {
      const why = refusal(module, names);
      if (why !== undefined) out.push(`${file}: ${why}`);
    }
  }
  return out;
}

describe('src/plan imports no state', () => {
  it('reads value imports, not type imports', () => {
    const text = "import type { A } from '../state/a.js';\nimport { type B, C as D } from '../runtime/junction.js';\nimport {\n  StreamJunction,\n} from '../runtime/junction.js';\nexport { x } from '../state/x.js';\n";
    expect(valueImports(text)).toEqual([['../runtime/junction.js', ['C']], ['../runtime/junction.js', ['StreamJunction']], ['../state/x.js', ['x']]]);
  });

  it('no file of src/plan imports the state layer, the app runtime or its state, the runtime builders, or makes junctions, beyond the pending list', () => {
    expect(offenders()).toEqual(PENDING);
  });
});
