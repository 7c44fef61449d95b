// `#str:tokenize(input.string, regex [, distinct])`: one event per token of
// the input string, split as Java's Pattern.split, with attribute `token` appended.

import { StreamEvent } from '../event.js';
import { compileJavaRegex, javaSplit } from '../functions/ext/java-regex.js';
import { NOWHERE, type Linked, type Processor } from '../processor.js';
import type { StreamFunctionKind } from './stream-function.js';
import { WindowArgs } from './window-args.js';

export class StrTokenize implements Linked<StreamEvent> {
  next: Processor = NOWHERE;

  constructor(
    private readonly input: (e: StreamEvent) => unknown,
    private readonly regex: string,
    private readonly distinct: boolean,
  ) {}

  process(chunk: StreamEvent[]): void {
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      const s = this.input(e);
      if (typeof s !== 'string') continue;
      const tokens = javaSplit(s, this.regex);
      for (const t of this.distinct ? [...new Set(tokens)] : tokens) out.push(new StreamEvent(e.timestamp, [...e.data, t], e.type));
    }
    if (out.length > 0) this.next.process(out);
  }
}

const SIGNATURE = 'str:tokenize(input.string string, regex string [, distinct bool])';

export const STR_TOKENIZE: StreamFunctionKind = {
  name: 'str:tokenize',
  signature: SIGNATURE,
  plan(args, ctx) {
    const a = new WindowArgs('str:tokenize', SIGNATURE, args, ctx, 'stream processor').count(2, 3);
    if (args[0]!.type !== 'string') a.fail(`stream processor 'str:tokenize': input.string must be string, got ${args[0]!.type}`, args[0]);
    const regex = a.string(1, 'regex');
    try {
      compileJavaRegex(regex);
    } catch (e) {
      a.fail(`stream processor 'str:tokenize': invalid regex '${regex}': ${(e as Error).message}`, args[1]);
    }
    const distinct = args.length > 2 ? a.bool(2, 'distinct') : false;
    return { added: [{ name: 'token', type: 'string' }], build: () => new StrTokenize(args[0]!.get, regex, distinct) };
  },
};
