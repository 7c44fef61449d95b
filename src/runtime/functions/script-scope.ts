// The vm context a runtime's `define function …[javascript]` bodies run in:
// one per runtime (its partition keys share it, as the reference's one script
// engine per app runtime), made on the first call linked in it. The bodies are
// compiled (vm.Script) once at plan time; each scope runs them in its context.

import { type Context, type Script, createContext } from 'node:vm';

export type ScriptBody = (data: unknown[]) => unknown;

export class ScriptScope {
  private context: Context | undefined;
  private readonly bodies = new Map<Script, ScriptBody>();

  /** `script` (a `(function (data) { … })` expression) evaluated in this scope's context, once. */
  body(script: Script): ScriptBody {
    let body = this.bodies.get(script);
    if (body === undefined) {
      body = script.runInContext((this.context ??= createContext({}))) as ScriptBody;
      this.bodies.set(script, body);
    }
    return body;
  }
}
