// `#json:tokenize(json, path [, fail.on.missing.attribute])`: one event per
// element the JSON path selects, as a JSON string in the appended attribute
// `jsonElement`. A missing element drops the event, or with `false` passes null.
// `#json:tokenizeAsObject(…)` appends the elements as values (type object).

import { StreamEvent } from '../event.js';
import { documentOf } from '../functions/ext/json.js';
import { compileJsonPath, readJsonPath } from '../functions/ext/json-path.js';
import { elementJson, toJsonString } from '../functions/ext/gson-text.js';
import { NOWHERE, type Linked, type Processor } from '../processor.js';
import type { StreamFunctionKind } from './stream-function.js';
import { WindowArgs } from './window-args.js';

type Get = (e: StreamEvent) => unknown;

export class JsonTokenize implements Linked<StreamEvent> {
  next: Processor = NOWHERE;

  constructor(
    private readonly json: Get,
    private readonly path: Get,
    private readonly failOnMissing: boolean,
    /** tokenizeAsObject: elements stay values instead of JSON text. */
    private readonly asObject = false,
  ) {}

  process(chunk: StreamEvent[]): void {
    const out: StreamEvent[] = [];
    const emit = (e: StreamEvent, v: unknown): void => {
      out.push(new StreamEvent(e.timestamp, [...e.data, v], e.type));
    };
    for (const e of chunk) {
      const path = compileJsonPath(String(this.path(e)));
      const r = readJsonPath(documentOf('json:tokenize', this.json(e)), path);
      const v = r.found ? r.value : null;
      if (Array.isArray(v)) {
        if (v.length === 0 && !this.failOnMissing) emit(e, null);
        for (let i = 0; i < v.length; i++) emit(e, this.asObject ? v[i] : elementJson(v, i));
      } else if (v !== null && typeof v === 'object') emit(e, this.asObject ? v : toJsonString(v));
      else if (typeof v === 'string') emit(e, v);
      else if (v === null && !this.failOnMissing) emit(e, null);
    }
    if (out.length > 0) this.next.process(out);
  }
}

function tokenizer(name: string, asObject: boolean): StreamFunctionKind {
  const signature = `${name}(json string|object, path string [, fail.on.missing.attribute bool])`;
  return {
    name,
    signature,
    plan(args, ctx) {
      const a = new WindowArgs(name, signature, args, ctx, 'stream processor').count(2, 3);
      if (args[0]!.type !== 'string' && args[0]!.type !== 'object') a.fail(`stream processor '${name}': json must be string or object, got ${args[0]!.type}`, args[0]);
      if (args[1]!.type !== 'string') a.fail(`stream processor '${name}': path must be string, got ${args[1]!.type}`, args[1]);
      if (args[1]!.constant) {
        try {
          compileJsonPath(String(args[1]!.value));
        } catch (err) {
          a.fail(`stream processor '${name}': invalid JSON path: ${(err as Error).message}`, args[1]);
        }
      }
      const failOnMissing = args.length > 2 ? a.bool(2, 'fail.on.missing.attribute') : true;
      return {
        added: [{ name: 'jsonElement', type: asObject ? 'object' : 'string' }],
        build: () => new JsonTokenize(args[0]!.get, args[1]!.get, failOnMissing, asObject),
      };
    },
  };
}

export const JSON_TOKENIZE = tokenizer('json:tokenize', false);
export const JSON_TOKENIZE_AS_OBJECT = tokenizer('json:tokenizeAsObject', true);
