// `define function name[javascript] return type { body }`: the body compiled
// once at plan time as `function (data) { body }` (a vm.Script: syntax errors
// are plan errors), then run in the vm context of the runtime the call is
// linked in (BuildOptions.scripts: one per runtime, shared by its partition
// keys), so runtimes built from one plan share no script globals. No require,
// process or module scope of the host; not a security boundary: it runs with
// the app's privileges. An app's functions share one context: a context costs
// ~3 ms to create, and one per function made an app of 1,300 functions take 4 s.

import { Script } from 'node:vm';
import type { App, FunctionDefinition } from '../ast/index.js';
import { SiddhiPlanError } from '../errors.js';
import type { FunctionKind } from '../runtime/functions/index.js';
import { ScriptScope } from '../runtime/functions/script-scope.js';
import { userFunctionKind } from '../runtime/functions/user-function.js';

const LANGUAGES = ['javascript'];

/** The app's script functions by name; throws SiddhiPlanError for an unknown language or a body that does not compile. */
export function compileScriptFunctions(definitions: readonly FunctionDefinition[]): Map<string, FunctionKind> {
  const out = new Map<string, FunctionKind>();
  // Where plan-time checks run the bodies (and calls linked where no runtime's scope reaches, as before).
  const planning = new ScriptScope();
  for (const def of definitions) {
    const where = { line: def.loc.line, column: def.loc.column, element: `function '${def.name}'` };
    if (!LANGUAGES.includes(def.language.toLowerCase())) {
      throw new SiddhiPlanError(`function '${def.name}': unsupported script language '${def.language}'`, {
        ...where, hint: `supported: ${LANGUAGES.join(', ')}`,
      });
    }
    let script: Script;
    try {
      script = new Script(`(function (data) {\n${def.body}\n})`, { filename: `function ${def.name}` });
      planning.body(script);
    } catch (e) {
      throw new SiddhiPlanError(`function '${def.name}': the javascript body does not compile: ${(e as Error).message}`, where);
    }
    const kindIn = (scope: ScriptScope): FunctionKind => {
      const body = scope.body(script);
      return userFunctionKind(def.name, { returnType: def.returnType, fn: (...args: unknown[]) => body(args) });
    };
    const checked = kindIn(planning);
    // Script globals are the runtime's state: the call is linked in each instance (FunctionKind.keepsState), in its runtime's context.
    out.set(def.name, { ...checked, keepsState: true, plan: (args, env) => kindIn(env.scripts ?? planning).plan(args, env) });
  }
  return out;
}

/** The functions an app can call: the manager's, then the app's own `define function`s. */
export function functionsOfApp(base: ReadonlyMap<string, FunctionKind>, app: App): ReadonlyMap<string, FunctionKind> {
  const defined = app.elements.filter((el): el is FunctionDefinition => el.kind === 'function');
  if (defined.length === 0) return base;
  return new Map([...base, ...compileScriptFunctions(defined)]);
}
