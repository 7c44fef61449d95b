// `#log([priority,] [message,] [logEvent])`: writes each event through the
// runtime's logger and passes the chunk on unchanged. Argument forms as the
// reference: (), (message), (logEvent), (message, logEvent), (priority, message),
// (priority, message, logEvent).

import { LOG_PRIORITIES, type Logger, type LogPriority, writeLog } from '../logger.js';
import type { StreamEvent } from '../event.js';
import { NOWHERE, type Linked, type Processor } from '../processor.js';
import { formatObject } from '../values.js';
import type { StreamFunctionKind } from './stream-function.js';
import type { WindowArg } from './window.js';
import { WindowArgs } from './window-args.js';

type Get = (e: StreamEvent) => unknown;

interface LogOptions {
  readonly prefix: string;
  readonly logger: Logger;
  readonly priority: Get;
  readonly message: Get | undefined;
  readonly logEvent: Get;
}

export class LogStreamProcessor implements Linked<StreamEvent> {
  next: Processor = NOWHERE;

  constructor(private readonly o: LogOptions) {}

  process(chunk: StreamEvent[]): void {
    const o = this.o;
    for (const e of chunk) {
      const message = o.message ? String(o.message(e)) : undefined;
      const withEvent = o.logEvent(e) === true;
      const text = message === undefined ? (withEvent ? describeEvent(e) : 'Event Arrived') : withEvent ? `${message}, ${describeEvent(e)}` : message;
      const p = String(o.priority(e)).toUpperCase() as LogPriority;
      writeLog(o.logger, LOG_PRIORITIES.includes(p) ? p : 'INFO', o.prefix + text);
    }
    this.next.process(chunk);
  }
}

function describeEvent(e: StreamEvent): string {
  return `StreamEvent{ timestamp=${e.timestamp}, data=[${e.data.map(formatObject).join(', ')}], type=${e.isExpired ? 'EXPIRED' : 'CURRENT'}}`;
}

const SIGNATURE = 'log([priority string,] [log.message string,] [is.event.logged bool])';

export const LOG_STREAM_PROCESSOR: StreamFunctionKind = {
  name: 'log',
  signature: SIGNATURE,
  plan(args, ctx) {
    const a = new WindowArgs('log', SIGNATURE, args, ctx, 'stream processor').count(0, 3);
    const types = args.map((x) => x.type).join(',');
    const always = (v: unknown): Get => () => v;
    let priority: Get = always('INFO');
    let message: Get | undefined;
    let logEvent: Get = always(true);
    const priorityOf = (arg: WindowArg): Get => {
      if (arg.constant && !LOG_PRIORITIES.includes(String(arg.value).toUpperCase() as LogPriority)) {
        a.fail(`stream processor 'log': priority must be one of ${LOG_PRIORITIES.join(', ')}, got '${String(arg.value)}'`, arg);
      }
      return arg.get;
    };
    switch (types) {
      case '':
        break;
      case 'string':
        message = args[0]!.get;
        break;
      case 'bool':
        logEvent = args[0]!.get;
        break;
      case 'string,bool':
        [message, logEvent] = [args[0]!.get, args[1]!.get];
        break;
      case 'string,string':
        [priority, message] = [priorityOf(args[0]!), args[1]!.get];
        break;
      case 'string,string,bool':
        [priority, message, logEvent] = [priorityOf(args[0]!), args[1]!.get, args[2]!.get];
        break;
      default:
        a.fail(`stream processor 'log' does not take (${types.replace(/,/g, ', ')})`, args[0]);
    }
    return { added: [], build: (inst) => new LogStreamProcessor({ prefix: `${inst.appName}: `, logger: inst.logger, priority, message, logEvent }) };
  },
};
