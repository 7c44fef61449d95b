// `define function name[javascript] return type { body }`: the body compiled
// once as `function (data) { body }` in a vm context of the app's own (no
// require, process or module scope of the host; not a security boundary: it
// runs with the app's privileges), then registered like manager.setFunction's
// functions. The app's functions share that one context: a context costs
// ~3 ms to create, and one per function made an app of 1,300 functions take 4 s.

import { type Context, Script, createContext } from 'node:vm';
import type { App, FunctionDefinition } from '../ast/index.js';
import { SiddhiPlanError } from '../errors.js';
import type { FunctionKind } from '../runtime/functions/index.js';
import { userFunctionKind } from '../runtime/functions/user-function.js';

const LANGUAGES = ['javascript'];

/** The app's script functions by name; throws SiddhiPlanError for an unknown language or a body that does not compile. */
export function compileScriptFunctions(definitions: readonly FunctionDefinition[]): Map<string, FunctionKind> {
  const out = new Map<string, FunctionKind>();
  let context: Context | undefined;
  for (const def of definitions) {
    const where = { line: def.loc.line, column: def.loc.column, element: `function '${def.name}'` };
    if (!LANGUAGES.includes(def.language.toLowerCase())) {
      throw new SiddhiPlanError(`function '${def.name}': unsupported script language '${def.language}'`, {
        ...where, hint: `supported: ${LANGUAGES.join(', ')}`,
      });
    }
    let body: (data: unknown[]) => unknown;
    try {
      const script = new Script(`(function (data) {\n${def.body}\n})`, { filename: `function ${def.name}` });
      body = script.runInContext((context ??= createContext({}))) as (data: unknown[]) => unknown;
    } catch (e) {
      throw new SiddhiPlanError(`function '${def.name}': the javascript body does not compile: ${(e as Error).message}`, where);
    }
    out.set(def.name, userFunctionKind(def.name, { returnType: def.returnType, fn: (...args: unknown[]) => body(args) }));
  }
  return out;
}

/** The functions an app can call: the manager's, then the app's own `define function`s. */
export function functionsOfApp(base: ReadonlyMap<string, FunctionKind>, app: App): ReadonlyMap<string, FunctionKind> {
  const defined = app.elements.filter((el): el is FunctionDefinition => el.kind === 'function');
  if (defined.length === 0) return base;
  return new Map([...base, ...compileScriptFunctions(defined)]);
}
