// The requests that http-service sources hold open until an
// http-service-response sink answers them, by source.id and message id; one
// per SiddhiManager (IoRegistry). Not checkpointed: a request is answered by
// the process that received it, so a restart loses the open ones.

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { answer as plainAnswer } from './sources/http-server-pool.js';

interface Pending {
  readonly res: ServerResponse;
  readonly timer: NodeJS.Timeout;
}

/** The open requests of one http-service source. */
export interface ServiceDesk {
  /** Holds `res` open under a new message id; after `timeoutMs` it is answered 504. Once closed: answers 503, undefined. */
  hold(res: ServerResponse, timeoutMs: number): string | undefined;
  /** Answers a held request now (e.g. 400 when its payload did not map); false when it was answered already. */
  answer(messageId: string, status: number, text: string): boolean;
  /** Answers every held request 503 and gives up the source.id; resolves once those answers are written. */
  close(): Promise<void>;
}

export interface ServiceResponse {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export class HttpServiceRequests {
  private readonly sources = new Map<string, { readonly stream: string; readonly pending: Map<string, Pending> }>();

  /** Takes `sourceId` for the source of `stream`; throws when another source has it. */
  open(sourceId: string, stream: string): ServiceDesk {
    const taken = this.sources.get(sourceId);
    if (taken) throw new Error(`source.id '${sourceId}' is already used by the http-service source of stream '${taken.stream}'`);
    const pending = new Map<string, Pending>();
    let closed = false;
    this.sources.set(sourceId, { stream, pending });
    const answer = (messageId: string, status: number, text: string): boolean => {
      const res = takeOpen(pending, messageId);
      if (res) plainAnswer(res, status, text);
      return res !== undefined;
    };
    return {
      hold: (res, timeoutMs) => {
        // A request that arrives while the source stops would find no one to answer it.
        if (closed) {
          plainAnswer(res, 503, `source.id '${sourceId}' stopped`);
          return undefined;
        }
        const messageId = randomUUID();
        const timer = setTimeout(() => answer(messageId, 504, `no response within ${timeoutMs} ms (connection.timeout)`), timeoutMs);
        pending.set(messageId, { res, timer });
        // A client that hangs up is not waited for.
        res.once('close', () => {
          const p = pending.get(messageId);
          if (p?.res === res) {
            pending.delete(messageId);
            clearTimeout(p.timer);
          }
        });
        return messageId;
      },
      answer,
      close: () => {
        closed = true;
        const written = [...pending.values()].map((p) => new Promise<void>((resolve) => p.res.once('close', resolve)));
        for (const id of [...pending.keys()]) answer(id, 503, `source.id '${sourceId}' stopped`);
        if (this.sources.get(sourceId)?.pending === pending) this.sources.delete(sourceId);
        // The server closes its connections next: let the 503s reach their sockets first.
        return Promise.all(written).then(() => undefined);
      },
    };
  }

  /** Answers the request `messageId` held by source `sourceId` with 200; throws when there is none. */
  respond(sourceId: string, messageId: string, response: ServiceResponse): void {
    const source = this.sources.get(sourceId);
    if (!source) {
      const known = [...this.sources.keys()];
      throw new Error(`no http-service source with source.id '${sourceId}' is running${known.length ? ` (running: ${known.join(', ')})` : ''}`);
    }
    const res = takeOpen(source.pending, messageId);
    if (!res) throw new Error(`no open request with message id '${messageId}' at source.id '${sourceId}' (answered already, timed out, or never received)`);
    res.writeHead(200, response.headers).end(response.body);
  }
}

/** Takes request `messageId` off `pending`, its timeout cleared: its response, or undefined when it is not open. */
function takeOpen(pending: Map<string, Pending>, messageId: string): ServerResponse | undefined {
  const p = pending.get(messageId);
  if (!p) return undefined;
  pending.delete(messageId);
  clearTimeout(p.timer);
  return p.res;
}
